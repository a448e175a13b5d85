using System.Text.Json;
using System.Text.Json.Nodes;
using Heurist.Contracts.LocalChain;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Miners;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using Heurist.Protocol.Miners;
using Npgsql;

namespace Heurist.Bench.Governance;

/// <summary>
/// allocation.max_share_error and allocation.settle_heartbeats: 20 simulated workers, each holding every image model,
/// beat every second the way the worker does (one statement that records the beat and the queues served and returns
/// the assignment) and serve what they are told. A 70/20/10 allocation vote closes; the portal's allocation service
/// reassigns them; the benchmark counts the heartbeats until the portal's own target and actual shares are within 0.10.
/// </summary>
internal static class AllocationBenchmark
{
    public const int Workers = 20;

    private const int MaxRounds = 20;

    private static readonly string[] Models = ["sd15", "sdxl", "flux-dev"];

    private static readonly JsonSerializerOptions Api = new(JsonSerializerDefaults.Web);

    public static async Task<bool> RunAsync(GovernanceStack stack, CancellationToken cancellationToken)
    {
        var ids = Enumerable.Range(1, Workers).Select(i => $"bench-worker-{i:00}").ToArray();
        await AddWorkersAsync(stack, ids, cancellationToken);
        var served = ids.ToDictionary(id => id, _ => (IReadOnlyList<string>)Models);

        // The vote: sdxl 70, sd15 20, flux 10, closing in a few seconds.
        using var http = new HttpClient { BaseAddress = stack.PortalUrl, Timeout = TimeSpan.FromSeconds(30) };
        var owner = AnvilAccounts.Owner;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var end = now + 6;
        var proposal = await Voters.SubmitAsync(http, Voters.Sign(owner, SnapshotMessageKind.Proposal,
            Voters.Proposal(owner.GetPublicAddress(), now, VotingType.Weighted, "Benchmark allocation", Models, now - 5, end, await stack.LatestBlockAsync(),
                """{"heurist":{"kind":"model-allocation"}}""")), cancellationToken);
        await Voters.SubmitAsync(http, Voters.Sign(owner, SnapshotMessageKind.VoteString,
            Voters.Vote(owner.GetPublicAddress(), now, proposal, JsonValue.Create("""{"1":20,"2":70,"3":10}"""))), cancellationToken);

        // Beat while the vote is open, then until the shares settle.
        await using var source = NpgsqlDataSource.Create(stack.ConnectionString);
        while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() <= end)
        {
            await BeatAsync(source, served, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        int? settledAt = null;
        var error = 1.0;
        for (var round = 1; round <= MaxRounds; round++)
        {
            await BeatAsync(source, served, cancellationToken);
            var status = JsonSerializer.Deserialize<AllocationStatus>(await http.GetStringAsync("api/governance/allocation?hours=1", cancellationToken), Api)!;
            error = status.ProposalId == proposal ? status.Models.Max(m => Math.Abs(m.TargetShare - m.ActualShare)) : 1.0;
            if (error <= 0.10)
            {
                settledAt ??= round;
            }
            else
            {
                settledAt = null;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
        Output.Line("allocation.workers", Workers);
        Output.Line("allocation.max_share_error", error);
        Output.Line("allocation.settle_heartbeats", settledAt is { } rounds ? rounds.ToString(System.Globalization.CultureInfo.InvariantCulture) : "never");
        return settledAt is not null;
    }

    /// <summary>One heartbeat of every simulated worker: the statement records the beat and what it serves, and returns its assignment.</summary>
    private static async Task BeatAsync(NpgsqlDataSource source, Dictionary<string, IReadOnlyList<string>> served, CancellationToken cancellationToken)
    {
        foreach (var id in served.Keys.ToList())
        {
            await using var command = source.CreateCommand(
                "UPDATE miners SET last_heartbeat_at = now(), queues = @queues WHERE id = @id RETURNING assigned_models");
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("queues", served[id].ToArray());
            var assigned = await command.ExecuteScalarAsync(cancellationToken);
            served[id] = assigned is string[] models && models.Length > 0 ? models : Models;
        }
    }

    private static async Task AddWorkersAsync(GovernanceStack stack, string[] ids, CancellationToken cancellationToken)
    {
        await using var db = stack.Database();
        var now = DateTimeOffset.UtcNow;
        foreach (var id in ids)
        {
            db.Miners.Add(new Miner
            {
                Id = id, RewardAddress = AnvilAccounts.Address(1), DeviceName = "NVIDIA GeForce RTX 4090", DeviceKind = DeviceKind.Cuda,
                MemoryBytes = 24L << 30, Queues = [.. Models], HostName = id, WorkerVersion = "bench", InstanceId = Guid.NewGuid(),
                RegisteredAt = now, StartedAt = now, LastHeartbeatAt = now,
            });
            foreach (var model in Models)
            {
                db.MinerModels.Add(new MinerModel { MinerId = id, ModelId = model, FileHashes = "{}", RegisteredAt = now });
            }
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
