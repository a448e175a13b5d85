namespace Heurist.Portal.Data.Minting;

/// <summary>
/// One sponsored mint the portal made ready for a creator: the user operation the wallet signs, and what became of
/// it. The sponsorship quotas count the rows that were sent.
/// </summary>
public sealed class MintRequest
{
    /// <summary>The longest <see cref="Error"/> kept; a longer reason is cut to this.</summary>
    public const int MaxErrorLength = 1000;

    /// <summary>The preparation id the wallet's signature is submitted under.</summary>
    public Guid Id { get; set; }

    /// <summary>The image's sha256 (lowercase hex): the token id is its number.</summary>
    public required string ImageSha256 { get; set; }

    /// <summary>The signed-in wallet (lowercase 0x-hex) that owns the image and the account.</summary>
    public required string Owner { get; set; }

    /// <summary>The wallet's SimpleAccount, the operation's sender.</summary>
    public required string Account { get; set; }

    /// <summary>The address the preparation came from, for the per-IP quota; null when unknown.</summary>
    public string? ClientIp { get; set; }

    /// <summary>The sha256 of the metadata JSON the token URI serves (<see cref="NftMetadataDocument"/>).</summary>
    public required string MetadataSha256 { get; set; }

    /// <summary>The sponsored operation without the wallet's signature, as JSON (hex fields).</summary>
    public required string Operation { get; set; }

    /// <summary>The userOpHash the wallet signs.</summary>
    public required string UserOpHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The studio authorization's deadline, in chain time.</summary>
    public DateTimeOffset AuthorizationDeadline { get; set; }

    /// <summary>The end of the paymaster's sponsorship window, in chain time.</summary>
    public DateTimeOffset SponsorshipValidUntil { get; set; }

    public MintRequestState State { get; set; }

    /// <summary>When the bundler accepted it; set from then on, also when it failed later.</summary>
    public DateTimeOffset? SentAt { get; set; }

    public string? TransactionHash { get; set; }

    /// <summary>Why it failed, in words fit for the creator.</summary>
    public string? Error { get; set; }
}

public enum MintRequestState
{
    /// <summary>Made ready; waiting for the wallet's signature.</summary>
    Prepared,

    /// <summary>Accepted by the bundler; no receipt yet.</summary>
    Sent,

    /// <summary>In a block, and it minted.</summary>
    Included,

    /// <summary>Refused by the bundler, reverted, or dropped: the image is still mintable.</summary>
    Failed,

    /// <summary>Replaced by a newer preparation of the same image (it ran out of time, or the creator asked again).</summary>
    Superseded,
}

/// <summary>NFT metadata JSON, stored once under the sha256 of its exact bytes: what the token URI serves, unchanged forever.</summary>
public sealed class NftMetadataDocument
{
    public required string Sha256 { get; set; }

    public required string ImageSha256 { get; set; }

    public required string Json { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
