using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Heurist.Protocol.Api.Minting;

/// <summary>
/// A gasless mint made ready by the portal: the ERC-4337 user operation from the creator's SimpleAccount, sponsored
/// by the paymaster and carrying the studio's mint authorization. The wallet signs <see cref="TypedData"/> (its digest
/// is the userOpHash); the portal keeps the operation itself under <see cref="PreparationId"/>.
/// </summary>
public sealed record MintPreparation(
    Guid PreparationId,
    string ImageSha256,
    string TokenId,
    string Account,
    bool DeploysAccount,
    string TypedData,
    DateTimeOffset AuthorizationDeadline,
    DateTimeOffset SponsorshipValidUntil,
    string MetadataUri);

/// <summary>The wallet's signature over a preparation's typed data.</summary>
public sealed record MintSubmission(Guid PreparationId, string Signature);

/// <summary>
/// What a submission did: sent to the bundler (<see cref="UserOpHash"/>), or re-issued because its authorization or
/// sponsorship ran out before it was sent (<see cref="Reissued"/>, to be signed once more).
/// </summary>
public sealed record MintSubmitted(string? UserOpHash, MintPreparation? Reissued);

/// <summary>Where a sent mint is: the bundler's receipt, then the indexer's record of the token.</summary>
public sealed record MintStatus(
    string ImageSha256,
    string TokenId,
    MintState State,
    string? UserOpHash,
    string? TransactionHash,
    string? Reason);

[JsonConverter(typeof(JsonStringEnumConverter<MintState>))]
public enum MintState
{
    /// <summary>With the bundler, not in a block yet.</summary>
    Pending,

    /// <summary>In a block: the NFT exists; the portal's index does not show it yet.</summary>
    Included,

    /// <summary>The portal's index has the token: every page shows it.</summary>
    Indexed,

    /// <summary>The operation ran and reverted, or the bundler dropped it; the image is still mintable.</summary>
    Failed,
}

/// <summary>An Imaginaries NFT as the portal's index holds it, with its metadata when the portal stored it.</summary>
public sealed record NftView(
    string TokenId,
    string ImageSha256,
    string Owner,
    string? ModelId,
    string? Uri,
    string MintTransactionHash,
    long MintedBlock,
    DateTimeOffset MintedAt,
    NftMetadata? Metadata)
{
    /// <summary>Where the PNG is served.</summary>
    [JsonIgnore]
    public string ImageUrl => $"api/images/{ImageSha256}.png";

    /// <summary>The portal page of the NFT.</summary>
    [JsonIgnore]
    public string PageUrl => $"nft/{TokenId}";
}

/// <summary>
/// ERC-721 metadata as marketplaces read it (name, description, image, attributes), plus the image's provenance:
/// everything needed to re-run it to the same bytes.
/// </summary>
public sealed record NftMetadata(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("attributes")] IReadOnlyList<NftTrait> Attributes,
    [property: JsonPropertyName("provenance")] JsonElement? Provenance);

/// <summary>One OpenSea-style attribute.</summary>
public sealed record NftTrait(
    [property: JsonPropertyName("trait_type")] string TraitType,
    [property: JsonPropertyName("value")] string Value);

/// <summary>A wallet's NFTs, and for its signed-in owner the finished images it has not minted yet.</summary>
public sealed record WalletGallery(string Address, bool IsOwner, IReadOnlyList<NftView> Minted, IReadOnlyList<Studio.ImageJobView> Unminted);

/// <summary>The paymaster as operators watch it: what is left to pay gas with, and how fast it goes.</summary>
public sealed record PaymasterStatus(
    string Paymaster,
    string DepositWei,
    double DepositEth,
    double LowDepositEth,
    bool Low,
    int MintsPerWalletPerDay,
    int MintsPerIpPerDay,
    IReadOnlyList<DailySponsoredMints> SponsoredPerDay);

/// <summary>Sponsored mints sent on one UTC day.</summary>
public sealed record DailySponsoredMints(DateOnly Day, int Mints);

/// <summary>Token ids of Imaginaries NFTs: <c>uint256(sha256 of the PNG)</c>, written in decimal.</summary>
public static class NftTokenIds
{
    /// <summary>The decimal token id of an image (its lowercase hex sha256).</summary>
    public static string FromImageSha256(string sha256)
    {
        ArgumentException.ThrowIfNullOrEmpty(sha256);
        return BigInteger.Parse("0" + sha256, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The image sha256 (64 lowercase hex digits) of a token id written in decimal or as 0x-hex; false when it is neither.</summary>
    public static bool TryToImageSha256(string? tokenId, out string sha256)
    {
        sha256 = "";
        if (string.IsNullOrWhiteSpace(tokenId) || tokenId.Length > 80)
        {
            return false;
        }
        BigInteger value;
        if (tokenId.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = tokenId[2..];
            if (hex.Length is 0 or > 64 || !hex.All(char.IsAsciiHexDigit))
            {
                return false;
            }
            value = BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (!tokenId.All(char.IsAsciiDigit) || !BigInteger.TryParse(tokenId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value))
        {
            return false;
        }
        if (value.Sign <= 0 || value.GetByteCount(isUnsigned: true) > 32)
        {
            return false;
        }
        sha256 = Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true)).PadLeft(64, '0');
        return true;
    }

    /// <summary>A long token id cut for display: its first and last digits.</summary>
    public static string Abbreviate(string tokenId)
        => tokenId.Length <= 12 ? tokenId : $"{tokenId[..6]}…{tokenId[^4..]}";
}
