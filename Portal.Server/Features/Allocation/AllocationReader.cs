using System.Security.Cryptography;
using System.Text.Json;
using Heurist.Portal.Data;
using Heurist.Portal.Server.Features.Governance;
using Heurist.Portal.Server.Features.Stats;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using Heurist.Protocol.Miners;
using Heurist.Protocol.Models;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Allocation;

/// <summary>
/// The server's <see cref="IAllocationClient"/>: the targets the allocation service last wrote, the actual shares of
/// the workers online now (from the queues they report), and the recorded samples, averaged into at most
/// <see cref="ModelAllocationHistory.MaxPointsPerModel"/> points per model.
/// </summary>
public sealed class AllocationReader(
    IDbContextFactory<PortalDbContext> databases,
    ModelCatalog catalog,
    IOptions<AllocationOptions> options,
    IOptions<PortalOptions> portalOptions,
    IOptions<JsonOptions> jsonOptions,
    TimeProvider clock) : IAllocationClient
{
    public async Task<AllocationStatus> GetAllocationAsync(int hours, CancellationToken cancellationToken = default)
    {
        if (ModelAllocationHistory.Validate(hours) is { IsValid: false } errors)
        {
            throw ApiException.Invalid(ModelAllocationHistory.InvalidTitle, errors);
        }
        var now = clock.GetUtcNow();
        var models = catalog.Image.Select(m => m.Id).ToList();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var targets = await db.ModelAllocationTargets.AsNoTracking().ToDictionaryAsync(t => t.ModelId, StringComparer.Ordinal, cancellationToken);

        var window = TimeSpan.FromSeconds(portalOptions.Value.OnlineWindowSeconds);
        var cutoff = now - window;
        var online = (await db.Miners.AsNoTracking()
                .Where(m => m.LastHeartbeatAt >= cutoff)
                .Select(m => new { m.LastHeartbeatAt, m.StoppedAt, m.Queues })
                .ToListAsync(cancellationToken))
            .Where(m => MinerPresence.IsOnline(m.LastHeartbeatAt, m.StoppedAt, now, window))
            .Select(m => m.Queues)
            .ToList();
        var actual = ModelAllocation.ActualShares(models, online);

        var bucket = ModelAllocationHistory.Bucket(hours, TimeSpan.FromSeconds(options.Value.SampleEverySeconds));
        var since = now - TimeSpan.FromHours(hours);
        var history = await db.Database.SqlQuery<HistoryRow>(
            $"""
            SELECT date_bin({bucket}, at, TIMESTAMPTZ '2000-01-01 00:00:00+00') AS at, model_id,
                   avg(target_share) AS target_share, avg(actual_share) AS actual_share
            FROM allocation_samples
            WHERE at >= {since}
            GROUP BY 1, 2
            ORDER BY 1, 2
            """).ToListAsync(cancellationToken);

        return new AllocationStatus(
            options.Value.Alpha,
            targets.Values.Select(t => t.ProposalId).FirstOrDefault(id => id is not null),
            targets.Count == 0 ? null : targets.Values.Max(t => t.UpdatedAt),
            [.. models.Select(m => targets.GetValueOrDefault(m) is { } target
                ? new ModelShare(m, target.VotedShare, target.DemandShare, target.TargetShare, actual[m], online.Count(q => q.Contains(m, StringComparer.Ordinal)))
                : new ModelShare(m, 0, 0, 0, actual[m], online.Count(q => q.Contains(m, StringComparer.Ordinal))))],
            [.. history.Where(h => models.Contains(h.ModelId, StringComparer.Ordinal)).Select(h => new AllocationSamplePoint(h.At, h.ModelId, h.TargetShare, h.ActualShare))]);
    }

    /// <summary>The allocation as the API serves it: its JSON and a strong ETag of that JSON.</summary>
    public async Task<JsonBody> GetBodyAsync(int hours, CancellationToken cancellationToken)
    {
        var utf8 = JsonSerializer.SerializeToUtf8Bytes(await GetAllocationAsync(hours, cancellationToken), jsonOptions.Value.SerializerOptions);
        var tag = "\"" + Convert.ToBase64String(SHA256.HashData(utf8).AsSpan(0, 12)).Replace('+', '-').Replace('/', '_') + "\"";
        return new JsonBody(utf8, tag);
    }

    private sealed class HistoryRow
    {
        public DateTimeOffset At { get; init; }

        public required string ModelId { get; init; }

        public double TargetShare { get; init; }

        public double ActualShare { get; init; }
    }
}
