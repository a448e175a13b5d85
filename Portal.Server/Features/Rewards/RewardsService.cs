using System.Globalization;
using System.Text.Json;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Rewards;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Rewards;
using Heurist.Protocol.Chain;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Server.Features.Rewards;

/// <summary>The server's <see cref="IRewardsClient"/>: reads the settlement tables and the indexed claims.</summary>
public sealed class RewardsService(IDbContextFactory<PortalDbContext> databases) : IRewardsClient
{
    public const string InvalidAddressTitle = "The address is invalid.";

    public async Task<IReadOnlyList<RewardEpochSummary>> GetEpochsAsync(int limit = RewardsRules.DefaultEpochs, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var records = await db.EpochSettlements.AsNoTracking()
            .OrderByDescending(s => s.Epoch)
            .Take(Math.Clamp(limit, 1, RewardsRules.MaxEpochs))
            .ToListAsync(cancellationToken);
        return [.. records.Select(Summary)];
    }

    public async Task<RewardEpochTree?> GetEpochAsync(long epoch, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var record = await db.EpochSettlements.AsNoTracking().SingleOrDefaultAsync(s => s.Epoch == epoch, cancellationToken);
        return record is null
            ? null
            : new RewardEpochTree(Summary(record), record.Tree is null ? null : JsonSerializer.Deserialize<StandardMerkleTreeDump>(record.Tree));
    }

    public async Task<RewardAccount> GetAccountAsync(string address, CancellationToken cancellationToken = default)
    {
        if (RewardsRules.ValidateAddress(address) is { } problem)
        {
            throw ApiException.Invalid(InvalidAddressTitle, new FieldErrors().Add("address", problem));
        }
        var account = address.ToLowerInvariant();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var leaves = await (
                from leaf in db.RewardLeaves.AsNoTracking()
                join settlement in db.EpochSettlements.AsNoTracking() on leaf.Epoch equals settlement.Epoch
                where leaf.Account == account
                orderby leaf.Epoch descending
                select new { leaf, settlement.Status })
            .ToListAsync(cancellationToken);
        var claims = await db.RewardClaims.AsNoTracking()
            .Where(c => c.Account == account)
            .ToDictionaryAsync(c => c.Epoch, c => c.TransactionHash, cancellationToken);

        var epochs = leaves.Select(l =>
        {
            var claimed = claims.TryGetValue(l.leaf.Epoch, out var claimTransaction);
            return new AccountEpochReward(
                l.leaf.Epoch,
                StatusOf(l.Status),
                Wei(l.leaf.Heu),
                Wei(l.leaf.EsHeu),
                Tokens(l.leaf.Heu),
                Tokens(l.leaf.EsHeu),
                JsonSerializer.Deserialize<string[]>(l.leaf.Proof) ?? [],
                claimed,
                claimTransaction);
        }).ToList();
        var claimable = leaves.Where(l => l.Status == EpochSettlementStatus.Posted && !claims.ContainsKey(l.leaf.Epoch)).ToList();
        var heu = claimable.Sum(l => l.leaf.Heu);
        var esHeu = claimable.Sum(l => l.leaf.EsHeu);
        return new RewardAccount(account, epochs, Wei(heu), Wei(esHeu), Tokens(heu), Tokens(esHeu));
    }

    public static RewardEpochStatus StatusOf(EpochSettlementStatus status) => status switch
    {
        EpochSettlementStatus.Computed => RewardEpochStatus.Computed,
        EpochSettlementStatus.Posted => RewardEpochStatus.Posted,
        EpochSettlementStatus.Empty => RewardEpochStatus.Empty,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static RewardEpochSummary Summary(EpochSettlementRecord s) => new(
        s.Epoch,
        StatusOf(s.Status),
        s.StartsAt,
        s.EndsAt,
        s.Root,
        Wei(s.HeuTotal),
        Wei(s.EsHeuTotal),
        Wei(s.Budget),
        Wei(s.Unallocated),
        s.LeafCount,
        s.PostTransactionHash,
        s.ComputedAt,
        s.PostedAt,
        s.LastError);

    private static string Wei(decimal wei) => WeiAmounts.ToBigInteger(wei).ToString(CultureInfo.InvariantCulture);

    private static string Tokens(decimal wei) => TokenAmounts.Format(WeiAmounts.ToBigInteger(wei));
}
