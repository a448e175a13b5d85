using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Numerics;
using System.Text.Json;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Crypto;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Auth;
using Heurist.Protocol.Jobs;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;

namespace Heurist.Bench.Mint;

/// <summary>A creator in a browser: a wallet key, signed in to the portal with its own cookies.</summary>
internal sealed class Creator : IDisposable
{
    private readonly HttpClient _http;

    private Creator(Uri portal, EthECKey wallet)
    {
        Wallet = wallet;
        _http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(60) };
        _http.DefaultRequestHeaders.Add(CreatorIds.Header, "bench-" + wallet.GetPublicAddress()[2..10].ToLowerInvariant());
    }

    public EthECKey Wallet { get; }

    public string Address => Wallet.GetPublicAddress();

    public HttpClient Http => _http;

    public static async Task<Creator> SignedInAsync(Uri portal, EthECKey wallet)
    {
        var creator = new Creator(portal, wallet);
        var nonce = (await creator._http.GetFromJsonAsync<NonceResponse>(AuthRoutes.Nonce))!.Nonce;
        var message = new SiweMessage
        {
            Scheme = portal.Scheme,
            Domain = portal.Authority,
            Address = creator.Address,
            Statement = "Sign in to Heurist Portal.",
            Uri = portal.ToString(),
            ChainId = 31337,
            Nonce = nonce,
            IssuedAt = DateTimeOffset.UtcNow,
        }.ToMessage();
        using var response = await creator._http.PostAsJsonAsync(AuthRoutes.SignIn, new SignInRequest(message, new EthereumMessageSigner().EncodeUTF8AndSign(message, wallet)));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Sign-in of {creator.Address} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return creator;
    }

    public async Task<Guid> GenerateAsync(string prompt, long seed)
    {
        using var response = await _http.PostAsJsonAsync("api/jobs", new ImageJobSpec { Prompt = prompt, ModelId = "sd15", Width = 256, Height = 256, Steps = 2, Seed = seed });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ImageJobView>())!.Id;
    }

    public Task<HttpResponseMessage> PrepareAsync(string imageSha256) => _http.PostAsync(MintingRoutes.Prepare(imageSha256), null);

    public async Task<MintPreparation> PreparedAsync(string imageSha256)
    {
        using var response = await PrepareAsync(imageSha256);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Prepare of {imageSha256} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        return (await response.Content.ReadFromJsonAsync<MintPreparation>())!;
    }

    /// <summary>What the wallet does with eth_signTypedData_v4.</summary>
    public string Sign(MintPreparation preparation, EthECKey? signer = null)
        => Signatures.Sign(signer ?? Wallet, TypedDataJson.Hash(preparation.TypedData)).ToHex(true);

    public Task<HttpResponseMessage> SubmitAsync(MintPreparation preparation, string signature)
        => _http.PostAsJsonAsync(MintingRoutes.Submit, new MintSubmission(preparation.PreparationId, signature));

    public async Task<string> SubmittedAsync(MintPreparation preparation)
    {
        using var response = await SubmitAsync(preparation, Sign(preparation));
        var body = await response.Content.ReadAsStringAsync();
        var submitted = response.IsSuccessStatusCode ? JsonSerializer.Deserialize<MintSubmitted>(body, JsonSerializerOptions.Web) : null;
        return submitted?.UserOpHash ?? throw new InvalidOperationException($"Submit failed: {(int)response.StatusCode} {body}");
    }

    public async Task<MintStatus> StatusAsync(string userOpHash) => (await _http.GetFromJsonAsync<MintStatus>(MintingRoutes.Status(userOpHash)))!;

    /// <summary>The operation the wallet was asked to sign, read back from the typed data (everything but the signature).</summary>
    public static PackedUserOperation Operation(MintPreparation preparation)
    {
        using var typed = JsonDocument.Parse(preparation.TypedData);
        var message = typed.RootElement.GetProperty("message");
        string Text(string name) => message.GetProperty(name) is { ValueKind: JsonValueKind.Number } number ? number.GetRawText() : message.GetProperty(name).GetString()!;
        BigInteger Number(string name) => Text(name) is var text && text.StartsWith("0x", StringComparison.Ordinal)
            ? BigInteger.Parse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : BigInteger.Parse(text, CultureInfo.InvariantCulture);
        return new PackedUserOperation
        {
            Sender = Text("sender"),
            Nonce = Number("nonce"),
            InitCode = Text("initCode").HexToByteArray(),
            CallData = Text("callData").HexToByteArray(),
            AccountGasLimits = Text("accountGasLimits").HexToByteArray(),
            PreVerificationGas = Number("preVerificationGas"),
            GasFees = Text("gasFees").HexToByteArray(),
            PaymasterAndData = Text("paymasterAndData").HexToByteArray(),
        };
    }

    public void Dispose() => _http.Dispose();
}
