using System.Globalization;
using Heurist.Contracts.Staking;
using Heurist.Protocol.Models;

namespace Heurist.NetworkGenerator;

/// <summary>A stretch of heartbeats with no long silence, in microseconds since the Unix epoch.</summary>
internal readonly record struct Session(long Start, long End)
{
    public long Length => End - Start;
}

/// <summary>One synthetic miner: its registration, device, models, heartbeat sessions and share of the jobs.</summary>
internal sealed class MinerPlan
{
    public required int Index { get; init; }

    public required string Id { get; init; }

    public required string HostName { get; init; }

    public required string RewardAddress { get; init; }

    public required GpuModel Gpu { get; init; }

    /// <summary>Indexes into <see cref="NetworkPlan.Models"/>.</summary>
    public required int[] Models { get; init; }

    /// <summary>How often this miner's jobs are each of its models, by position in <see cref="Models"/>.</summary>
    public required double[] ModelDemand { get; init; }

    public required string[] Queues { get; init; }

    public required string WorkerVersion { get; init; }

    public required Guid InstanceId { get; init; }

    public required long RegisteredAt { get; init; }

    /// <summary>Every session that reaches into the window, oldest first; the last one is the current run.</summary>
    public required List<Session> Sessions { get; init; }

    /// <summary>The sessions clipped to the window: where jobs can run.</summary>
    public required Session[] WindowSessions { get; init; }

    public required bool Active { get; init; }

    /// <summary>Set when the last run ended with a clean shutdown.</summary>
    public required long? StoppedAt { get; init; }

    /// <summary>Relative throughput: a heavy-tailed popularity, the GPU's speed and the hours up in the window.</summary>
    public required double Throughput { get; init; }

    /// <summary>This machine's latency next to a typical one with the same GPU (drivers, cooling, CPU).</summary>
    public required double LatencyFactor { get; init; }

    public long Jobs { get; set; }

    /// <summary>The miner's id on chain: keccak256 of its id, 0x-hex.</summary>
    public string ChainId => MinerChainId.Of(Id);
}

/// <summary>Everything decided before the first job is drawn: the time window, the miners and the account pools.</summary>
internal sealed class NetworkPlan
{
    public const long Second = 1_000_000;
    public const long Minute = 60 * Second;
    public const long Hour = 60 * Minute;
    public const long Day = 24 * Hour;

    // Streams of randomness: each purpose draws from its own, per item.
    public const int MinerStream = 1;
    public const int JobStream = 2;
    public const int PoolStream = 3;
    public const int ChainStream = 4;

    private NetworkPlan(GeneratorOptions options, long now, IReadOnlyList<ModelShape> models)
    {
        Options = options;
        Now = now;
        WindowStart = now - options.Days * Day;
        Models = models;
    }

    public GeneratorOptions Options { get; }

    /// <summary>The end of the history, in microseconds since the Unix epoch.</summary>
    public long Now { get; }

    public long WindowStart { get; }

    public IReadOnlyList<ModelShape> Models { get; }

    public List<MinerPlan> Miners { get; } = [];

    /// <summary>Browser creator ids; the first ones are the busiest.</summary>
    public string[] Creators { get; private set; } = [];

    /// <summary>Wallets that stake on miners besides their owners.</summary>
    public string[] Stakers { get; private set; } = [];

    /// <summary>Wallets that mint and hold NFTs.</summary>
    public string[] Collectors { get; private set; } = [];

    /// <summary>The sha256 of each model file, the same for every miner serving the model.</summary>
    public string[] ModelFileHashes { get; private set; } = [];

