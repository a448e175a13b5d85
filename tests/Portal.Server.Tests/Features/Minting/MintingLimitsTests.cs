using System.Net;
using System.Net.Http.Json;
using Heurist.Portal.Data.Minting;
using Heurist.Portal.Server.Tests.Features.Auth;
using Heurist.Protocol.Api.Minting;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Nethereum.Signer;
using static Heurist.Portal.Server.Tests.Features.Minting.MintingPortal;

namespace Heurist.Portal.Server.Tests.Features.Minting;

/// <summary>The paymaster must not be drainable: quotas, a bundler that is down, and the deposit watched by /health/ready.</summary>
public sealed class MintingLimitsTests(PostgresFixture postgres, DeployedChainFixture chain)
{
    [Fact]
    public async Task A_spent_wallet_quota_gets_429_saying_which_quota_and_when_it_resets()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(postgres, chain, new Dictionary<string, string> { ["Minting:MintsPerWalletPerDay"] = "1" });
        var wallet = EthECKey.GenerateKey();
        using var client = SignInClient.For(portal);
        await client.SignInAsync(wallet, ct);
        var first = await SeedImageAsync(portal, wallet.GetPublicAddress(), ct);
        var second = await SeedImageAsync(portal, wallet.GetPublicAddress(), ct);
        var (_, hash) = await MintAsync(client, first, wallet, ct);
        Assert.Equal(MintState.Indexed, (await FollowAsync(client, hash, ct)).State);

        using var refused = await PrepareAsync(client, second, ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var body = await refused.Content.ReadAsStringAsync(ct);
        Assert.Contains("1 sponsored mints per wallet per day", body, StringComparison.Ordinal);
        Assert.Contains("the next one is possible at", body, StringComparison.Ordinal);
        // Another wallet still mints.
        var other = EthECKey.GenerateKey();
        using var otherClient = SignInClient.For(portal);
        await otherClient.SignInAsync(other, ct);
        using var allowed = await PrepareAsync(otherClient, await SeedImageAsync(portal, other.GetPublicAddress(), ct), ct);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task A_bundler_that_is_down_gets_503_with_its_reason_and_the_image_stays_mintable()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(postgres, chain, bundlerUrl: new Uri($"http://127.0.0.1:{FreePort.Next()}/"));
        var wallet = EthECKey.GenerateKey();
        using var client = SignInClient.For(portal);
        await client.SignInAsync(wallet, ct);
        var sha256 = await SeedImageAsync(portal, wallet.GetPublicAddress(), ct);

        using var refused = await PrepareAsync(client, sha256, ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("cannot be reached", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        await using var db = PostgresFixture.CreateContext(portal.ConnectionString);
        Assert.False(await db.MintRequests.AnyAsync(r => r.ImageSha256 == sha256 && r.State != MintRequestState.Superseded, ct));
        var job = await client.Http.GetFromJsonAsync<WalletGallery>(MintingRoutes.Gallery(wallet.GetPublicAddress()), ct);
        Assert.Contains(job!.Unminted, j => j.ImageSha256 == sha256 && MintRules.IsMintable(j));
    }

    [Fact]
    public async Task Without_a_bundler_minting_is_off_and_says_which_setting()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(postgres, chain);
        portal.Settings.Remove("Chain:BundlerUrl");
        var wallet = EthECKey.GenerateKey();
        using var client = SignInClient.For(portal);
        await client.SignInAsync(wallet, ct);

        using var refused = await PrepareAsync(client, await SeedImageAsync(portal, wallet.GetPublicAddress(), ct), ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("Chain:BundlerUrl is not set", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);

        await using var keyless = new PortalApp(postgres, chain);
        await keyless.InitializeAsync();
        using var keylessClient = SignInClient.For(keyless);
        await keylessClient.SignInAsync(wallet, ct);
        using var off = await PrepareAsync(keylessClient, await SeedImageAsync(keyless, wallet.GetPublicAddress(), ct), ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, off.StatusCode);
        Assert.Contains("Minting:StudioKey", await off.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deposit_below_the_threshold_makes_ready_degraded_and_the_operator_view_warns()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(postgres, chain, new Dictionary<string, string>
        {
            ["Minting:LowDepositEth"] = "1000000",
            ["Portal:Admins:0"] = AnvilAccountsAdmin.Address,
        });
        using var client = SignInClient.For(portal);

        using var ready = await client.Http.GetAsync("/health/ready", ct);
        var health = await ready.Content.ReadAsStringAsync(ct);
        Assert.Contains("paymaster-deposit", health, StringComparison.Ordinal);
        Assert.Contains("Degraded", health, StringComparison.Ordinal);
        Assert.Contains("below 1000000 ETH", health, StringComparison.Ordinal);

        using var anonymous = await client.Http.GetAsync(MintingRoutes.Paymaster, ct);
        Assert.True(anonymous.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, anonymous.StatusCode.ToString());
        await client.SignInAsync(AnvilAccountsAdmin.Key, ct);
        var status = await client.Http.GetFromJsonAsync<PaymasterStatus>(MintingRoutes.Paymaster, ct);
        Assert.True(status!.Low);
        Assert.Equal(chain.Manifest.Contracts.HeuristPaymaster, status.Paymaster, ignoreCase: true);
        Assert.True(status.DepositEth > 0);
    }

    private static class AnvilAccountsAdmin
    {
        public static readonly EthECKey Key = EthECKey.GenerateKey();

        public static string Address => Key.GetPublicAddress();
    }
}
