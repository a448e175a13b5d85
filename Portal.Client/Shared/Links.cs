namespace Heurist.Portal.Client.Shared;

/// <summary>Addresses of pages that other pages link to.</summary>
public static class Links
{
    public const string Leaderboard = "/leaderboard";

    public const string Studio = "/studio";

    public const string Vesting = "/vesting";

    /// <summary>The epoch's whole Merkle tree as JSON, which anyone can check against the root on chain.</summary>
    public static string RewardEpochTree(long epoch) => $"/api/rewards/epochs/{epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The miner's page; the id is escaped, since miners choose their own.</summary>
    public static string Miner(string minerId) => $"/miners/{Uri.EscapeDataString(minerId)}";
}
