using Bunit;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Tests.Features.Provenance;
using Heurist.Portal.Client.Tests.Features.Wallet;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Provenance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Heurist.Portal.Client.Tests.Features.Minting;

/// <summary>
/// A minting component test: the portal's minting and NFT clients in memory, the wallet module faked at the browser
/// boundary, and a session that the test signs in.
/// </summary>
public abstract class MintingTestContext : BunitContext
{
    public const string Account = FakeWalletModule.Account;

    public const string OtherAccount = FakeWalletModule.OtherAccount;

    protected MintingTestContext()
    {
        (Clock, _) = this.AddTestServices(configure: services => services
            .AddSingleton<IMintingClient>(Minting)
            .AddSingleton<INftClient>(Nfts)
            .AddSingleton<IProvenanceClient>(Provenance)
            .AddSingleton<IAuthClient>(Auth));
        Wallet = FakeWalletModule.Setup(JSInterop);
    }

    internal FakeTimeProvider Clock { get; }

    internal FakeWalletModule Wallet { get; }

    internal InMemoryMintingClient Minting { get; } = new();

    internal InMemoryNftClient Nfts { get; } = new();

    internal InMemoryProvenanceClient Provenance { get; } = new();

    internal InMemoryAuthClient Auth { get; } = new();

    internal WalletService WalletService => Services.GetRequiredService<WalletService>();

    /// <summary>Signs <paramref name="account"/> in, with a remembered wallet of <paramref name="walletAccount"/> (the same by default) on the portal's chain.</summary>
    internal async Task SignInAsync(string account = Account, string? walletAccount = null)
    {
        Auth.Session = new SessionResponse(account);
        Wallet.Announces(FakeWalletModule.Rabby);
        Wallet.Restores(walletAccount ?? account);
        await WalletService.InitializeAsync();
        Assert.Equal(WalletState.Connected, WalletService.State);
        Assert.True(WalletService.IsSignedIn);
    }

    /// <summary>Moves the clock on a poll at a time until <paramref name="done"/>; the wait is bounded, never a timing assertion.</summary>
    internal async Task PollUntilAsync(Func<bool> done)
    {
        for (var i = 0; i < 200 && !done(); i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10, Xunit.TestContext.Current.CancellationToken);
        }
    }
}
