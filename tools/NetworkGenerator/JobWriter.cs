using System.Globalization;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Images;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Network;
using Heurist.Protocol.Points;
using NpgsqlTypes;

namespace Heurist.NetworkGenerator;

/// <summary>What a minted job leaves for the NFT table.</summary>
internal readonly record struct MintedImage(string Sha256, string ModelId, long CompletedAt, int MinerIndex);

/// <summary>The network's counts for one hour and model, as network_hourly holds them.</summary>
internal sealed class NetworkCell
{
    public long Requests { get; set; }

    public long Images { get; set; }

    public decimal WaifuPoints { get; set; }
}

/// <summary>A miner's all-time totals, as miner_summaries holds them before the windows are filled in.</summary>
internal readonly record struct MinerTotals(string MinerId, long JobsDone, decimal WaifuPoints, long LastJobAt);

/// <summary>
/// Draws each miner's jobs and writes them, their credits and the miner's rollups to the COPY streams, counting as
/// it goes exactly what the portal counts when a job is submitted and when its credit is written.
/// </summary>
internal sealed class JobWriter(NetworkPlan plan, BulkTable jobs, BulkTable credits, BulkTable minerHours, BulkTable latencyDays)
{
    private static readonly int EpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
    private static readonly string Succeeded = ImageJobState.Succeeded.ToString();
    private static readonly string Failed = ImageJobState.Failed.ToString();
    private static readonly string Canceled = ImageJobState.Canceled.ToString();
    private static readonly string Waifu = PointsKind.Waifu.ToString();

    private readonly double _mintChance = Math.Min(0.1, 3_000.0 / Math.Max(1, plan.Options.Jobs));
    private long _hangfireId = 1_000;

    public Dictionary<(long Hour, int Model), NetworkCell> Network { get; } = [];

    public List<MinerTotals> Totals { get; } = [];

    public List<MintedImage> Minted { get; } = [];

    public long JobsWritten { get; private set; }

    public long CreditsWritten { get; private set; }

