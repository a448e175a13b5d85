using System.Numerics;
using System.Text;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Bindings.ImaginariesNft;
using Heurist.Contracts.Imaginaries;
using Nethereum.ABI.EIP712;
using Nethereum.Hex.HexTypes;
using static Heurist.Contracts.Tests.ContractRules.ProtocolChain;

namespace Heurist.Contracts.Tests.ContractRules;

/// <summary>ImaginariesNft: mints authorized by the studio signer (EIP-712), one token per image, URIs of any length.</summary>
[Collection(ContractRulesGroup.Name)]
public sealed class ImaginariesNftTests(ProtocolChain chain)
{
    private const string IpfsUri = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/metadata.json";

    private ImaginariesNftContract Nft => chain.Contracts.Nft;

    private async Task<MintAuthorization> AuthorizationAsync(string to, string uri = IpfsUri, long deadlineFromNow = (long)Day, CancellationToken ct = default)
        => new(to, UniqueId("image"), "sdxl", uri, (ulong)((long)await chain.LatestTimestampAsync(ct) + deadlineFromNow));

    private byte[] StudioSignature(MintAuthorization authorization)
        => authorization.Sign(StudioSigner, chain.Contracts.ChainId, Nft.Address);

    private Task<TransactionReceipt> MintAsync(EthECKey submitter, MintAuthorization a, byte[] signature, CancellationToken ct)
        => Nft.MintAsync(chain.Send(submitter), a.To, a.ImageHash, a.ModelId, a.Uri, a.Deadline, signature, ct);

    private static BigInteger TokenId(byte[] imageHash) => new(imageHash, isUnsigned: true, isBigEndian: true);

