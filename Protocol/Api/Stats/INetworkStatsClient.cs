namespace Heurist.Protocol.Api.Stats;

/// <summary>
/// The network's numbers for the stats, leaderboard and miner pages. The server answers from its in-memory
/// snapshot of the rollups; WebAssembly asks the JSON API.
/// </summary>
public interface INetworkStatsClient
{
    Task<NetworkStats> GetStatsAsync(CancellationToken cancellationToken = default);

    /// <summary>Throws <see cref="ApiException"/> with the field errors when the query is out of range.</summary>
    Task<LeaderboardPage> GetLeaderboardAsync(LeaderboardQuery query, CancellationToken cancellationToken = default);

    /// <summary>The miner's details, or null when there is no miner with this id.</summary>
    Task<MinerDetails?> GetMinerAsync(string minerId, CancellationToken cancellationToken = default);
}