    /// <summary>Writes all of one miner's jobs and its hourly and daily rollups.</summary>
    public void WriteMiner(MinerPlan miner)
    {
        var rng = Rng.For(plan.Options.Seed, NetworkPlan.JobStream, miner.Index);
        var cumulative = new long[miner.WindowSessions.Length];
        var up = 0L;
        for (var i = 0; i < cumulative.Length; i++)
        {
            up += miner.WindowSessions[i].Length;
            cumulative[i] = up;
        }
        var hours = new Dictionary<long, (long Jobs, decimal Points)>();
        var latencies = new Dictionary<(long Day, int Bucket), long>();
        var (jobsDone, points, lastJobAt) = (0L, 0m, 0L);

        for (var j = 0L; j < miner.Jobs; j++)
        {
            var modelIndex = miner.Models[rng.Weighted(miner.ModelDemand)];
            var shape = plan.Models[modelIndex];
            var model = shape.Model;
            var size = shape.Sizes[rng.Weighted(shape.SizeShares)];
            var steps = rng.Chance(0.6) ? model.DefaultSteps : rng.Int(shape.Steps.Min, shape.Steps.Max);
            var guidance = rng.Chance(0.7) ? model.DefaultGuidance : Math.Round(rng.Uniform(shape.Guidance.Min, shape.Guidance.Max) * 2) / 2;
            var scheduler = rng.Chance(0.75) ? model.DefaultScheduler : rng.Pick(shape.Schedulers);
            var work = (double)size.Width * size.Height / (model.DefaultWidth * model.DefaultHeight) * steps / model.DefaultSteps;
            var renderSeconds = Math.Max(0.15, rng.LogNormal(shape.MedianSecondsOn4090 * miner.Gpu.SlowerThan4090 * miner.LatencyFactor * (0.15 + 0.85 * work), 0.25));
            var render = (long)(renderSeconds * NetworkPlan.Second);
            var wait = (long)(Math.Clamp(rng.LogNormal(0.5, 1.1), 0.02, 600) * NetworkPlan.Second);
            var outcome = rng.Next();

            var id = rng.Guid();
            var creator = plan.Creators[(int)(plan.Creators.Length * Math.Pow(rng.Next(), 3))];
            var prompt = rng.Pick(NetworkShape.Prompts);
            var negative = rng.Pick(NetworkShape.NegativePrompts);
            var seed = rng.Long(0, ImageJobRules.MaxSeed);
            var hangfireId = (_hangfireId++).ToString(CultureInfo.InvariantCulture);

            string state;
            string? minerId = miner.Id, error = null, sha = null;
            long? started, completed;
            var (attempts, progress, cancel) = (1, steps, false);
            long created;
            decimal? jobPoints = null;
            if (outcome < 0.965)
            {
                // A worker that died mid-job leaves it to another after the abandoned-job timeout; started_at stays
                // the first start, so the creator's wait includes the lost run.
                var retried = rng.Chance(0.003);
                var latency = render + (retried ? (long)rng.Uniform(300, 360) * NetworkPlan.Second + (long)(rng.Next() * render) : 0);
                completed = PlaceInSession(rng, miner, cumulative, latency);
                started = completed - latency;
                created = started.Value - wait;
                state = Succeeded;
                attempts = retried ? 2 : 1;
                sha = rng.Hex(32);
                var earned = WaifuPoints.For(size.Width, size.Height, steps, model.PointsMultiplier,
                    TimeSpan.FromTicks(render * 10), TimeSpan.FromSeconds(model.DeadlineSeconds));
                // The points column keeps six decimals, and the rollups add up the stored values.
                jobPoints = Math.Round(earned, ColumnTypes.PointsScale, MidpointRounding.AwayFromZero);

                var finishedAt = completed.Value;
                var hour = finishedAt / NetworkPlan.Hour * NetworkPlan.Hour;
                var bucket = LatencyBuckets.Of(TimeSpan.FromTicks(latency * 10));
                hours[hour] = hours.TryGetValue(hour, out var h) ? (h.Jobs + 1, h.Points + jobPoints.Value) : (1, jobPoints.Value);
                var dayKey = (finishedAt / NetworkPlan.Day, bucket);
                latencies[dayKey] = latencies.GetValueOrDefault(dayKey) + 1;
                var cell = Cell(hour, modelIndex);
                cell.Images++;
                cell.WaifuPoints += jobPoints.Value;
                (jobsDone, points, lastJobAt) = (jobsDone + 1, points + jobPoints.Value, Math.Max(lastJobAt, finishedAt));

                var credit = credits.StartRow();
                credit.Write(id, NpgsqlDbType.Uuid);
                credit.Write(miner.Id, NpgsqlDbType.Varchar);
                credit.Write(Waifu, NpgsqlDbType.Varchar);
                credit.Write(jobPoints.Value, NpgsqlDbType.Numeric);
                credit.Write(NetworkPlan.ToDateTime(finishedAt), NpgsqlDbType.TimestampTz);
                CreditsWritten++;
                if (rng.Chance(_mintChance))
                {
                    Minted.Add(new MintedImage(sha, model.Id, finishedAt, miner.Index));
                }
            }
            else if (outcome < 0.9925)
            {
                // Failed, or cancelled while running: the worker stopped part of the way through.
                var latency = (long)(render * rng.Uniform(0.05, 0.9));
                completed = PlaceInSession(rng, miner, cumulative, latency);
                started = completed - latency;
                created = started.Value - wait;
                progress = (int)(steps * (double)(completed.Value - started.Value) / Math.Max(1, render));
                if (outcome < 0.985)
                {
                    state = Failed;
                    error = string.Format(CultureInfo.InvariantCulture, rng.Pick(NetworkShape.FailureReasons), model.Id, miner.Id);
                }
                else
                {
                    state = Canceled;
                    cancel = true;
                }
            }
            else
            {
                // Cancelled while still queued: no worker ever saw it.
                var at = PlaceInSession(rng, miner, cumulative, 0);
                created = at - wait;
                completed = Math.Min(plan.Now, created + (long)(rng.Uniform(1, 90) * NetworkPlan.Second));
                started = null;
                (state, minerId, attempts, progress, cancel) = (Canceled, null, 0, 0, true);
            }

            Cell(created / NetworkPlan.Hour * NetworkPlan.Hour, modelIndex).Requests++;
            var row = jobs.StartRow();
            row.Write(id, NpgsqlDbType.Uuid);
            row.Write(creator, NpgsqlDbType.Varchar);
            row.Write(NetworkPlan.ToDateTime(created), NpgsqlDbType.TimestampTz);
            row.Write(prompt, NpgsqlDbType.Varchar);
            row.Write(negative, NpgsqlDbType.Varchar);
            row.Write(model.Id, NpgsqlDbType.Varchar);
            row.Write(size.Width, NpgsqlDbType.Integer);
            row.Write(size.Height, NpgsqlDbType.Integer);
            row.Write(steps, NpgsqlDbType.Integer);
            row.Write(guidance, NpgsqlDbType.Double);
            row.Write(seed, NpgsqlDbType.Bigint);
            row.Write(scheduler, NpgsqlDbType.Varchar);
            row.Write(state, NpgsqlDbType.Varchar);
            row.Write(progress, NpgsqlDbType.Integer);
            row.Write(hangfireId, NpgsqlDbType.Varchar);
            WriteNullable(row, minerId, NpgsqlDbType.Varchar);
            row.Write(attempts, NpgsqlDbType.Integer);
            WriteTime(row, started);
            WriteTime(row, completed);
            row.Write(cancel, NpgsqlDbType.Boolean);
            WriteNullable(row, error, NpgsqlDbType.Varchar);
            WriteNullable(row, sha, NpgsqlDbType.Varchar);
            if (jobPoints is { } value)
            {
                row.Write(value, NpgsqlDbType.Numeric);
            }
            else
            {
                row.WriteNull();
            }
            JobsWritten++;
        }

        foreach (var (hour, (count, sum)) in hours)
        {
            var row = minerHours.StartRow();
            row.Write(miner.Id, NpgsqlDbType.Varchar);
            row.Write(NetworkPlan.ToDateTime(hour), NpgsqlDbType.TimestampTz);
            row.Write(count, NpgsqlDbType.Bigint);
            row.Write(sum, NpgsqlDbType.Numeric);
            row.Write(0m, NpgsqlDbType.Numeric);
        }
        foreach (var ((day, bucket), count) in latencies)
        {
            var row = latencyDays.StartRow();
            row.Write(miner.Id, NpgsqlDbType.Varchar);
            row.Write(DateOnly.FromDayNumber(EpochDayNumber + (int)day), NpgsqlDbType.Date);
            row.Write((short)bucket, NpgsqlDbType.Smallint);
            row.Write(count, NpgsqlDbType.Bigint);
        }
        if (jobsDone > 0)
        {
            Totals.Add(new MinerTotals(miner.Id, jobsDone, points, lastJobAt));
        }
    }