    public static NetworkPlan Create(GeneratorOptions options, long now, ModelCatalog catalog)
    {
        var plan = new NetworkPlan(options, now, NetworkShape.Models(catalog));
        var pools = Rng.For(options.Seed, PoolStream, 0);
        var creatorCount = (int)Math.Clamp(options.Jobs / 150, 50, 200_000);
        plan.Creators = [.. Enumerable.Range(0, creatorCount).Select(_ => pools.Guid().ToString())];
        plan.Stakers = [.. Enumerable.Range(0, Math.Clamp(options.Miners / 5, 20, 5_000)).Select(_ => "0x" + pools.Hex(20))];
        plan.Collectors = [.. Enumerable.Range(0, 1_000).Select(_ => "0x" + pools.Hex(20))];
        plan.ModelFileHashes = [.. plan.Models.Select(m => "{" + string.Join(", ", m.Files.Select(f => $"\"{f}\": \"{pools.Hex(32)}\"")) + "}")];

        for (var i = 0; i < options.Miners; i++)
        {
            plan.Miners.Add(plan.CreateMiner(i));
        }
        plan.AssignJobs();
        return plan;
    }

    private MinerPlan CreateMiner(int index)
    {
        var rng = Rng.For(Options.Seed, MinerStream, index);
        var number = index + 1;
        string id, host;
        if (rng.Chance(0.55))
        {
            id = string.Create(CultureInfo.InvariantCulture, $"rig-{number:D6}");
            host = rng.Chance(0.5)
                ? string.Create(CultureInfo.InvariantCulture, $"ip-10-{rng.Int(0, 255)}-{rng.Int(0, 255)}-{rng.Int(1, 254)}")
                : id;
        }
        else
        {
            id = string.Create(CultureInfo.InvariantCulture, $"{rng.Pick(NetworkShape.HostPrefixes)}-{rng.Pick(NetworkShape.HostSites)}-{number:D5}");
            host = id;
        }

        var gpu = NetworkShape.Gpus[rng.Weighted(NetworkShape.GpuShares)];
        // The worker's rule: a model needs at least its minimum GPU memory in GiB.
        var eligible = Enumerable.Range(0, Models.Count).Where(m => gpu.MemoryGiB >= Models[m].Model.MinVramGiB).ToList();
        var served = eligible.Where(m => rng.Chance(Models[m].ServedBy)).ToList();
        if (served.Count == 0)
        {
            served.Add(eligible.Count > 0 ? eligible[^1] : 0);
        }
        var demand = served.Select(m => Models[m].Demand * rng.Uniform(0.5, 1.5)).ToArray();
        var versions = NetworkShape.WorkerVersions;
        var version = versions[rng.Weighted([.. versions.Select(v => v.Share)])].Version;

        // Most miners were there before the window; some joined during it.
        var lateJoiner = Options.Days >= 2 && rng.Chance(0.15);
        var registeredAt = lateJoiner
            ? WindowStart + (long)rng.Uniform(0, Math.Max(1, Now - 6 * Hour - WindowStart))
            : WindowStart - (long)(rng.LogUniform(1, 120) * Day);
        var active = rng.Chance(0.65);
        var inWindowFrom = Math.Max(registeredAt, WindowStart);
        long end;
        if (active)
        {
            // Heartbeats every 5 s: the last one is a few seconds old.
            end = Now - (long)rng.Uniform(0, 12 * Second);
        }
        else
        {
            var longest = Math.Max(12 * Minute, Math.Min(10 * Day, (long)((Now - inWindowFrom) * 0.7)));
            end = Now - (long)rng.LogUniform(6 * Minute, longest);
        }
        end = Math.Max(end, Math.Min(Now, inWindowFrom + Hour));

        var historyStart = Math.Max(registeredAt, WindowStart - 3 * Day);
        var sessions = DrawSessions(rng, historyStart, end);
        var windowSessions = sessions
            .Where(s => s.End > WindowStart)
            .Select(s => new Session(Math.Max(s.Start, WindowStart), s.End))
            .Where(s => s.Length > 0)
            .ToArray();
        var upInWindow = windowSessions.Sum(s => (double)s.Length) / Hour;
        var throughput = Math.Min(rng.Pareto(1.3), 40) * Math.Pow(1 / gpu.SlowerThan4090, 0.7) * upInWindow;

        return new MinerPlan
        {
            Index = index,
            Id = id,
            HostName = host,
            RewardAddress = "0x" + rng.Hex(20),
            Gpu = gpu,
            Models = [.. served],
            ModelDemand = demand,
            Queues = ["default", .. served.Select(m => Models[m].Model.Id)],
            WorkerVersion = version,
            InstanceId = rng.Guid(),
            RegisteredAt = registeredAt,
            Sessions = [.. sessions.Where(s => s.End > WindowStart)],
            WindowSessions = windowSessions,
            Active = active,
            StoppedAt = !active && rng.Chance(0.7) ? sessions[^1].End + (long)rng.Uniform(Second, 3 * Second) : null,
            Throughput = throughput,
            LatencyFactor = rng.LogNormal(1, 0.15),
        };
    }

