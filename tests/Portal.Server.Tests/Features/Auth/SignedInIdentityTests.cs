using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Heurist.Testing;
using Nethereum.Hex.HexTypes;
using Nethereum.Signer;

namespace Heurist.Portal.Server.Tests.Features.Auth;

/// <summary>What a sign-in changes: whose gallery a job is in, who may open the operator pages, and the nonce limit.</summary>
public sealed class SignedInIdentityTests(PostgresFixture postgres, DeployedChainFixture chain)
{
    [Fact]
    public async Task The_first_sign_in_adopts_the_browsers_anonymous_jobs_and_later_jobs_belong_to_the_account()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync();
        using var laptop = SignInClient.For(portal);
        var anonymous = await SubmitAsync(laptop, "laptop-creator-1", "a lighthouse", ct);
        Assert.Equal([anonymous], await GalleryAsync(laptop, "laptop-creator-1", ct));

        var key = AnvilAccounts.Key(6);
        await laptop.SignInAsync(key, ct, creatorId: "laptop-creator-1");
        var signedIn = await SubmitAsync(laptop, "laptop-creator-1", "a harbour", ct);

        Assert.Equal([signedIn, anonymous], await GalleryAsync(laptop, "laptop-creator-1", ct));
        // The same account on another browser sees both; that browser's own anonymous gallery had neither.
        using var phone = SignInClient.For(portal);
        Assert.Empty(await GalleryAsync(phone, "phone-creator-1", ct));
        await phone.SignInAsync(key, ct, creatorId: "phone-creator-1");
        Assert.Equal([signedIn, anonymous], await GalleryAsync(phone, "phone-creator-1", ct));
        // Signed out, the laptop's anonymous gallery no longer holds the jobs it handed to the account.
        using (await laptop.Http.PostAsync(AuthRoutes.Logout, null, ct))
        {
        }
        Assert.Empty(await GalleryAsync(laptop, "laptop-creator-1", ct));
    }

    [Fact]
    public async Task Another_account_does_not_see_or_adopt_jobs_that_already_belong_to_someone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync();
        using var browser = SignInClient.For(portal);
        var job = await SubmitAsync(browser, "shared-creator-1", "a forest", ct);
        await browser.SignInAsync(AnvilAccounts.Key(6), ct, creatorId: "shared-creator-1");
        using (await browser.Http.PostAsync(AuthRoutes.Logout, null, ct))
        {
        }

        await browser.SignInAsync(AnvilAccounts.Key(7), ct, creatorId: "shared-creator-1");

        Assert.DoesNotContain(job, await GalleryAsync(browser, "shared-creator-1", ct));
    }

    [Fact]
    public async Task A_contract_wallet_signs_in_over_http_with_its_owners_erc_1271_signature()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync();
        var owner = AnvilAccounts.Key(5);
        var deployer = EthECKey.GenerateKey();
        await chain.Rpc.Client.SendRequestAsync<object>("anvil_setBalance", null, deployer.GetPublicAddress(), new HexBigInteger(BigInteger.Pow(10, 19)).HexValue);
        var wallet = await Erc1271WalletContract.DeployAsync(chain.Rpc.As(deployer, chain.Manifest.ChainId, TimeSpan.FromMilliseconds(20)), owner.GetPublicAddress(), ct);
        using var browser = SignInClient.For(portal);

        // The message names the contract; its owner's key signs it, as a smart-account wallet does.
        using var response = await browser.PostAsync(SignInClient.Signed(SignInClient.Message(wallet.Address, await browser.NonceAsync(ct)), owner), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(wallet.Address, (await response.Content.ReadFromJsonAsync<SessionResponse>(ct))!.Address);
        Assert.Equal(wallet.Address, (await browser.Http.GetFromJsonAsync<SessionResponse>(AuthRoutes.Me, ct))!.Address);
        // Someone else's key does not speak for the wallet.
        using var stranger = await browser.PostAsync(SignInClient.Signed(SignInClient.Message(wallet.Address, await browser.NonceAsync(ct)), AnvilAccounts.Key(9)), ct);
        await AuthApiTests.AssertRefusedAsync(stranger, "wrong_address");
    }

    [Fact]
    public async Task The_job_dashboard_opens_to_a_signed_in_admin_only()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = AnvilAccounts.Key(6);
        await using var portal = await StartAsync(("Portal:Admins:0", admin.GetPublicAddress().ToLowerInvariant()));

        using var anonymous = SignInClient.For(portal);
        using (var response = await anonymous.Http.GetAsync("/hangfire", ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var someone = SignInClient.For(portal);
        await someone.SignInAsync(AnvilAccounts.Key(7), ct);
        using (var response = await someone.Http.GetAsync("/hangfire", ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        using var operatorBrowser = SignInClient.For(portal);
        await operatorBrowser.SignInAsync(admin, ct);
        using (var response = await operatorBrowser.Http.GetAsync("/hangfire", ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Nonces_are_limited_per_ip_address_with_a_clear_429()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = await StartAsync(("Portal:NonceRequestsPerMinute", "3"));
        using var browser = SignInClient.For(portal);
        for (var i = 0; i < 3; i++)
        {
            await browser.NonceAsync(ct);
        }

        using var limited = await browser.Http.GetAsync(AuthRoutes.Nonce, ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("Too many sign-in attempts", await limited.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    private async Task<PortalApp> StartAsync(params (string Key, string Value)[] settings)
    {
        var portal = new PortalApp(postgres, chain);
        await portal.InitializeAsync();
        foreach (var (key, value) in settings)
        {
            portal.Settings[key] = value;
        }
        return portal;
    }

    private static async Task<Guid> SubmitAsync(SignInClient browser, string creatorId, string prompt, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs")
        {
            Content = JsonContent.Create(new ImageJobSpec { Prompt = prompt, ModelId = "sd15", Steps = 4 }),
        };
        request.Headers.Add(CreatorIds.Header, creatorId);
        using var response = await browser.Http.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ImageJobView>(ct))!.Id;
    }

    private static async Task<Guid[]> GalleryAsync(SignInClient browser, string creatorId, CancellationToken ct)
        => [.. (await browser.Http.GetFromJsonAsync<ImageJobView[]>($"/api/jobs?creatorId={creatorId}", ct))!.Select(j => j.Id)];
}
