using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.Staking;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Server.Features.ChainIndexing;
using Heurist.Portal.Server.Features.Stats;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Chain;
using Microsoft.EntityFrameworkCore;
using Nethereum.Web3;

namespace Heurist.Portal.Server.Features.Staking;

/// <summary>
/// The server's <see cref="IStakingClient"/>: an account's positions and HEU unstake requests from the indexer's
/// tables, named by the miners the portal knows, and its stake at the end of each epoch replayed from the chain events.
/// </summary>
public sealed class StakingService(
    IDbContextFactory<PortalDbContext> databases,
    NetworkSnapshotService snapshots,
    StakingEpochs epochs) : IStakingClient
{
    public const string InvalidAddressTitle = "The address is invalid.";

    private static readonly string[] StakeChanges = ["Staked", "Unstaked", "UnstakeRequested"];

    public async Task<StakingAccount> GetAccountAsync(string address, CancellationToken cancellationToken = default)
    {
        if (!IsAddress(address))
        {
            throw ApiException.Invalid(InvalidAddressTitle, new FieldErrors().Add("address", "address must be 0x and 40 hex digits."));
        }
        var staker = address.ToLowerInvariant();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var indexed = await db.ChainCursors.AsNoTracking().Where(c => c.Name == ChainIndexer.CursorName).Select(c => (long?)c.NextBlock).SingleOrDefaultAsync(cancellationToken);
        var stakes = await db.Stakes.AsNoTracking()
            .Where(s => s.Staker == staker && s.Amount > 0)
            .ToListAsync(cancellationToken);
        var unstakes = await db.UnstakeRequests.AsNoTracking()
            .Where(r => r.Staker == staker && !r.Withdrawn)
            .OrderBy(r => r.AvailableAt).ThenBy(r => r.RequestId)
            .ToListAsync(cancellationToken);
        var names = await MinerNamesAsync(db, [.. stakes.Select(s => s.MinerChainId), .. unstakes.Select(r => r.MinerChainId)], cancellationToken);

        var positions = stakes
            .Select(s => new StakePosition(s.MinerChainId, names.GetValueOrDefault(s.MinerChainId), (TokenKind)(byte)s.Kind, Digits(s.Amount)))
            .OrderBy(p => p.MinerId ?? "\uffff" + p.MinerChainId, StringComparer.Ordinal).ThenBy(p => p.Kind)
            .ToList();
        var pending = unstakes
            .Select(r => new PendingUnstake(r.RequestId, r.MinerChainId, names.GetValueOrDefault(r.MinerChainId), Digits(r.Amount), r.AvailableAt))
            .ToList();
        return new StakingAccount(staker, indexed ?? 0, positions, pending, await HistoryAsync(db, staker, cancellationToken));
    }

    private async Task<StakeHistory> HistoryAsync(PortalDbContext db, string staker, CancellationToken cancellationToken)
    {
        var clock = await epochs.GetAsync(cancellationToken);
        // The arguments are jsonb; the staker is compared as the indexer wrote it, in any case.
        var events = await db.ChainEvents
            .FromSqlInterpolated($"SELECT * FROM chain_events WHERE contract = 'MinerStaking' AND name = ANY({StakeChanges}) AND lower(arguments ->> 'staker') = {staker}")
            .AsNoTracking()
            .OrderBy(e => e.BlockNumber).ThenBy(e => e.LogIndex)
            .ToListAsync(cancellationToken);
        if (events.Count == 0)
        {
            return new StakeHistory(clock.LengthSeconds, clock.Genesis, []);
        }
        var changes = events.Select(e => Change(e, clock)).ToList();
        var first = Math.Max(changes[0].Epoch, clock.Current - StakeHistory.MaxEpochs + 1);
        var points = new List<StakeEpoch>();
        BigInteger heu = 0, esHeu = 0;
        var next = 0;
        for (var epoch = first; epoch <= Math.Max(first, clock.Current); epoch++)
        {
            for (; next < changes.Count && changes[next].Epoch <= epoch; next++)
            {
                if (changes[next].Kind == TokenKind.Heu)
                {
                    heu += changes[next].Delta;
                }
                else
                {
                    esHeu += changes[next].Delta;
                }
            }
            points.Add(new StakeEpoch(epoch, clock.Genesis.AddSeconds((epoch + 1) * clock.LengthSeconds), Wei.ToText(heu), Wei.ToText(esHeu)));
        }
        return new StakeHistory(clock.LengthSeconds, clock.Genesis, points);
    }

    private static StakeChange Change(ChainEvent e, StakingEpochs.Clock clock)
    {
        using var json = JsonDocument.Parse(e.Arguments);
        var args = json.RootElement;
        var amount = BigInteger.Parse(args.GetProperty("amount").GetString()!, CultureInfo.InvariantCulture);
        var kind = e.Name == "UnstakeRequested" ? TokenKind.Heu : (TokenKind)byte.Parse(args.GetProperty("kind").GetString()!, CultureInfo.InvariantCulture);
        var epoch = Math.Max(0, (long)Math.Floor((e.BlockTime - clock.Genesis).TotalSeconds / clock.LengthSeconds));
        return new StakeChange(epoch, kind, e.Name == "Staked" ? amount : -amount);
    }

    private sealed record StakeChange(long Epoch, TokenKind Kind, BigInteger Delta);

    /// <summary>The worker miner id behind each chain id, where the portal knows one.</summary>
    private async Task<Dictionary<string, string>> MinerNamesAsync(PortalDbContext db, IReadOnlyCollection<string> chainIds, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.GetAsync(cancellationToken);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chainId in chainIds)
        {
            if (snapshot.MinerIdsByChainId.TryGetValue(chainId, out var id))
            {
                names[chainId] = id;
            }
        }
        if (names.Count < chainIds.Distinct(StringComparer.Ordinal).Count())
        {
            // Miners registered since the snapshot was built.
            var wanted = chainIds.ToHashSet(StringComparer.Ordinal);
            foreach (var id in await db.Miners.AsNoTracking().Select(m => m.Id).ToListAsync(cancellationToken))
            {
                var chainId = MinerChainId.Of(id);
                if (wanted.Contains(chainId))
                {
                    names[chainId] = id;
                }
            }
        }
        return names;
    }

    private static string Digits(decimal wei) => decimal.Truncate(wei).ToString(CultureInfo.InvariantCulture);

    private static bool IsAddress(string? address)
        => address is { Length: 42 } && address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && address[2..].All(char.IsAsciiHexDigit);
}

/// <summary>MinerStaking's epoch length and genesis (fixed at deployment, read once) and its current epoch (read each time).</summary>
public sealed class StakingEpochs(IWeb3 rpc, DeploymentManifest manifest)
{
    private readonly MinerStakingContract _staking = new(rpc, manifest.Contracts.MinerStaking);
    private (long Length, DateTimeOffset Genesis)? _fixed;

    public sealed record Clock(long Current, long LengthSeconds, DateTimeOffset Genesis);

    public async Task<Clock> GetAsync(CancellationToken cancellationToken)
    {
        if (_fixed is not { } known)
        {
            var length = await _staking.EpochLengthAsync().WaitAsync(cancellationToken);
            var genesis = await _staking.GenesisAsync().WaitAsync(cancellationToken);
            known = ((long)length, DateTimeOffset.FromUnixTimeSeconds((long)genesis));
            _fixed = known;
        }
        var current = await _staking.CurrentEpochAsync().WaitAsync(cancellationToken);
        return new Clock((long)current, known.Length, known.Genesis);
    }
}