    [Theory]
    [InlineData("")]
    [InlineData(IpfsUri)]
    [InlineData("https://heurist.ai/imaginaries/éè/ü.json")]
    public async Task The_library_hashes_a_mint_authorization_as_the_contract_does(string uri)
    {
        var ct = TestContext.Current.CancellationToken;
        var authorization = new MintAuthorization(EthECKey.GenerateKey().Address, UniqueId("image"), "flux-1-dev", uri, 1_900_000_000);

        var onChain = await Nft.HashMintAuthorizationAsync(authorization.To, authorization.ImageHash, authorization.ModelId, authorization.Uri, authorization.Deadline);

        Assert.Equal(onChain, authorization.Hash(chain.Contracts.ChainId, Nft.Address));
        var encodeType = Eip712TypedDataEncoder.Current.GetEncodedType("MintAuthorization", typeof(MintAuthorization));
        var typeHash = Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(encodeType));
        Assert.Equal(await Nft.MintAuthorizationTypehashAsync(), typeHash);
    }

    [Fact]
    public async Task A_studio_signed_mint_gives_the_creator_the_token_whose_id_is_the_image_hash()
    {
        var ct = TestContext.Current.CancellationToken;
        var creator = EthECKey.GenerateKey().Address;
        var submitter = await chain.NewAccountAsync(ct: ct);
        var authorization = await AuthorizationAsync(creator, ct: ct);
        var tokenId = TokenId(authorization.ImageHash);
        Assert.False(await Nft.IsMintedAsync(authorization.ImageHash));

        var receipt = await MintAsync(submitter, authorization, StudioSignature(authorization), ct);

        var transfer = Assert.Single(Nft.TransferEvents(receipt));
        Assert.Equal((AddressUtil.ZERO_ADDRESS, creator, tokenId), (transfer.From, transfer.To, transfer.TokenId));
        var minted = Assert.Single(Nft.ImageMintedEvents(receipt));
        Assert.Equal((tokenId, creator, "sdxl", IpfsUri), (minted.TokenId, minted.To, minted.ModelId, minted.Uri));
        Assert.Equal(authorization.ImageHash, minted.ImageHash);
        Assert.Equal(creator, await Nft.OwnerOfAsync(tokenId));
        Assert.Equal(BigInteger.One, await Nft.BalanceOfAsync(creator));
        Assert.True(await Nft.IsMintedAsync(authorization.ImageHash));
        Assert.Equal(IpfsUri, await Nft.TokenURIAsync(tokenId));
    }

    [Fact]
    public async Task An_image_is_minted_once_so_replaying_its_authorization_or_authorizing_it_again_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var creator = EthECKey.GenerateKey().Address;
        var submitter = await chain.NewAccountAsync(ct: ct);
        var authorization = await AuthorizationAsync(creator, ct: ct);
        var signature = StudioSignature(authorization);
        await MintAsync(submitter, authorization, signature, ct);

        var replay = await Revert.WithAsync("ImageAlreadyMinted", () => MintAsync(submitter, authorization, signature, ct));
        var toSomeoneElse = authorization with { To = submitter.Address };
        await Revert.WithAsync("ImageAlreadyMinted", () => MintAsync(submitter, toSomeoneElse, StudioSignature(toSomeoneElse), ct));

        Assert.Equal(authorization.ImageHash, replay["imageHash"]);
        Assert.Equal(creator, await Nft.OwnerOfAsync(TokenId(authorization.ImageHash)));
        Assert.Equal(BigInteger.Zero, await Nft.BalanceOfAsync(submitter.Address));
    }

    [Fact]
    public async Task An_authorization_is_refused_once_its_deadline_has_passed()
    {
        var ct = TestContext.Current.CancellationToken;
        var submitter = await chain.NewAccountAsync(ct: ct);
        var authorization = await AuthorizationAsync(EthECKey.GenerateKey().Address, deadlineFromNow: 600, ct: ct);
        var signature = StudioSignature(authorization);

        await chain.IncreaseTimeToAsync(authorization.Deadline + 1, ct);
        var expired = await Revert.WithAsync("AuthorizationExpired", () => MintAsync(submitter, authorization, signature, ct));
        var longAgo = await AuthorizationAsync(EthECKey.GenerateKey().Address, deadlineFromNow: -1, ct: ct);
        await Revert.WithAsync("AuthorizationExpired", () => MintAsync(submitter, longAgo, StudioSignature(longAgo), ct));

        Assert.Equal((BigInteger)authorization.Deadline, expired["deadline"]);
        Assert.False(await Nft.IsMintedAsync(authorization.ImageHash));
    }

    [Fact]
    public async Task A_signature_by_another_key_or_over_other_fields_names_who_signed_and_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var submitter = await chain.NewAccountAsync(ct: ct);
        var authorization = await AuthorizationAsync(EthECKey.GenerateKey().Address, ct: ct);
        var impostor = EthECKey.GenerateKey();

        var wrongSigner = await Revert.WithAsync("InvalidAuthorization",
            () => MintAsync(submitter, authorization, authorization.Sign(impostor, chain.Contracts.ChainId, Nft.Address), ct));
        var otherFields = authorization with { Uri = IpfsUri + "?v=2" };
        var overOtherFields = await Revert.WithAsync("InvalidAuthorization", () => MintAsync(submitter, otherFields, StudioSignature(authorization), ct));
        var otherChain = await Revert.WithAsync("InvalidAuthorization",
            () => MintAsync(submitter, authorization, authorization.Sign(StudioSigner, chain.Contracts.ChainId + 1, Nft.Address), ct));

        Assert.Equal(impostor.Address, wrongSigner["recovered"]);
        Assert.NotEqual(StudioSigner.Address, overOtherFields["recovered"]);
        Assert.NotEqual(AddressUtil.ZERO_ADDRESS, overOtherFields["recovered"]);
        Assert.NotEqual(StudioSigner.Address, otherChain["recovered"]);
        Assert.False(await Nft.IsMintedAsync(authorization.ImageHash));
    }

    public static TheoryData<string> MalformedSignatures => ["64 bytes", "66 bytes", "v = 29", "v = 0", "high s", "empty"];

    [Theory]
    [MemberData(nameof(MalformedSignatures))]
    public async Task A_malformed_studio_signature_is_refused_by_the_contract_and_by_the_library(string malformation)
    {
        var ct = TestContext.Current.CancellationToken;
        var submitter = await chain.NewAccountAsync(ct: ct);
        var authorization = await AuthorizationAsync(EthECKey.GenerateKey().Address, ct: ct);
        var signature = Malform(StudioSignature(authorization), malformation);

        var refused = await Revert.WithAsync("InvalidAuthorization", () => MintAsync(submitter, authorization, signature, ct));

        Assert.Equal(AddressUtil.ZERO_ADDRESS, refused["recovered"]);
        Assert.False(await Nft.IsMintedAsync(authorization.ImageHash));
        Assert.Throws<InvalidSignatureException>(() => authorization.Verify(
            signature, StudioSigner.Address, chain.Contracts.ChainId, Nft.Address, DateTimeOffset.FromUnixTimeSeconds((long)authorization.Deadline), alreadyMinted: false));
    }

    internal static byte[] Malform(byte[] signature, string malformation)
    {
        var bytes = (byte[])signature.Clone();
        switch (malformation)
        {
            case "64 bytes":
                return bytes[..64];
            case "66 bytes":
                return [.. bytes, 0];
            case "v = 29":
                bytes[64] = 29;
                return bytes;
            case "v = 0":
                bytes[64] = (byte)(bytes[64] - 27);
                return bytes;
            case "high s":
                // The same signature mirrored to s' = n - s with the other parity: ecrecover accepts it, EIP-2 does not.
                var s = new BigInteger(bytes.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
                var highS = Secp256k1N - s;
                var word = new byte[32];
                highS.TryWriteBytes(word.AsSpan(32 - highS.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
                word.CopyTo(bytes, 32);
                bytes[64] = (byte)(bytes[64] == 27 ? 28 : 27);
                return bytes;
            case "empty":
                return [];
            default:
                throw new ArgumentOutOfRangeException(nameof(malformation), malformation, null);
        }
    }

    private static readonly BigInteger Secp256k1N = BigInteger.Parse("115792089237316195423570985008687907852837564279074904382605163141518161494337", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_mirrored_high_s_signature_still_recovers_the_studio_signer_so_only_its_form_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var authorization = await AuthorizationAsync(EthECKey.GenerateKey().Address, ct: ct);
        var signature = Malform(StudioSignature(authorization), "high s");
        var digest = authorization.Hash(chain.Contracts.ChainId, Nft.Address);

        // ecrecover (precompile 0x01) on the mirrored signature: the malleated form is the studio signer's own.
        var input = new byte[128];
        digest.CopyTo(input, 0);
        input[63] = signature[64];
        signature.AsSpan(0, 64).CopyTo(input.AsSpan(64));
        var output = (await chain.Rpc.Eth.Transactions.Call.SendRequestAsync(new CallInput { To = Precompile(1).ToHex(true), Data = input.ToHex(true) })).HexToByteArray();

        Assert.Equal(StudioSigner.Address, AddressUtil.Current.ConvertToChecksumAddress(output[12..32].ToHex()));
    }

    private static byte[] Precompile(byte number)
    {
        var address = new byte[20];
        address[19] = number;
        return address;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(28)]
    [InlineData(29)]
    [InlineData(32)]
    [InlineData(60)]
    [InlineData(61)]
    [InlineData(85)]
    [InlineData(300)]
    [InlineData(24_575)]
    [InlineData(24_576)]
    public async Task The_token_uri_reads_back_exactly_what_was_minted_whatever_its_length(int length)
    {
        var ct = TestContext.Current.CancellationToken;
        var submitter = await chain.NewAccountAsync(ct: ct);
        var uri = UriOfLength(length);
        var authorization = await AuthorizationAsync(EthECKey.GenerateKey().Address, uri, ct: ct);

        await MintAsync(submitter, authorization, StudioSignature(authorization), ct);

        Assert.Equal(uri, await Nft.TokenURIAsync(TokenId(authorization.ImageHash)));
        Assert.Equal("", await Nft.PendingTokenUriAsync());
    }

    [Fact]
    public async Task A_mint_without_the_gas_to_keep_its_long_uri_as_code_reverts_whole_with_UriStorageFailed()
    {
        var ct = TestContext.Current.CancellationToken;
        var submitter = await chain.NewAccountAsync(ct: ct);
        // 2,000 bytes of code cost 400,000 gas to deposit; the transaction is given 250,000 gas less than it needs.
        var authorization = await AuthorizationAsync(EthECKey.GenerateKey().Address, UriOfLength(2_000), ct: ct);
        MintFunction Call() => new()
        {
            To = authorization.To,
            ImageHash = authorization.ImageHash,
            ModelId = authorization.ModelId,
            Uri = authorization.Uri,
            Deadline = authorization.Deadline,
            Signature = StudioSignature(authorization),
        };
        var needed = await chain.Send(submitter).Eth.GetContractTransactionHandler<MintFunction>().EstimateGasAsync(Nft.Address, Call());

        var call = Call();
        call.Gas = new HexBigInteger(needed.Value - 250_000);
        var revert = await Assert.ThrowsAsync<ContractRevertedException>(() => Nft.SendAsync(chain.Send(submitter), call, ct));

        Assert.Equal("UriStorageFailed", revert.ErrorName);
        Assert.Equal(0, (int)revert.Receipt!.Status.Value);
        Assert.False(await Nft.IsMintedAsync(authorization.ImageHash));
    }

    [Fact]
    public async Task A_uri_with_multibyte_characters_reads_back_unchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        var submitter = await chain.NewAccountAsync(ct: ct);
        const string uri = "ipfs://bafy/画像/é/🎨/metadata.json?name=Ünïcödé+and+more+than+sixty+bytes";
        var authorization = await AuthorizationAsync(EthECKey.GenerateKey().Address, uri, ct: ct);

        await MintAsync(submitter, authorization, StudioSignature(authorization), ct);

        Assert.True(Encoding.UTF8.GetByteCount(uri) > 60);
        Assert.Equal(uri, await Nft.TokenURIAsync(TokenId(authorization.ImageHash)));
    }

    private static string UriOfLength(int length)
    {
        var text = new StringBuilder("ipfs://");
        for (var i = 0; text.Length < length; i++)
        {
            text.Append((char)('a' + i % 26));
        }
        return text.ToString()[..length];
    }

    [Fact]
    public async Task The_uri_of_an_unminted_token_is_refused_as_nonexistent()
    {
        var ct = TestContext.Current.CancellationToken;
        var tokenId = TokenId(UniqueId("never-minted"));

        var refused = await Revert.WithAsync("ERC721NonexistentToken", () => Nft.TokenURIAsync(tokenId));
        await Revert.WithAsync("ERC721NonexistentToken", () => Nft.OwnerOfAsync(tokenId));

        Assert.Equal(tokenId, refused["tokenId"]);
    }

    [Fact]
    public async Task Only_the_owner_changes_the_studio_signer_and_the_old_signer_is_then_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        var contracts = await chain.DeployAsync(ct);
        var stranger = await chain.NewAccountAsync(ct: ct);
        var newSigner = EthECKey.GenerateKey();
        Assert.Equal(StudioSigner.Address, await contracts.Nft.StudioSignerAsync());

        var refused = await Revert.WithAsync("OwnableUnauthorizedAccount", () => contracts.Nft.SetStudioSignerAsync(chain.Send(stranger), stranger.Address, ct));
        var receipt = await contracts.Nft.SetStudioSignerAsync(chain.Send(Owner), newSigner.Address, ct);

        Assert.Equal(stranger.Address, refused["account"]);
        Assert.Equal(newSigner.Address, Assert.Single(contracts.Nft.StudioSignerSetEvents(receipt)).Signer);
        var authorization = await AuthorizationAsync(stranger.Address, ct: ct);
        var old = await Revert.WithAsync("InvalidAuthorization", () => contracts.Nft.MintAsync(chain.Send(stranger), authorization.To, authorization.ImageHash,
            authorization.ModelId, authorization.Uri, authorization.Deadline, authorization.Sign(StudioSigner, contracts.ChainId, contracts.Nft.Address), ct));
        Assert.Equal(StudioSigner.Address, old["recovered"]);
        await contracts.Nft.MintAsync(chain.Send(stranger), authorization.To, authorization.ImageHash,
            authorization.ModelId, authorization.Uri, authorization.Deadline, authorization.Sign(newSigner, contracts.ChainId, contracts.Nft.Address), ct);
        Assert.Equal(stranger.Address, await contracts.Nft.OwnerOfAsync(TokenId(authorization.ImageHash)));
    }

    [Fact]
    public void The_library_accepts_a_valid_authorization_until_its_deadline()
    {
        var nft = EthECKey.GenerateKey().Address;
        var authorization = new MintAuthorization(EthECKey.GenerateKey().Address, UniqueId("image"), "sdxl", IpfsUri, 1_900_000_000);
        var signature = authorization.Sign(StudioSigner, 31337, nft);

        // No exception is the behaviour here: at the deadline itself the contract still mints.
        authorization.Verify(signature, StudioSigner.Address, 31337, nft, DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), alreadyMinted: false);
        Assert.Equal(StudioSigner.Address, Signatures.Recover(authorization.Hash(31337, nft), signature));
    }

    [Fact]
    public void The_library_refuses_with_a_typed_error_what_the_contract_would_refuse()
    {
        var nft = EthECKey.GenerateKey().Address;
        var authorization = new MintAuthorization(EthECKey.GenerateKey().Address, UniqueId("image"), "sdxl", IpfsUri, 1_900_000_000);
        var signature = authorization.Sign(StudioSigner, 31337, nft);
        var beforeDeadline = DateTimeOffset.FromUnixTimeSeconds(1_899_999_000);
        var impostor = EthECKey.GenerateKey();

        var expired = Assert.Throws<AuthorizationExpiredException>(() =>
            authorization.Verify(signature, StudioSigner.Address, 31337, nft, DateTimeOffset.FromUnixTimeSeconds(1_900_000_001), alreadyMinted: false));
        var replayed = Assert.Throws<AuthorizationReplayedException>(() =>
            authorization.Verify(signature, StudioSigner.Address, 31337, nft, beforeDeadline, alreadyMinted: true));
        Assert.Throws<InvalidSignatureException>(() =>
            authorization.Verify(signature[..64], StudioSigner.Address, 31337, nft, beforeDeadline, alreadyMinted: false));
        var mismatch = Assert.Throws<AuthorizationSignerMismatchException>(() =>
            authorization.Verify(authorization.Sign(impostor, 31337, nft), StudioSigner.Address, 31337, nft, beforeDeadline, alreadyMinted: false));
        var otherNft = Assert.Throws<AuthorizationSignerMismatchException>(() =>
            authorization.Verify(signature, StudioSigner.Address, 31337, EthECKey.GenerateKey().Address, beforeDeadline, alreadyMinted: false));

        Assert.Equal(1_900_000_000UL, expired.Deadline);
        Assert.Equal(authorization.ImageHash, replayed.ImageHash);
        Assert.Equal(impostor.Address, mismatch.Recovered);
        Assert.NotEqual(StudioSigner.Address, otherNft.Recovered);
        Assert.All(new Exception[] { expired, replayed, mismatch }, e => Assert.IsAssignableFrom<MintAuthorizationException>(e));
    }
}
