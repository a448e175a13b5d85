using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Heurist.Contracts.Crypto;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Auth;
using Nethereum.Signer;

namespace Heurist.Bench.Auth;

/// <summary>The running portal as a wallet's page talks to it: nonces, signed messages, sign-ins.</summary>
internal sealed class SiteUnderTest(HttpClient http, Uri origin, ulong chainId)
{
    private static readonly EthereumMessageSigner Prefixer = new();

    private static readonly ConcurrentDictionary<EthECKey, string> Addresses = new();

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

    /// <summary>
    /// The wallet's personal_sign, done the way a fast wallet does it: EIP-191 hash, then libsecp256k1
    /// (<see cref="Signatures.Sign"/>). The wallet runs on the user's machine; here it shares the portal's two cores,
    /// so it should take as little of them as it can. Nethereum's own signer checks that it gives the same bytes.
    /// </summary>
    public static string Sign(string text, EthECKey key)
        => "0x" + Convert.ToHexStringLower(Signatures.Sign(key, Prefixer.HashPrefixedMessage(Encoding.UTF8.GetBytes(text))));

    /// <summary>Throws unless <see cref="Sign"/> agrees with Nethereum's EthereumMessageSigner.</summary>
    public static void CheckSigner(EthECKey key)
    {
        const string text = "bench/auth.sh checks its signer";
        if (Sign(text, key) != Prefixer.EncodeUTF8AndSign(text, key))
        {
            throw new InvalidOperationException("The benchmark's signer disagrees with Nethereum's.");
        }
    }

    public async Task<string> NonceAsync(CancellationToken ct)
        => (await http.GetFromJsonAsync<NonceResponse>(AuthRoutes.Nonce, ct))!.Nonce;

    /// <summary>The POST as a page's fetch sends it: the JSON with its Content-Length, not chunked.</summary>
    public async Task<HttpStatusCode> PostAsync(SignInRequest request, CancellationToken ct)
    {
        using var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, JsonSerializerOptions.Web));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(AuthRoutes.SignIn, body, ct);
        return response.StatusCode;
    }

    /// <summary>One full sign-in: a nonce, a message signed by <paramref name="key"/>, the POST. True when it signed in.</summary>
    public async Task<bool> SignInAsync(EthECKey key, CancellationToken ct)
    {
        // A wallet knows its address; deriving it again from the key on every sign-in would load the client, not the portal.
        var address = Addresses.GetOrAdd(key, k => k.GetPublicAddress());
        var text = Message(address, await NonceAsync(ct)).ToMessage();
        return await PostAsync(new SignInRequest(text, Sign(text, key)), ct) == HttpStatusCode.OK;
    }

    public async Task<bool> HealthAsync(CancellationToken ct)
    {
        using var response = await http.GetAsync("/health/live", ct);
        return response.StatusCode == HttpStatusCode.OK;
    }
}
