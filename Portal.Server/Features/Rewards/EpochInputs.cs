using System.Numerics;
using Heurist.Contracts.Staking;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Images;
using Heurist.Protocol.Rewards;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Heurist.Portal.Server.Features.Rewards;

/// <summary>
/// Reads what an epoch is settled from, out of the portal's database: points per miner in the epoch's window, each
/// miner's stakers at the epoch's end (replayed from the indexed MinerStaking events) and the bribe in force.
/// </summary>
/// <remarks>
/// Points are credited with the portal's clock and the window is in chain time; on a real chain both follow UTC, so a
/// job credited at the boundary lands in one epoch or the next, never in both. Stakes count events in blocks whose
/// timestamp is before the end, so the caller must wait until the indexer has read a block at or past the end.
/// </remarks>
internal static class EpochInputs
{
    /// <summary>The miners that earned points in [start, end), with their stakers and bribes; empty when none did.</summary>
    public static async Task<IReadOnlyList<MinerEpochInput>> ReadAsync(
        PortalDbContext db, long epoch, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var points = await db.PointsCredits.AsNoTracking()
            .Where(c => c.CreditedAt >= start && c.CreditedAt < end)
            .GroupBy(c => new { c.MinerId, c.Kind })
            .Select(g => new { g.Key.MinerId, g.Key.Kind, Points = g.Sum(c => c.Points) })
            .ToListAsync(cancellationToken);
        if (points.Count == 0)
        {
            return [];
        }

        var minerIds = points.Select(p => p.MinerId).Distinct().ToArray();
        // A credit whose miner row is gone has nowhere to pay to; such a miner is left out.
        var rewardAddresses = await db.Miners.AsNoTracking()
            .Where(m => minerIds.Contains(m.Id))
            .ToDictionaryAsync(m => m.Id, m => m.RewardAddress, cancellationToken);
        var chainIds = rewardAddresses.Keys.ToDictionary(id => id, MinerChainId.Of);
        var stakers = await StakersAtAsync(db, [.. chainIds.Values], end, cancellationToken);
        var bribes = await BribesAsync(db, [.. chainIds.Values], epoch, cancellationToken);

        return [.. rewardAddresses.Keys.Order(StringComparer.Ordinal).Select(id =>
        {
            var chainId = chainIds[id];
            return new MinerEpochInput(
                chainId,
                rewardAddresses[id],
                points.Where(p => p.MinerId == id && p.Kind == PointsKind.Waifu).Sum(p => p.Points),
                points.Where(p => p.MinerId == id && p.Kind == PointsKind.Llama).Sum(p => p.Points),
                bribes.GetValueOrDefault(chainId),
                stakers.TryGetValue(chainId, out var list) ? list : []);
        })];
    }

    /// <summary>
    /// The portal's miners that earned no points in the epoch but had enough stake at its end to be efficient: they
    /// are not in the settlement (EpochInputs.ReadAsync reads points first), yet for their stakers such an epoch paid
    /// 0 at that efficiency, so they are stored with reward 0 for the expected APR. One more pass over the same stake
    /// events, for all miners instead of those with points.
    /// </summary>
    public static async Task<IReadOnlyList<MinerEpochInput>> IdleStakedAsync(
        PortalDbContext db, long epoch, DateTimeOffset end, IReadOnlyCollection<string> settledChainIds, CancellationToken cancellationToken)
    {
        var settled = new HashSet<string>(settledChainIds, StringComparer.OrdinalIgnoreCase);
        var miners = (await db.Miners.AsNoTracking().Select(m => new { m.Id, m.RewardAddress }).ToListAsync(cancellationToken))
            .Select(m => (m.Id, m.RewardAddress, ChainId: MinerChainId.Of(m.Id)))
            .Where(m => !settled.Contains(m.ChainId))
            .ToList();
        if (miners.Count == 0)
        {
            return [];
        }
        var stakers = await StakersAtAsync(db, [.. miners.Select(m => m.ChainId)], end, cancellationToken);
        var staked = miners
            .Where(m => stakers.TryGetValue(m.ChainId, out var list) && StakeEfficiencyWei.Numerator(list.Aggregate(BigInteger.Zero, (sum, s) => sum + s.StakeWei)).Sign > 0)
            .ToList();
        var bribes = await BribesAsync(db, [.. staked.Select(m => m.ChainId)], epoch, cancellationToken);
        return [.. staked
            .OrderBy(m => m.ChainId, StringComparer.Ordinal)
            .Select(m => new MinerEpochInput(m.ChainId, m.RewardAddress, 0, 0, bribes.GetValueOrDefault(m.ChainId), stakers[m.ChainId]))];
    }

