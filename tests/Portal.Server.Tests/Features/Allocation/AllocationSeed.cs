using System.Globalization;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Governance;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Miners;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Miners;
using Heurist.Testing;
using Heurist.Contracts.LocalChain;

namespace Heurist.Portal.Server.Tests.Features.Allocation;

/// <summary>Writes miners, their models, allocation votes and image jobs straight into a portal's database.</summary>
internal static class AllocationSeed
{
    public static readonly string[] Catalog = ["sd15", "sdxl", "flux-dev"];

    public static PortalDbContext Database(PortalApp portal) => PostgresFixture.CreateContext(portal.ConnectionString);

    /// <summary>An online GPU miner holding <paramref name="models"/> (real weights) and serving them all, as a worker with no assignment does.</summary>
    public static void AddMiner(PortalDbContext db, string id, DateTimeOffset lastHeartbeat, string[] models, long memoryBytes = 24L << 30)
    {
        db.Miners.Add(new Miner
        {
            Id = id,
            RewardAddress = AnvilAccounts.Address(1).ToLowerInvariant(),
            DeviceName = "NVIDIA GeForce RTX 4090",
            DeviceKind = DeviceKind.Cuda,
            MemoryBytes = memoryBytes,
            Queues = ["default", .. models],
            HostName = "host-" + id,
            WorkerVersion = "1.0.0",
            InstanceId = Guid.NewGuid(),
            RegisteredAt = lastHeartbeat.AddHours(-1),
            StartedAt = lastHeartbeat.AddMinutes(-10),
            LastHeartbeatAt = lastHeartbeat,
        });
        foreach (var model in models)
        {
            db.MinerModels.Add(new MinerModel { MinerId = id, ModelId = model, FileHashes = "{}", RegisteredAt = lastHeartbeat });
        }
    }

    /// <summary>
    /// A weighted model-allocation proposal over the catalog that closed a minute before <paramref name="now"/>, with
    /// one vote giving the catalog's models <paramref name="weights"/>.
    /// </summary>
    public static string AddClosedAllocationVote(PortalDbContext db, DateTimeOffset now, int[] weights, TimeSpan? endedAgo = null, decimal power = 1_000m)
    {
        var end = (now - (endedAgo ?? TimeSpan.FromMinutes(1))).ToUnixTimeSeconds();
        var id = "0x" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        db.GovernanceProposals.Add(new GovernanceProposal
        {
            Id = id,
            Space = "heurist.eth",
            Author = "0x" + new string('a', 40),
            Created = end - 7200,
            Type = "weighted",
            Kind = nameof(ProposalKind.ModelAllocation),
            Title = "Model allocation",
            Body = "How should the GPUs be split?",
            Discussion = "",
            Choices = [.. Catalog],
            Start = end - 3600,
            End = end,
            SnapshotBlock = 1,
            Plugins = "{\"heurist\":{\"kind\":\"model-allocation\"}}",
            App = "test",
            ReceivedAt = now.AddHours(-2),
        });
        var choice = "{" + string.Join(",", weights.Select((w, i) => (w, i)).Where(p => p.w > 0)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"\"{p.i + 1}\":{p.w}"))) + "}";
        db.GovernanceVotes.Add(new GovernanceVote
        {
            Id = "0x" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
            ProposalId = id,
            Voter = "0x" + new string('b', 40),
            Timestamp = end - 60,
            Choice = choice,
            Reason = "",
            App = "test",
            Power = power,
            ReceivedAt = now.AddHours(-1),
        });
        return id;
    }

    public static void AddJob(PortalDbContext db, string modelId, DateTimeOffset createdAt, ImageJobState state, DateTimeOffset? startedAt = null) => db.ImageJobs.Add(new ImageJob
    {
        Id = Guid.NewGuid(),
        CreatorId = "allocation-test",
        CreatedAt = createdAt,
        Prompt = "a lighthouse",
        NegativePrompt = "",
        ModelId = modelId,
        Width = 512,
        Height = 512,
        Steps = 20,
        Guidance = 7,
        Seed = 1,
        Scheduler = "euler",
        State = state,
        StartedAt = startedAt,
        CompletedAt = state == ImageJobState.Succeeded ? startedAt?.AddSeconds(5) : null,
    });
}