    /// <summary>
    /// When a job of the given latency finished: a moment in the miner's sessions, drawn by the network's daily demand,
    /// such that the whole run (start to finish) lies inside one session.
    /// </summary>
    private long PlaceInSession(Rng rng, MinerPlan miner, long[] cumulative, long latency)
    {
        var total = cumulative[^1];
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var offset = rng.Long(0, total);
            var index = Array.BinarySearch(cumulative, offset + 1);
            index = index < 0 ? ~index : index;
            var session = miner.WindowSessions[index];
            var at = session.End - (cumulative[index] - offset);
            if (!rng.Chance(plan.Demand(at) / NetworkPlan.MaxDemand))
            {
                continue;
            }
            var finished = Math.Max(at, session.Start + latency);
            if (finished <= session.End)
            {
                return finished;
            }
        }
        // Only a miner with nothing but very short sessions gets here: the end of its longest one.
        var longest = miner.WindowSessions.MaxBy(s => s.Length);
        return Math.Min(longest.End, longest.Start + latency);
    }

    private NetworkCell Cell(long hour, int model)
    {
        if (!Network.TryGetValue((hour, model), out var cell))
        {
            cell = new NetworkCell();
            Network[(hour, model)] = cell;
        }
        return cell;
    }

    private static void WriteNullable(Npgsql.NpgsqlBinaryImporter row, string? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            row.WriteNull();
        }
        else
        {
            row.Write(value, type);
        }
    }

    private static void WriteTime(Npgsql.NpgsqlBinaryImporter row, long? micros)
    {
        if (micros is { } value)
        {
            row.Write(NetworkPlan.ToDateTime(value), NpgsqlDbType.TimestampTz);
        }
        else
        {
            row.WriteNull();
        }
    }
}
