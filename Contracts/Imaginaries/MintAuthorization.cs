using Heurist.Contracts.Crypto;

namespace Heurist.Contracts.Imaginaries;

/// <summary>
/// The studio signer's EIP-712 permission to mint one image as an Imaginaries NFT: the same struct the contract checks,
/// so the portal can sign it, and check one before it spends a sponsored transaction on it.
/// </summary>
public sealed record MintAuthorization(EthereumAddress To, byte[] ImageHash, string ModelId, string Uri, ulong Deadline)
{
    public const string DomainName = "Heurist Imaginaries";

    public const string DomainVersion = "1";

    public TypedData ToTypedData(ulong chainId, EthereumAddress nft)
    {
        if (ImageHash is not { Length: 32 })
        {
            throw new InvalidOperationException("The image hash of a mint authorization is 32 bytes (sha256).");
        }
        return new TypedDataBuilder(new Eip712Domain { Name = DomainName, Version = DomainVersion, ChainId = chainId, VerifyingContract = nft })
            .Type("MintAuthorization", ("to", "address"), ("imageHash", "bytes32"), ("modelId", "string"), ("uri", "string"), ("deadline", "uint256"))
            .Build("MintAuthorization", new Dictionary<string, object?>
            {
                ["to"] = To,
                ["imageHash"] = ImageHash,
                ["modelId"] = ModelId,
                ["uri"] = Uri,
                ["deadline"] = Deadline,
            });
    }

    /// <summary>The digest ImaginariesNft.hashMintAuthorization returns.</summary>
    public byte[] Hash(ulong chainId, EthereumAddress nft) => ToTypedData(chainId, nft).Hash();

    public EthereumSignature Sign(EthereumKey studioSigner, ulong chainId, EthereumAddress nft)
    {
        ArgumentNullException.ThrowIfNull(studioSigner);
        return studioSigner.Sign(Hash(chainId, nft));
    }

    /// <summary>
    /// Refuses what the contract would refuse, with a typed error: an expired deadline (<see cref="AuthorizationExpiredException"/>),
    /// an image minted already (<see cref="AuthorizationReplayedException"/>), a malformed signature
    /// (<see cref="InvalidSignatureException"/>), or one not made by the studio signer (<see cref="AuthorizationSignerMismatchException"/>).
    /// </summary>
    public void Verify(byte[] signature, EthereumAddress studioSigner, ulong chainId, EthereumAddress nft, DateTimeOffset now, bool alreadyMinted)
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
        // EthereumSignature also reads v as 0 or 1, but the contract's ECDSA.tryRecover takes only 27 and 28.
        if (signature.Length == 65 && signature[64] is not (27 or 28))
        {
            throw new InvalidSignatureException($"The contract accepts a signature's v as 27 or 28 only, got {signature[64]}.");
        }
        var recovered = Signer.Recover(Hash(chainId, nft), EthereumSignature.Parse(signature));
        if (recovered != studioSigner)
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
    : MintAuthorizationException($"Image {Hex.Encode(imageHash)} is minted already; its authorization cannot be used again.")
{
    public byte[] ImageHash { get; } = imageHash;
}

public sealed class AuthorizationSignerMismatchException(EthereumAddress recovered, EthereumAddress expected)
    : MintAuthorizationException($"The mint authorization was signed by {recovered}, not by the studio signer {expected}.")
{
    public EthereumAddress Recovered { get; } = recovered;
}