    /// <summary>
    /// Up-time from <paramref name="start"/> to <paramref name="end"/> broken by a few outages (restarts, updates,
    /// power cuts, the odd long absence); flaky miners have many more. The last session ends at <paramref name="end"/>.
    /// </summary>
    private static List<Session> DrawSessions(Rng rng, long start, long end)
    {
        const long MinSession = 10 * Minute;
        var outagesPerMonth = rng.LogUniform(1, 12);
        var count = rng.Poisson(outagesPerMonth * (end - start) / (30.0 * Day));
        var outages = new List<Session>(count);
        var latestOutageEnd = end - MinSession;
        for (var i = 0; i < count && latestOutageEnd > start; i++)
        {
            var from = start + (long)rng.Uniform(0, latestOutageEnd - start);
            var length = (long)Math.Clamp(rng.LogNormal(40 * Minute, 1.3), 3 * Minute, 4 * Day);
            outages.Add(new Session(from, Math.Min(from + length, latestOutageEnd)));
        }
        outages.Sort((a, b) => a.Start.CompareTo(b.Start));

        var sessions = new List<Session>();
        var up = start;
        foreach (var outage in outages)
        {
            if (outage.Start > up)
            {
                sessions.Add(new Session(up, outage.Start));
            }
            up = Math.Max(up, outage.End);
        }
        sessions.Add(new Session(up, end));
        // A blip of a few minutes between two outages reads as part of the outage.
        var kept = sessions.Where((s, i) => s.Length >= MinSession || i == sessions.Count - 1).ToList();
        return kept[^1].Length > 0 ? kept : [new Session(end - Hour, end)];
    }

    /// <summary>Shares out exactly <c>Options.Jobs</c> jobs in proportion to each miner's throughput (largest remainders).</summary>
    private void AssignJobs()
    {
        var total = Miners.Sum(m => m.Throughput);
        var exact = Miners.Select(m => Options.Jobs * m.Throughput / total).ToArray();
        var assigned = 0L;
        for (var i = 0; i < Miners.Count; i++)
        {
            Miners[i].Jobs = (long)Math.Floor(exact[i]);
            assigned += Miners[i].Jobs;
        }
        foreach (var i in Enumerable.Range(0, Miners.Count).OrderByDescending(i => exact[i] - Math.Floor(exact[i])).ThenBy(i => i).Take((int)(Options.Jobs - assigned)))
        {
            Miners[i].Jobs++;
        }
    }

    /// <summary>Requests follow the day (busiest in the European and American afternoon) and grow over the window.</summary>
    public double Demand(long at)
    {
        var hourOfDay = (double)(((at % Day) + Day) % Day) / Hour;
        var daily = 1 + 0.45 * Math.Cos(2 * Math.PI * (hourOfDay - 16) / 24);
        var growth = 0.85 + 0.3 * (at - WindowStart) / (double)(Now - WindowStart);
        return daily * growth;
    }

    /// <summary>The largest value <see cref="Demand"/> takes, for rejection sampling.</summary>
    public const double MaxDemand = 1.45 * 1.15;

    public static DateTime ToDateTime(long micros) => new(DateTime.UnixEpoch.Ticks + micros * 10, DateTimeKind.Utc);

    public static long ToMicros(DateTimeOffset at) => (at.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
}
