using System.Net.Http.Json;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Auth;
using Microsoft.AspNetCore.Mvc.Testing;
using Nethereum.Signer;

namespace Heurist.Portal.Server.Tests.Features.Auth;

/// <summary>A browser of the in-process portal, with its own cookies, that signs in the way the wallet code does.</summary>
internal sealed class SignInClient(HttpClient http) : IDisposable
{
    /// <summary>The test server's origin. HTTPS, because the session cookie is Secure outside Development.</summary>
    public static readonly Uri Origin = new("https://localhost/");

    public HttpClient Http { get; } = http;

    public static SignInClient For(PortalApp portal) => new(portal.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Origin }));

    public async Task<string> NonceAsync(CancellationToken ct)
    {
        using var response = await Http.GetAsync(AuthRoutes.Nonce, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<NonceResponse>(ct))!.Nonce;
    }

    /// <summary>A message for this portal as the wallet code writes it, signed in at <paramref name="now"/>.</summary>
    public static SiweMessage Message(string address, string nonce, DateTimeOffset? now = null) => new()
    {
        Scheme = "https",
        Domain = "localhost",
        Address = address,
        Statement = "Sign in to Heurist Portal.",
        Uri = Origin.ToString(),
        ChainId = 31337,
        Nonce = nonce,
        IssuedAt = now ?? DateTimeOffset.UtcNow,
    };

    public static SignInRequest Signed(SiweMessage message, EthECKey key)
    {
        var text = message.ToMessage();
        return new SignInRequest(text, new EthereumMessageSigner().EncodeUTF8AndSign(text, key));
    }

    public Task<HttpResponseMessage> PostAsync(SignInRequest request, CancellationToken ct, string? creatorId = null)
    {
        var post = new HttpRequestMessage(HttpMethod.Post, AuthRoutes.SignIn) { Content = JsonContent.Create(request) };
        if (creatorId is not null)
        {
            post.Headers.Add(Heurist.Protocol.Api.Studio.CreatorIds.Header, creatorId);
        }
        return Http.SendAsync(post, ct);
    }

    /// <summary>Asks for a nonce, signs a message with <paramref name="key"/> and posts it; throws unless it signed in.</summary>
    public async Task<string> SignInAsync(EthECKey key, CancellationToken ct, string? creatorId = null)
    {
        var request = Signed(Message(key.GetPublicAddress(), await NonceAsync(ct)), key);
        using var response = await PostAsync(request, ct, creatorId);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<SessionResponse>(ct))!.Address;
    }

    public void Dispose() => Http.Dispose();
}
