using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Heurist.Contracts.LocalChain;
using Heurist.Portal.Data.Auth;
using Heurist.Protocol.Api.Auth;
using Heurist.Testing;

namespace Heurist.Portal.Server.Tests.Features.Auth;

/// <summary>Sign-In with Ethereum over HTTP on the real portal, PostgreSQL and anvil: nonces, sessions, refusals.</summary>
public sealed class AuthApiTests(PortalApp portal) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task A_signed_message_starts_a_session_that_me_reports_until_logout()
    {
        var ct = TestContext.Current.CancellationToken;
        using var browser = SignInClient.For(portal);
        var key = AnvilAccounts.Key(6);
        var nonce = await browser.NonceAsync(ct);
        Assert.Matches("^[A-Za-z0-9]{8,}$", nonce);

        using var signIn = await browser.PostAsync(SignInClient.Signed(SignInClient.Message(key.GetPublicAddress(), nonce), key), ct);

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(key.GetPublicAddress(), (await signIn.Content.ReadFromJsonAsync<SessionResponse>(ct))!.Address);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("heurist.session=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(key.GetPublicAddress(), (await browser.Http.GetFromJsonAsync<SessionResponse>(AuthRoutes.Me, ct))!.Address);

        using var logout = await browser.Http.PostAsync(AuthRoutes.Logout, null, ct);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var after = await browser.Http.GetAsync(AuthRoutes.Me, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Me_is_401_for_a_browser_that_never_signed_in()
    {
        using var browser = SignInClient.For(portal);
        using var response = await browser.Http.GetAsync(AuthRoutes.Me, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Nonces_are_single_use_and_differ()
    {
        var ct = TestContext.Current.CancellationToken;
        using var browser = SignInClient.For(portal);
        Assert.NotEqual(await browser.NonceAsync(ct), await browser.NonceAsync(ct));
    }

    [Fact]
    public async Task A_message_used_once_is_refused_when_replayed_even_by_another_browser()
    {
        var ct = TestContext.Current.CancellationToken;
        using var first = SignInClient.For(portal);
        using var second = SignInClient.For(portal);
        var key = AnvilAccounts.Key(7);
        var request = SignInClient.Signed(SignInClient.Message(key.GetPublicAddress(), await first.NonceAsync(ct)), key);
        using (var ok = await first.PostAsync(request, ct))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var replay = await second.PostAsync(request, ct);

        await AssertRefusedAsync(replay, "nonce_used");
        using var me = await second.Http.GetAsync(AuthRoutes.Me, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
    }

    [Fact]
    public async Task The_same_message_posted_eight_times_at_once_signs_in_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        using var first = SignInClient.For(portal);
        var key = AnvilAccounts.Key(8);
        var request = SignInClient.Signed(SignInClient.Message(key.GetPublicAddress(), await first.NonceAsync(ct)), key);
        var browsers = Enumerable.Range(0, 8).Select(_ => SignInClient.For(portal)).ToArray();
        try
        {
            // Concurrent uses of one nonce land in one batch of the group commit, or in batches one after the other.
            var responses = await Task.WhenAll(browsers.Select(b => b.PostAsync(request, ct)));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            {
                await AssertRefusedAsync(refused, "nonce_used");
            }
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
        finally
        {
            foreach (var browser in browsers)
            {
                browser.Dispose();
            }
        }
    }

    [Fact]
    public async Task Eight_browsers_signing_in_at_once_each_get_their_own_session()
    {
        var ct = TestContext.Current.CancellationToken;
        var keys = Enumerable.Range(0, 8).Select(i => AnvilAccounts.Key(i % 2 == 0 ? 6 : 9)).ToArray();
        var browsers = keys.Select(_ => SignInClient.For(portal)).ToArray();
        try
        {
            var nonces = await Task.WhenAll(browsers.Select(b => b.NonceAsync(ct)));
            Assert.Equal(nonces.Length, nonces.Distinct(StringComparer.Ordinal).Count());

            var responses = await Task.WhenAll(browsers.Select((b, i) =>
                b.PostAsync(SignInClient.Signed(SignInClient.Message(keys[i].GetPublicAddress(), nonces[i]), keys[i]), ct)));

            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            for (var i = 0; i < browsers.Length; i++)
            {
                Assert.Equal(keys[i].GetPublicAddress(), (await browsers[i].Http.GetFromJsonAsync<SessionResponse>(AuthRoutes.Me, ct))!.Address);
                responses[i].Dispose();
            }
        }
        finally
        {
            foreach (var browser in browsers)
            {
                browser.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_nonce_the_portal_never_handed_out_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var browser = SignInClient.For(portal);
        var key = AnvilAccounts.Key(7);
        using var response = await browser.PostAsync(SignInClient.Signed(SignInClient.Message(key.GetPublicAddress(), "madeUpNonce123"), key), ct);
        await AssertRefusedAsync(response, "nonce_unknown");
    }

    [Fact]
    public async Task An_expired_nonce_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var db = PostgresFixture.CreateContext(portal.ConnectionString))
        {
            db.SignInNonces.Add(new SignInNonce { Nonce = "expiredNonce0001", IssuedAt = DateTimeOffset.UtcNow.AddHours(-1), ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-50) });
            await db.SaveChangesAsync(ct);
        }
        using var browser = SignInClient.For(portal);
        var key = AnvilAccounts.Key(7);
        using var response = await browser.PostAsync(SignInClient.Signed(SignInClient.Message(key.GetPublicAddress(), "expiredNonce0001"), key), ct);
        await AssertRefusedAsync(response, "nonce_expired");
    }

    [Fact]
    public async Task A_message_for_another_site_is_refused_and_keeps_its_nonce_unused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var browser = SignInClient.For(portal);
        var key = AnvilAccounts.Key(8);
        var nonce = await browser.NonceAsync(ct);
        var phishing = SignInClient.Message(key.GetPublicAddress(), nonce) with { Domain = "heurist.example" };

        using var refused = await browser.PostAsync(SignInClient.Signed(phishing, key), ct);
        await AssertRefusedAsync(refused, "domain");

        // The refusal did not burn the nonce: the honest message with it still signs in.
        using var honest = await browser.PostAsync(SignInClient.Signed(SignInClient.Message(key.GetPublicAddress(), nonce), key), ct);
        Assert.Equal(HttpStatusCode.OK, honest.StatusCode);
    }

    [Fact]
    public async Task A_message_signed_by_another_key_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        using var browser = SignInClient.For(portal);
        var claimed = AnvilAccounts.Key(8).GetPublicAddress();
        using var response = await browser.PostAsync(SignInClient.Signed(SignInClient.Message(claimed, await browser.NonceAsync(ct)), AnvilAccounts.Key(9)), ct);
        await AssertRefusedAsync(response, "wrong_address");
    }

    [Fact]
    public async Task A_request_without_message_or_signature_names_both_fields()
    {
        var ct = TestContext.Current.CancellationToken;
        using var browser = SignInClient.For(portal);
        using var response = await browser.Http.PostAsJsonAsync(AuthRoutes.SignIn, new { message = "", signature = (string?)null }, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var errors = body.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("message", out _));
        Assert.True(errors.TryGetProperty("signature", out _));
    }

    [Fact]
    public async Task Text_that_is_not_an_eip_4361_message_is_refused_as_malformed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var browser = SignInClient.For(portal);
        using var response = await browser.PostAsync(new SignInRequest("please let me in", "0x" + new string('1', 130)), ct);
        await AssertRefusedAsync(response, "malformed");
    }

    internal static async Task AssertRefusedAsync(HttpResponseMessage response, string code)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("Sign-in refused.", body.RootElement.GetProperty("title").GetString());
        Assert.Equal(code, body.RootElement.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.RootElement.GetProperty("detail").GetString()));
    }
}
