using System.Globalization;
using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.Portal.Server.Features.Auth;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Auth;
using Heurist.Testing;
using Microsoft.Extensions.DependencyInjection;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.Signer;
using Nethereum.Web3;

namespace Heurist.Portal.Server.Tests.Features.Auth;

/// <summary>The verifier against a real anvil: EIP-191 recovery with our low-s guard, and ERC-1271 on a deployed wallet.</summary>
public sealed class SiweVerifierTests(DeployedChainFixture chain)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 17, 40, 0, TimeSpan.Zero);

    private static readonly BigInteger N = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static readonly EthECKey Alice = AnvilAccounts.Key(6);

    private static readonly EthECKey Mallory = AnvilAccounts.Key(7);

    /// <summary>The wallet owner of the ERC-1271 tests: dev account 3.</summary>
    private static readonly EthECKey WalletOwner = AnvilAccounts.Key(3);

    private SiweExpectations Portal => new("127.0.0.1:5080", new Uri("http://127.0.0.1:5080/"), chain.Manifest.ChainId);

    private SiweVerifier Verifier(IWeb3? web3 = null) => new(web3 ?? chain.Rpc, new FixedClock(Now));

    /// <summary>A verifier whose chain is a port where nothing listens.</summary>
    private static SiweVerifier VerifierWithoutChain() => new(ChainRpc.Connect(new Uri($"http://127.0.0.1:{FreePort.Next()}/")), new FixedClock(Now));

    private SiweMessage Message(string address) => new()
    {
        Domain = "127.0.0.1:5080",
        Address = address,
        Statement = "Sign in to Heurist.",
        Uri = "http://127.0.0.1:5080/",
        ChainId = chain.Manifest.ChainId,
        Nonce = SiweNonces.Create(),
        IssuedAt = Now.AddSeconds(-5),
        ExpirationTime = Now.AddMinutes(10),
    };

    private static SignInRequest Signed(string text, EthECKey key) => new(text, new EthereumMessageSigner().EncodeUTF8AndSign(text, key));

    private static SignInRequest Signed(SiweMessage message, EthECKey key) => Signed(message.ToMessage(), key);

    private static async Task<SiweVerification> Refused(SiweVerifier verifier, SignInRequest request, SiweExpectations expected, SiweRefusal refusal)
    {
        var result = await verifier.VerifyAsync(request, expected, TestContext.Current.CancellationToken);

        Assert.False(result.IsVerified, $"verified, but {refusal} was expected");
        Assert.True(result.Refusal == refusal, $"expected {refusal}, got {result.Refusal}: {result.Reason}");
        Assert.Equal(refusal.Code, result.Code);
        Assert.Null(result.Message);
        Assert.Null(result.Address);
        return result;
    }

    private Task<SiweVerification> Refused(SignInRequest request, SiweRefusal refusal) => Refused(Verifier(), request, Portal, refusal);

    private Task<SiweVerification> Refused(SiweMessage message, SiweRefusal refusal) => Refused(Signed(message, Alice), refusal);

    private static async Task<SiweVerification> Verified(SiweVerifier verifier, SignInRequest request, SiweExpectations expected)
    {
        var result = await verifier.VerifyAsync(request, expected, TestContext.Current.CancellationToken);

        Assert.True(result.IsVerified, $"refused: {result.Code}: {result.Reason}");
        Assert.Null(result.Refusal);
        Assert.Null(result.Reason);
        return result;
    }

    private Task<SiweVerification> Verified(SiweMessage message) => Verified(Verifier(), Signed(message, Alice), Portal);

    [Fact]
    public async Task An_account_signs_in_with_its_own_key()
    {
        var message = Message(Alice.GetPublicAddress());

        var result = await Verified(message);

        Assert.Equal(Alice.GetPublicAddress(), result.Address);
        Assert.Equal(message, result.Message);
        Assert.False(result.IsContractAccount);
    }

    [Fact]
    public async Task An_account_signature_that_recovers_the_address_is_accepted_without_asking_the_chain()
    {
        var result = await Verified(VerifierWithoutChain(), Signed(Message(Alice.GetPublicAddress()), Alice), Portal);

        Assert.Equal(Alice.GetPublicAddress(), result.Address);
    }

    [Fact]
    public async Task A_signature_that_does_not_recover_the_address_asks_the_chain_and_an_unreachable_one_is_not_a_refusal()
    {
        var request = Signed(Message(Alice.GetPublicAddress()), Mallory);

        var error = await Assert.ThrowsAsync<SiweChainUnavailableException>(() => VerifierWithoutChain().VerifyAsync(request, Portal, TestContext.Current.CancellationToken));

        Assert.Contains(Alice.GetPublicAddress(), error.Message, StringComparison.Ordinal);
        Assert.Contains("contract account", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_off_the_grammar_is_malformed_and_the_reason_names_the_field()
    {
        var crlf = Message(Alice.GetPublicAddress()).ToMessage().Replace("\n", "\r\n", StringComparison.Ordinal);
        var hexChain = Message(Alice.GetPublicAddress()).ToMessage().Replace("Chain ID: 31337", "Chain ID: 0x7a69", StringComparison.Ordinal);

        await Refused(Signed("Sign in to Heurist, please", Alice), SiweRefusal.Malformed);
        await Refused(Signed(crlf, Alice), SiweRefusal.Malformed);
        var result = await Refused(Signed(hexChain, Alice), SiweRefusal.Malformed);
        Assert.Contains("Chain ID: '0x7a69' is not a decimal number", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_longer_than_the_limit_is_malformed_before_it_is_read()
    {
        var message = Message(Alice.GetPublicAddress()) with { Resources = [.. Enumerable.Range(0, 400).Select(i => $"https://example.com/{i:D40}")] };

        var result = await Refused(message, SiweRefusal.Malformed);

        Assert.Contains("longer than 16384", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_without_its_signature_is_malformed()
        => await Refused(new SignInRequest(Message(Alice.GetPublicAddress()).ToMessage(), null!), SiweRefusal.Malformed);

    [Fact]
    public async Task A_message_for_another_domain_is_refused_naming_both()
    {
        var result = await Refused(Message(Alice.GetPublicAddress()) with { Domain = "example.com" }, SiweRefusal.Domain);

        Assert.Equal("The message is for example.com, not this portal (127.0.0.1:5080).", result.Reason);
    }

    [Fact]
    public async Task A_message_for_another_port_of_the_same_host_is_refused()
        => await Refused(Message(Alice.GetPublicAddress()) with { Domain = "127.0.0.1:5081" }, SiweRefusal.Domain);

    [Fact]
    public async Task A_message_with_another_scheme_before_the_domain_is_refused()
    {
        var result = await Refused(Message(Alice.GetPublicAddress()) with { Scheme = "https" }, SiweRefusal.Domain);

        Assert.Contains("https://127.0.0.1:5080", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_portal_scheme_before_the_domain_is_accepted()
        => await Verified(Message(Alice.GetPublicAddress()) with { Scheme = "HTTP" });

    [Fact]
    public async Task The_host_is_compared_in_any_case_and_the_port_exactly()
    {
        var portal = new SiweExpectations("localhost:5080", new Uri("http://localhost:5080/"), chain.Manifest.ChainId);
        var message = Message(Alice.GetPublicAddress()) with { Domain = "LocalHost:5080", Uri = "http://LOCALHOST:5080/sign-in" };

        await Verified(Verifier(), Signed(message, Alice), portal);
        await Refused(Verifier(), Signed(message with { Domain = "localhost:05080" }, Alice), portal, SiweRefusal.Domain);
        await Refused(Verifier(), Signed(message with { Domain = "localhost" }, Alice), portal, SiweRefusal.Domain);
    }

    [Fact]
    public async Task An_explicit_default_port_is_another_domain_but_the_same_origin()
    {
        var portal = new SiweExpectations("portal.example", new Uri("https://portal.example/"), chain.Manifest.ChainId);
        var message = Message(Alice.GetPublicAddress()) with { Domain = "portal.example", Uri = "https://portal.example:443/login" };

        await Verified(Verifier(), Signed(message, Alice), portal);
        await Refused(Verifier(), Signed(message with { Domain = "portal.example:443" }, Alice), portal, SiweRefusal.Domain);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5081/")]
    [InlineData("https://127.0.0.1:5080/")]
    [InlineData("http://evil.example/")]
    [InlineData("http://127.0.0.1.evil.example:5080/")]
    [InlineData("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66")]
    [InlineData("ws://127.0.0.1:5080/")]
    public async Task A_URI_off_the_portal_origin_is_refused(string uri)
    {
        var result = await Refused(Message(Alice.GetPublicAddress()) with { Uri = uri }, SiweRefusal.Uri);

        Assert.Contains(uri, result.Reason, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:5080", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_path_query_or_user_information_on_the_portal_origin_is_the_same_origin()
        => await Verified(Message(Alice.GetPublicAddress()) with { Uri = "http://someone@127.0.0.1:5080/studio?x=1#top" });

    [Fact]
    public async Task A_message_of_another_version_is_refused_as_such()
    {
        var text = Message(Alice.GetPublicAddress()).ToMessage().Replace("Version: 1", "Version: 2", StringComparison.Ordinal);

        var result = await Refused(Signed(text, Alice), SiweRefusal.Version);

        Assert.Contains("'2'", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_for_another_chain_is_refused()
    {
        var result = await Refused(Message(Alice.GetPublicAddress()) with { ChainId = 1 }, SiweRefusal.Chain);

        Assert.Equal($"The message is for chain 1, not this portal's chain {chain.Manifest.ChainId}.", result.Reason);
    }

    [Fact]
    public async Task A_message_issued_more_than_the_skew_ahead_of_the_clock_is_refused_and_one_within_it_is_not()
    {
        var message = Message(Alice.GetPublicAddress());

        await Verified(message with { IssuedAt = Now.AddSeconds(SiweVerifier.ClockSkewSeconds) });
        var result = await Refused(message with { IssuedAt = Now.AddSeconds(SiweVerifier.ClockSkewSeconds).AddMilliseconds(1) }, SiweRefusal.IssuedInFuture);
        Assert.Contains("2026-12-03T17:41:00.001Z", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_is_expired_from_its_expiration_time_on_with_no_skew()
    {
        var message = Message(Alice.GetPublicAddress());

        await Verified(message with { ExpirationTime = Now.AddMilliseconds(1) });
        await Refused(message with { ExpirationTime = Now }, SiweRefusal.Expired);
        var result = await Refused(message with { ExpirationTime = Now.AddMinutes(-1) }, SiweRefusal.Expired);
        Assert.Contains("2026-12-03T17:39:00.000Z", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_not_valid_before_a_time_beyond_the_skew_is_refused_and_one_within_it_is_not()
    {
        var message = Message(Alice.GetPublicAddress());

        await Verified(message with { NotBefore = Now.AddSeconds(SiweVerifier.ClockSkewSeconds) });
        await Refused(message with { NotBefore = Now.AddSeconds(SiweVerifier.ClockSkewSeconds).AddMilliseconds(1) }, SiweRefusal.NotYetValid);
    }

    [Fact]
    public async Task An_address_that_is_not_EIP_55_checksummed_is_refused_even_in_lower_case()
    {
        var address = Alice.GetPublicAddress();
        var letter = Array.FindLastIndex(address.ToCharArray(), char.IsAsciiLetter);
        var flipped = address[..letter] + (char.IsUpper(address[letter]) ? char.ToLowerInvariant(address[letter]) : char.ToUpperInvariant(address[letter])) + address[(letter + 1)..];

        var lower = await Refused(Message(address.ToLowerInvariant()), SiweRefusal.AddressChecksum);
        await Refused(Message(flipped), SiweRefusal.AddressChecksum);
        Assert.Contains(address, lower.Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadSignatures()
    {
        var good = new EthereumMessageSigner().EncodeUTF8AndSign("anything", Alice).HexToByteArray();
        return new TheoryData<string, string>
        {
            { "not hex", "hello" },
            { "no 0x", good.ToHex() },
            { "odd hex digits", "0x" + good.ToHex()[1..] },
            { "64 bytes", good[..64].ToHex(true) },
            { "66 bytes", ((byte[])[.. good, 0]).ToHex(true) },
            { "empty", "0x" },
            { "v 29", ((byte[])[.. good[..64], 29]).ToHex(true) },
            { "r zero", ((byte[])[.. new byte[32], .. good[32..]]).ToHex(true) },
        };
    }

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task A_signature_that_is_not_an_account_signature_is_a_bad_signature(string name, string signature)
    {
        var result = await Refused(new SignInRequest(Message(Alice.GetPublicAddress()).ToMessage(), signature), SiweRefusal.BadSignature);

        Assert.False(string.IsNullOrWhiteSpace(result.Reason), name);
    }

    [Fact]
    public async Task A_signature_longer_than_the_limit_is_refused_before_it_is_read()
    {
        var result = await Refused(new SignInRequest(Message(Alice.GetPublicAddress()).ToMessage(), "0x" + new string('a', (2 * SiweVerifier.MaxSignatureBytes) + 2)), SiweRefusal.BadSignature);

        Assert.Contains("longer than 16384 bytes", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_high_s_twin_of_a_valid_signature_is_refused()
    {
        var request = Signed(Message(Alice.GetPublicAddress()), Alice);
        var high = HighSTwin(request.Signature);
        // The twin is valid ECDSA: Nethereum itself recovers Alice from it; only our EIP-2 guard refuses it.
        Assert.Equal(Alice.GetPublicAddress(), new EthereumMessageSigner().EncodeUTF8AndEcRecover(request.Message, high), ignoreCase: true);

        var result = await Refused(request with { Signature = high }, SiweRefusal.HighS);

        Assert.Contains("EIP-2", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_signed_by_another_key_is_refused_naming_the_signer()
    {
        var result = await Refused(Signed(Message(Alice.GetPublicAddress()), Mallory), SiweRefusal.WrongAddress);

        Assert.Equal($"The message was signed by {Mallory.GetPublicAddress()}, not by {Alice.GetPublicAddress()}.", result.Reason);
    }

    [Fact]
    public async Task A_signature_of_another_text_does_not_sign_this_one()
    {
        var message = Message(Alice.GetPublicAddress());
        var signedForOtherNonce = Signed(message with { Nonce = SiweNonces.Create() }, Alice);

        await Refused(new SignInRequest(message.ToMessage(), signedForOtherNonce.Signature), SiweRefusal.WrongAddress);
    }

    [Fact]
    public async Task A_contract_account_signs_in_when_its_ERC_1271_check_accepts_the_owner_signature()
    {
        var wallet = await DeployWalletAsync();
        var message = Message(wallet.Address);

        var result = await Verified(Verifier(), Signed(message, WalletOwner), Portal);

        Assert.True(result.IsContractAccount);
        Assert.Equal(wallet.Address, result.Address);
        Assert.Equal(message, result.Message);
    }

    [Fact]
    public async Task A_contract_account_refuses_a_signature_by_another_key()
    {
        var wallet = await DeployWalletAsync();

        var result = await Refused(Signed(Message(wallet.Address), Mallory), SiweRefusal.WrongAddress);

        Assert.Contains($"The contract account {wallet.Address} did not accept the signature", result.Reason, StringComparison.Ordinal);
        Assert.Contains("0xffffffff", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_contract_account_is_asked_about_signatures_of_any_length_and_decides_alone()
    {
        var wallet = await DeployWalletAsync();
        var request = Signed(Message(wallet.Address), WalletOwner);

        // 64 bytes is no account signature, and the owner's high-s twin fails our guard: both go to the wallet, whose
        // OpenZeppelin ECDSA refuses them too.
        var shortSignature = await Refused(request with { Signature = request.Signature[..^2] }, SiweRefusal.WrongAddress);
        var highS = await Refused(request with { Signature = HighSTwin(request.Signature) }, SiweRefusal.WrongAddress);

        Assert.Contains("did not accept", shortSignature.Reason, StringComparison.Ordinal);
        Assert.Contains("did not accept", highS.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_contract_without_ERC_1271_refuses_by_reverting_which_is_a_refusal_not_an_outage()
    {
        // HeuristToken has no isValidSignature and no fallback: the call reverts.
        var token = Checksummed(chain.Manifest.Contracts.HeuristToken);

        var result = await Refused(Signed(Message(token), Alice), SiweRefusal.WrongAddress);

        Assert.Contains("reverted", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_refusal_has_its_stable_snake_case_code()
    {
        string[] expected =
        [
            "malformed", "domain", "uri", "version", "chain", "issued_in_future", "expired", "not_yet_valid", "address_checksum",
            "bad_signature", "high_s", "wrong_address", "nonce_unknown", "nonce_used", "nonce_expired",
        ];

        Assert.Equal(expected, Enum.GetValues<SiweRefusal>().Select(r => r.Code));
    }

    [Theory]
    [InlineData(NonceCheck.Unknown, SiweRefusal.NonceUnknown, "not issued by this portal")]
    [InlineData(NonceCheck.Used, SiweRefusal.NonceUsed, "already been used")]
    [InlineData(NonceCheck.Expired, SiweRefusal.NonceExpired, "expired")]
    public void A_nonce_the_store_refuses_is_reported_like_the_other_refusals(NonceCheck check, SiweRefusal refusal, string words)
    {
        var result = SiweVerification.ForNonce(check, "abcdefgh12345678");

        Assert.NotNull(result);
        Assert.False(result.IsVerified);
        Assert.Equal(refusal, result.Refusal);
        Assert.Contains(words, result.Reason, StringComparison.Ordinal);
        Assert.Contains("abcdefgh12345678", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_nonce_is_no_refusal()
        => Assert.Null(SiweVerification.ForNonce(NonceCheck.Valid, "abcdefgh12345678"));

    [Fact]
    public void AddSiweVerifier_registers_one_verifier_over_the_portal_chain_client()
    {
        var services = new ServiceCollection().AddSingleton(chain.Rpc).AddSiweVerifier();
        using var provider = services.BuildServiceProvider();

        var verifier = provider.GetRequiredService<SiweVerifier>();

        Assert.Same(verifier, provider.GetRequiredService<SiweVerifier>());
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    private static string Checksummed(string address) => Nethereum.Util.AddressUtil.Current.ConvertToChecksumAddress(address);

    /// <summary>s' = n − s with the other recovery id: the same signer, in the form EIP-2 outlaws.</summary>
    private static string HighSTwin(string signatureHex)
    {
        var signature = signatureHex.HexToByteArray();
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        var twin = (N - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        Array.Clear(signature, 32, 32);
        twin.CopyTo(signature, 64 - twin.Length);
        signature[64] = (byte)(signature[64] == 27 ? 28 : 27);
        return signature.ToHex(true);
    }

    /// <summary>An Erc1271Wallet owned by <see cref="WalletOwner"/>, deployed from a fresh funded key so no other test's nonces are touched.</summary>
    private async Task<Erc1271WalletContract> DeployWalletAsync()
    {
        var deployer = EthECKey.GenerateKey();
        await chain.Rpc.Client.SendRequestAsync<object>("anvil_setBalance", null, deployer.GetPublicAddress(), new HexBigInteger(BigInteger.Pow(10, 19)).HexValue);
        var wallet = await Erc1271WalletContract.DeployAsync(chain.Rpc.As(deployer, chain.Manifest.ChainId, TimeSpan.FromMilliseconds(20)), WalletOwner.GetPublicAddress(), TestContext.Current.CancellationToken);
        Assert.Equal(WalletOwner.GetPublicAddress(), await wallet.OwnerAsync());
        return wallet;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
