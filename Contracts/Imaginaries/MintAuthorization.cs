using Heurist.Contracts.Crypto;
using Nethereum.ABI.EIP712;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Signer;

namespace Heurist.Contracts.Imaginaries;

/// <summary>
/// The studio signer's EIP-712 permission to mint one image as an Imaginaries NFT: the same struct the contract checks,
/// so the portal can sign it, and check one before it spends a sponsored transaction on it.
/// </summary>
[Struct("MintAuthorization")]
public sealed record MintAuthorization(
    [property: Parameter("address", "to", 1)] string To,
    [property: Parameter("bytes32", "imageHash", 2)] byte[] ImageHash,
    [property: Parameter("string", "modelId", 3)] string ModelId,
    [property: Parameter("string", "uri", 4)] string Uri,
    [property: Parameter("uint256", "deadline", 5)] ulong Deadline)
{
    public const string DomainName = "Heurist Imaginaries";

    public const string DomainVersion = "1";

    /// <summary>The typed data of this authorization for the NFT at <paramref name="nft"/>.</summary>
    public TypedData<Domain> ToTypedData(ulong chainId, string nft)
    {
        if (ImageHash is not { Length: 32 })
        {
            throw new InvalidOperationException("The image hash of a mint authorization is 32 bytes (sha256).");
        }
        var typedData = new TypedData<Domain>
        {
            Domain = new Domain { Name = DomainName, Version = DomainVersion, ChainId = chainId, VerifyingContract = nft },
            Types = MemberDescriptionFactory.GetTypesMemberDescription(typeof(Domain), typeof(MintAuthorization)),
            PrimaryType = "MintAuthorization",
        };
        typedData.SetMessage(this);
        return typedData;
    }

    /// <summary>The JSON a wallet signs with eth_signTypedData_v4.</summary>
    public string ToTypedDataJson(ulong chainId, string nft) => ToTypedData(chainId, nft).ToJson();

    /// <summary>The digest ImaginariesNft.hashMintAuthorization returns.</summary>
    public byte[] Hash(ulong chainId, string nft) => Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(ToTypedData(chainId, nft));

    /// <summary>The studio signer's 65-byte signature.</summary>
    public byte[] Sign(EthECKey studioSigner, ulong chainId, string nft) => Signatures.Sign(studioSigner, Hash(chainId, nft));

    /// <summary>
    /// Refuses what the contract would refuse, with a typed error: an expired deadline (<see cref="AuthorizationExpiredException"/>),
    /// an image minted already (<see cref="AuthorizationReplayedException"/>), a malformed signature
    /// (<see cref="InvalidSignatureException"/>), or one not made by the studio signer (<see cref="AuthorizationSignerMismatchException"/>).
    /// </summary>
    public void Verify(byte[] signature, string studioSigner, ulong chainId, string nft, DateTimeOffset now, bool alreadyMinted)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if ((ulong)now.ToUnixTimeSeconds() > Deadline)
        {
            throw new AuthorizationExpiredException(Deadline, now);
        }
        if (alreadyMinted)
        {
            throw new AuthorizationReplayedException(ImageHash);
        }
        // Signatures also reads v as 0 or 1, but the contract's ECDSA.tryRecover takes only 27 and 28.
        if (signature.Length == 65 && signature[64] is not (27 or 28))
        {
            throw new InvalidSignatureException($"The contract accepts a signature's v as 27 or 28 only, got {signature[64]}.");
        }
        var recovered = Signatures.Recover(Hash(chainId, nft), signature);
        if (!string.Equals(recovered, studioSigner, StringComparison.OrdinalIgnoreCase))
        {
            throw new AuthorizationSignerMismatchException(recovered, studioSigner);
        }
    }
}

/// <summary>A mint authorization the contract would refuse.</summary>
public abstract class MintAuthorizationException(string message) : Exception(message);

public sealed class AuthorizationExpiredException(ulong deadline, DateTimeOffset now)
    : MintAuthorizationException($"The mint authorization expired at {DateTimeOffset.FromUnixTimeSeconds((long)deadline):u}; it is {now:u}.")
{
    public ulong Deadline { get; } = deadline;
}

public sealed class AuthorizationReplayedException(byte[] imageHash)
    : MintAuthorizationException($"Image {imageHash.ToHex(true)} is minted already; its authorization cannot be used again.")
{
    public byte[] ImageHash { get; } = imageHash;
}

public sealed class AuthorizationSignerMismatchException(string recovered, string expected)
    : MintAuthorizationException($"The mint authorization was signed by {recovered}, not by the studio signer {expected}.")
{
    public string Recovered { get; } = recovered;
}
