namespace Heurist.Portal.Client.Shared;

/// <summary>Addresses of pages that other pages link to.</summary>
public static class Links
{
    public const string Leaderboard = "/leaderboard";

    public const string Studio = "/studio";

    public const string Vesting = "/vesting";

    public const string Paymaster = "/operators/paymaster";

    /// <summary>The page of an Imaginaries NFT.</summary>
    public static string Nft(string tokenId) => $"/nft/{Uri.EscapeDataString(tokenId)}";

    /// <summary>A wallet's minted NFTs (and, for its owner, the images still to mint).</summary>
    public static string Gallery(string address) => $"/gallery/{Uri.EscapeDataString(address)}";

    /// <summary>The epoch's whole Merkle tree as JSON, which anyone can check against the root on chain.</summary>
    public static string RewardEpochTree(long epoch) => $"/api/rewards/epochs/{epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The miner's page; the id is escaped, since miners choose their own.</summary>
    public static string Miner(string minerId) => $"/miners/{Uri.EscapeDataString(minerId)}";
}
