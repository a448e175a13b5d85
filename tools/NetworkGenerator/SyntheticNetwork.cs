using System.Diagnostics;
using System.Globalization;
using Heurist.LocalRunner;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Network;
using Heurist.Protocol.Miners;
using Heurist.Protocol.Models;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Heurist.NetworkGenerator;

/// <summary>What a generation wrote, and how long it took.</summary>
public sealed record GenerationResult(
    int Miners,
    int ActiveMiners,
    long Jobs,
    long Credits,
    long Sessions,
    long NftTokens,
    DateTimeOffset Now,
    TimeSpan Elapsed,
    long DatabaseBytes);

/// <summary>
/// Fills an empty database with a synthetic network for load tests: miners with their devices, models and heartbeat
/// sessions, image jobs with a daily rhythm and heavy-tailed miners, a credit for each job that succeeded, stakes,
/// bribes and NFTs on the chain tables, and the rollups exactly as the portal's incremental path would have written
/// them for that history. Miners are generated one at a time, so memory stays flat however many jobs there are.
/// </summary>
public static class SyntheticNetwork
{
    private const string JobColumns =
        "id, creator_id, created_at, prompt, negative_prompt, model_id, width, height, steps, guidance, seed, scheduler, state, " +
        "progress_step, hangfire_job_id, miner_id, attempts, started_at, completed_at, cancel_requested, error, image_sha256, points";

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(3);

    /// <summary>The database that run.sh's embedded cluster holds (the default of <see cref="LocalPostgresOptions.Database"/>).</summary>
    public static string DefaultDatabaseName { get; } = new LocalPostgresOptions { DataDirectory = "", Port = 0 }.Database;

    /// <summary>
    /// Returns null when the generator may write to the connection string's database, otherwise why not. Without a
    /// Database keyword, PostgreSQL connects to the database named after the user, so that one is checked.
    /// </summary>
    public static string? RefuseDefaultDatabase(string connectionString, bool allowDefaultDatabase)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            return $"is not a valid PostgreSQL connection string ({ex.Message})";
        }
        var database = builder.Database ?? builder.Username ?? Environment.UserName;
        return !allowDefaultDatabase && string.Equals(database, DefaultDatabaseName, StringComparison.Ordinal)
            ? $"database \"{database}\" is the portal's default database (the embedded cluster run.sh starts); pass --allow-default-database to fill it anyway"
            : null;
    }

    public static async Task<GenerationResult> GenerateAsync(GeneratorOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        options.Validate();
        if (RefuseDefaultDatabase(options.ConnectionString, options.AllowDefaultDatabase) is { } refusal)
        {
            throw new GeneratorRefusedException("--connection", refusal);
        }
        var watch = Stopwatch.StartNew();
        Task PhaseAsync(string text)
            => progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"[{watch.Elapsed.TotalSeconds,6:0.0} s] {text}"));
        // Index builds and the window refresh run for minutes at full size; no command timeout for the generator's own work.
        var connectionString = new NpgsqlConnectionStringBuilder(options.ConnectionString) { CommandTimeout = 0 }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await RefuseDataAsync(dataSource, cancellationToken).ConfigureAwait(false);

        await using (var db = PortalDatabase.CreateContext(connectionString))
        {
            await PhaseAsync("Applying migrations…").ConfigureAwait(false);
            await db.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        var now = NetworkPlan.ToMicros(options.Now ?? DateTimeOffset.UtcNow);
        await PhaseAsync(string.Create(CultureInfo.InvariantCulture,
            $"Planning {options.Miners:N0} miners and {options.Jobs:N0} jobs over {options.Days} days up to {NetworkPlan.ToDateTime(now):O} (seed {options.Seed})…")).ConfigureAwait(false);
        var plan = NetworkPlan.Create(options, now, ModelCatalog.CreateDefault());

        var writer = await WriteJobsAsync(dataSource, plan, progress, PhaseAsync, cancellationToken).ConfigureAwait(false);

        // Without a fixed time, the active miners kept sending heartbeats while the jobs were written, so they are
        // still active when the generator finishes.
        var end = options.Now is null ? Math.Max(now, NetworkPlan.ToMicros(DateTimeOffset.UtcNow)) : now;
        await PhaseAsync("Writing miners, sessions, rollups and chain tables…").ConfigureAwait(false);
        var (sessions, nfts) = await WriteSmallTablesAsync(dataSource, plan, writer, end, cancellationToken).ConfigureAwait(false);

        await PhaseAsync("Computing the windowed summaries…").ConfigureAwait(false);
        await using (var db = PortalDatabase.CreateContext(connectionString))
        {
            await NetworkRollups.RefreshWindowsAsync(db, NetworkPlan.ToDateTime(end), cancellationToken).ConfigureAwait(false);
        }
        await PhaseAsync("Vacuuming and analyzing…").ConfigureAwait(false);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", connection))
        {
            await vacuum.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using var size = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
        var bytes = (long)(await size.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

        return new GenerationResult(
            plan.Miners.Count,
            plan.Miners.Count(m => m.Active),
            writer.JobsWritten,
            writer.CreditsWritten,
            sessions,
            nfts,
            NetworkPlan.ToDateTime(end),
            watch.Elapsed,
            bytes);
    }

    private static async Task RefuseDataAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<string>();
        foreach (var table in new[] { "miners", "image_jobs" })
        {
            await using var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection);
            exists.Parameters.AddWithValue("name", $"public.{table}");
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                continue;
            }
#pragma warning disable CA2100 // One of two fixed table names.
            await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM public.{table})", connection);