    /// <summary>
    /// Each staker's HEU and esHEU together on each miner, after the events in blocks before <paramref name="end"/>:
    /// Staked adds, Unstaked and UnstakeRequested take away (an HEU unstake stops counting at the request), and
    /// StakeTransferred moves stake from one miner to the other.
    /// </summary>
    private static async Task<Dictionary<string, List<StakerStake>>> StakersAtAsync(
        PortalDbContext db, string[] chainIds, DateTimeOffset end, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT staker, miner, SUM(delta) AS stake FROM (
                SELECT lower(arguments->>'staker') AS staker, arguments->>'minerId' AS miner,
                       CASE name WHEN 'Staked' THEN 1 ELSE -1 END * (arguments->>'amount')::numeric AS delta
                FROM chain_events
                WHERE contract = 'MinerStaking' AND name IN ('Staked', 'Unstaked', 'UnstakeRequested') AND block_time < @end
                UNION ALL
                SELECT lower(arguments->>'staker'), arguments->>'fromMiner', -(arguments->>'amount')::numeric
                FROM chain_events WHERE contract = 'MinerStaking' AND name = 'StakeTransferred' AND block_time < @end
                UNION ALL
                SELECT lower(arguments->>'staker'), arguments->>'toMiner', (arguments->>'amount')::numeric
                FROM chain_events WHERE contract = 'MinerStaking' AND name = 'StakeTransferred' AND block_time < @end
            ) moves
            WHERE miner = ANY(@miners)
            GROUP BY staker, miner
            HAVING SUM(delta) > 0
            ORDER BY miner, staker
            """;
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("end", end);
            command.Parameters.AddWithValue("miners", chainIds);
            var stakers = new Dictionary<string, List<StakerStake>>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var miner = reader.GetString(1);
                if (!stakers.TryGetValue(miner, out var list))
                {
                    stakers[miner] = list = [];
                }
                list.Add(new StakerStake(reader.GetString(0), WeiAmounts.ToBigInteger(reader.GetDecimal(2))));
            }
            return stakers;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>What MinerStaking.bribeOf(miner, epoch) returns: the last change (in chain order) effective by the epoch, else 0.</summary>
    private static async Task<Dictionary<string, int>> BribesAsync(PortalDbContext db, string[] chainIds, long epoch, CancellationToken cancellationToken)
    {
        var changes = await db.BribeChanges.AsNoTracking()
            .Where(b => chainIds.Contains(b.MinerChainId) && b.EffectiveEpoch <= epoch)
            .OrderBy(b => b.BlockNumber).ThenBy(b => b.LogIndex)
            .Select(b => new { b.MinerChainId, b.BasisPoints })
            .ToListAsync(cancellationToken);
        var bribes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            bribes[change.MinerChainId] = change.BasisPoints;
        }
        return bribes;
    }
}

/// <summary>Wei between BigInteger (the settlement math) and decimal (numeric(78,0) columns), exactly or not at all.</summary>
internal static class WeiAmounts
{
    /// <summary>Throws when the amount has a fraction: a wei column never should.</summary>
    public static BigInteger ToBigInteger(decimal wei)
        => decimal.Truncate(wei) == wei ? new BigInteger(wei) : throw new InvalidOperationException($"{wei} is not a whole number of wei.");

    /// <summary>Exact up to 7.9e28 wei, which the 1e27 HEU cap stays far below; anything larger throws OverflowException.</summary>
    public static decimal ToDecimal(BigInteger wei) => (decimal)wei;
}
