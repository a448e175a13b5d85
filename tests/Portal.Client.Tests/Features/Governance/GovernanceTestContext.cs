using Bunit;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Tests.Features.Wallet;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Governance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Heurist.Portal.Client.Tests.Features.Governance;

/// <summary>
/// A governance page test: the hub in memory, the wallet module faked at the browser boundary, and a session that the
/// test signs in.
/// </summary>
public abstract class GovernanceTestContext : BunitContext
{
    public const string Account = FakeWalletModule.Account;

    public const string OtherAccount = FakeWalletModule.OtherAccount;

    protected GovernanceTestContext()
    {
        (Clock, _) = this.AddTestServices(configure: services => services
            .AddSingleton<IGovernanceClient>(Governance)
            .AddSingleton<IAuthClient>(Auth));
        Wallet = FakeWalletModule.Setup(JSInterop);
    }

    internal FakeTimeProvider Clock { get; }

    internal FakeWalletModule Wallet { get; }

    internal InMemoryGovernanceClient Governance { get; } = new();

    internal InMemoryAuthClient Auth { get; } = new();

    internal WalletService WalletService => Services.GetRequiredService<WalletService>();

    /// <summary>Signs <paramref name="account"/> in, with a remembered wallet on it.</summary>
    internal async Task SignInAsync(string account = Account)
    {
        Auth.Session = new SessionResponse(account);
        Wallet.Announces(FakeWalletModule.Rabby);
        Wallet.Restores(account);
        await WalletService.InitializeAsync();
        Assert.Equal(WalletState.Connected, WalletService.State);
        Assert.True(WalletService.IsSignedIn);
    }
}