#pragma warning restore CA2100
            if ((bool)(await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                found.Add(table);
            }
        }
        if (found.Count > 0)
        {
            throw new GeneratorRefusedException("--connection",
                $"database \"{connection.Database}\" already has rows in {string.Join(" and ", found)}; the generator fills only an empty database, so that synthetic data never mixes with real data");
        }
    }

    private static async Task<JobWriter> WriteJobsAsync(
        NpgsqlDataSource dataSource, NetworkPlan plan, TextWriter progress, Func<string, Task> phaseAsync, CancellationToken cancellationToken)
    {
        await using var jobs = await BulkTable.BeginAsync(dataSource, "image_jobs", JobColumns, cancellationToken).ConfigureAwait(false);
        await using var credits = await BulkTable.BeginAsync(dataSource, "points_credits", "job_id, miner_id, kind, points, credited_at", cancellationToken).ConfigureAwait(false);
        await using var hours = await BulkTable.BeginAsync(dataSource, "miner_hourly", "miner_id, hour, jobs_done, waifu_points, llama_points", cancellationToken).ConfigureAwait(false);
        await using var latencies = await BulkTable.BeginAsync(dataSource, "miner_latency_daily", "miner_id, day, bucket, jobs", cancellationToken).ConfigureAwait(false);
        var writer = new JobWriter(plan, jobs, credits, hours, latencies);

        var watch = Stopwatch.StartNew();
        var (lastReport, lastJobs) = (TimeSpan.Zero, 0L);
        foreach (var miner in plan.Miners)
        {
            cancellationToken.ThrowIfCancellationRequested();
            writer.WriteMiner(miner);
            if (watch.Elapsed - lastReport >= ProgressInterval)
            {
                var rate = (writer.JobsWritten - lastJobs) / (watch.Elapsed - lastReport).TotalSeconds;
                await progress.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  jobs {writer.JobsWritten:N0} / {plan.Options.Jobs:N0} ({100.0 * writer.JobsWritten / plan.Options.Jobs:0}%), {rate:N0} rows/s, miner {miner.Index + 1:N0} / {plan.Miners.Count:N0}"))
                    .ConfigureAwait(false);
                (lastReport, lastJobs) = (watch.Elapsed, writer.JobsWritten);
            }
        }
        await phaseAsync(string.Create(CultureInfo.InvariantCulture,
            $"{writer.JobsWritten:N0} jobs written in {watch.Elapsed.TotalSeconds:0.0} s ({writer.JobsWritten / watch.Elapsed.TotalSeconds:N0} rows/s); building keys and indexes…")).ConfigureAwait(false);
        // Each table's indexes build on its own connection, in parallel.
        await Task.WhenAll(
            jobs.CompleteAsync(cancellationToken),
            credits.CompleteAsync(cancellationToken),
            hours.CompleteAsync(cancellationToken),
            latencies.CompleteAsync(cancellationToken)).ConfigureAwait(false);
        return writer;
    }

    private static async Task<(long Sessions, long Nfts)> WriteSmallTablesAsync(
        NpgsqlDataSource dataSource, NetworkPlan plan, JobWriter writer, long end, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var catchUp = end - plan.Now;
        var sessions = 0L;

        await using (var miners = await connection.BeginBinaryImportAsync(
            "COPY miners (id, reward_address, device_name, device_kind, memory_bytes, queues, host_name, worker_version, instance_id, registered_at, started_at, last_heartbeat_at, stopped_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var miner in plan.Miners)
            {
                if (miner.Active && catchUp > 0)
                {
                    var last = miner.Sessions[^1];
                    miner.Sessions[^1] = last with { End = last.End + catchUp };
                }
                await miners.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(miner.Id, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(miner.RewardAddress, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(miner.Gpu.Name, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(nameof(DeviceKind.Cuda), NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(miner.Gpu.MemoryBytes, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(miner.Queues, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(miner.HostName, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(miner.WorkerVersion, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(miner.InstanceId, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(NetworkPlan.ToDateTime(miner.RegisteredAt), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(NetworkPlan.ToDateTime(miner.Sessions[^1].Start), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(NetworkPlan.ToDateTime(miner.Sessions[^1].End), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await WriteTimeAsync(miners, miner.StoppedAt, cancellationToken).ConfigureAwait(false);
            }
            await miners.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var models = await connection.BeginBinaryImportAsync(
            "COPY miner_models (miner_id, model_id, demo, file_hashes, registered_at) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var miner in plan.Miners)
            {
                foreach (var model in miner.Models)
                {
                    await models.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await models.WriteAsync(miner.Id, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                    await models.WriteAsync(plan.Models[model].Model.Id, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                    await models.WriteAsync(false, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                    await models.WriteAsync(plan.ModelFileHashes[model], NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
                    // The worker registers its models each time it starts.
                    await models.WriteAsync(NetworkPlan.ToDateTime(miner.Sessions[^1].Start), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                }
            }
            await models.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var rows = await connection.BeginBinaryImportAsync(
            "COPY miner_sessions (miner_id, started_at, last_seen_at) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var miner in plan.Miners)
            {
                foreach (var session in miner.Sessions)
                {
                    await rows.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await rows.WriteAsync(miner.Id, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                    await rows.WriteAsync(NetworkPlan.ToDateTime(session.Start), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    await rows.WriteAsync(NetworkPlan.ToDateTime(session.End), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                    sessions++;
                }
            }
            await rows.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var rows = await connection.BeginBinaryImportAsync(
            "COPY network_hourly (hour, model_id, requests, images_generated, waifu_points, llama_points) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var ((hour, model), cell) in writer.Network)
            {
                await rows.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(NetworkPlan.ToDateTime(hour), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(plan.Models[model].Model.Id, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(cell.Requests, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(cell.Images, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(cell.WaifuPoints, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(0m, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
            }
            await rows.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        // Only miners with a credited job have a summary row until the windows are computed, as in the portal.
        await using (var rows = await connection.BeginBinaryImportAsync(
            "COPY miner_summaries (miner_id, jobs_done, waifu_points, llama_points, last_job_at, points24h, points7d, jobs7d, uptime24h, uptime7d) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var totals in writer.Totals)
            {
                await rows.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(totals.MinerId, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(totals.JobsDone, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(totals.WaifuPoints, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(0m, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(NetworkPlan.ToDateTime(totals.LastJobAt), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(0m, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(0m, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(0L, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(0.0, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
                await rows.WriteAsync(0.0, NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            }
            await rows.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var nfts = await SyntheticChain.WriteAsync(connection, plan, writer.Minted, end, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (sessions, nfts);
    }

    internal static async Task WriteTimeAsync(NpgsqlBinaryImporter rows, long? micros, CancellationToken cancellationToken)
    {
        if (micros is { } value)
        {
            await rows.WriteAsync(NetworkPlan.ToDateTime(value), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await rows.WriteNullAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
