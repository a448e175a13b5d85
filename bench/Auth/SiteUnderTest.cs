using System.Net;
using System.Net.Http.Json;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Auth;
using Nethereum.Signer;

namespace Heurist.Bench.Auth;

/// <summary>The running portal as a wallet's page talks to it: nonces, signed messages, sign-ins.</summary>
internal sealed class SiteUnderTest(HttpClient http, Uri origin, ulong chainId)
{
    private readonly EthereumMessageSigner _signer = new();

    public Uri Origin { get; } = origin;

    public ulong ChainId { get; } = chainId;

    /// <summary>A message for <paramref name="origin"/> as the portal's wallet code writes it.</summary>
    public static SiweMessage Message(string address, string nonce, Uri origin, ulong chainId) => new()
    {
        Scheme = origin.Scheme,
        Domain = origin.Authority,
        Address = address,
        Statement = "Sign in to Heurist Portal.",
        Uri = origin.GetLeftPart(UriPartial.Authority) + "/",
        ChainId = chainId,
        Nonce = nonce,
        IssuedAt = DateTimeOffset.UtcNow,
        ExpirationTime = DateTimeOffset.UtcNow.AddDays(7),
    };

    public SiweMessage Message(string address, string nonce) => Message(address, nonce, Origin, ChainId);

    public string Sign(string text, EthECKey key) => _signer.EncodeUTF8AndSign(text, key);

    public async Task<string> NonceAsync(CancellationToken ct)
        => (await http.GetFromJsonAsync<NonceResponse>(AuthRoutes.Nonce, ct))!.Nonce;

    public async Task<HttpStatusCode> PostAsync(SignInRequest request, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync(AuthRoutes.SignIn, request, ct);
        return response.StatusCode;
    }

    /// <summary>One full sign-in: a nonce, a message signed by <paramref name="key"/>, the POST. True when it signed in.</summary>
    public async Task<bool> SignInAsync(EthECKey key, CancellationToken ct)
    {
        var text = Message(key.GetPublicAddress(), await NonceAsync(ct)).ToMessage();
        return await PostAsync(new SignInRequest(text, Sign(text, key)), ct) == HttpStatusCode.OK;
    }

    public async Task<bool> HealthAsync(CancellationToken ct)
    {
        using var response = await http.GetAsync("/health/live", ct);
        return response.StatusCode == HttpStatusCode.OK;
    }
}
