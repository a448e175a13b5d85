namespace Heurist.Portal.Client.Shared;

/// <summary>Addresses of pages that other pages link to.</summary>
public static class Links
{
    public const string Leaderboard = "/leaderboard";

    public const string Studio = "/studio";

    /// <summary>The miner's page; the id is escaped, since miners choose their own.</summary>
    public static string Miner(string minerId) => $"/miners/{Uri.EscapeDataString(minerId)}";
}
