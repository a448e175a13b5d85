using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace Heurist.Portal.Data.Hangfire;

/// <summary>The one Hangfire storage configuration that the portal and every worker share.</summary>
public static class HangfireStorageSetup
{
    /// <summary>Hangfire's tables live in their own schema, next to the portal's.</summary>
    public const string Schema = "hangfire";

    /// <summary>Serialization settings every process must agree on, without choosing a storage.</summary>
    public static IGlobalConfiguration UsePortalDefaults(this IGlobalConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
    }

    /// <summary>
    /// Hangfire's storage on the portal's PostgreSQL database. Register it as the JobStorage singleton: Hangfire's
    /// own registration would hand out the process-wide JobStorage.Current, which two hosts in one process overwrite.
    /// </summary>
    /// <param name="connectionString">The portal's database.</param>
    /// <param name="abandonedAfter">
    /// How long a fetched job may go without its worker's heartbeat before another worker takes it over; a worker that
    /// dies mid-job loses nothing, its job runs again elsewhere after this long.
    /// </param>
    /// <param name="queuePoll">
    /// How often an idle worker looks at its queues. A NOTIFY wakes it at once when a job arrives; the poll only catches
    /// the moment between two fetches when a notification can slip by, so it bounds the worst dispatch delay.
    /// </param>
    public static JobStorage CreateStorage(string connectionString, TimeSpan? abandonedAfter = null, TimeSpan? queuePoll = null)
    {
        var options = CreateStorageOptions(abandonedAfter ?? DefaultAbandonedAfter, queuePoll ?? DefaultQueuePoll);
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    public static readonly TimeSpan DefaultAbandonedAfter = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan DefaultQueuePoll = TimeSpan.FromMilliseconds(150);

    /// <summary>The storage options, exposed so tests and the dashboard build the same storage.</summary>
    public static PostgreSqlStorageOptions CreateStorageOptions(TimeSpan abandonedAfter, TimeSpan queuePoll) => new()
    {
        SchemaName = Schema,
        PrepareSchemaIfNecessary = true,
        // LISTEN/NOTIFY wakes an idle worker as soon as a job is enqueued; polling is only the fallback.
        EnableLongPolling = true,
        QueuePollInterval = queuePoll,
        // A running job stays invisible to other workers while its worker's heartbeat keeps renewing the fetch;
        // once the heartbeats stop for this long, the job is fetched again.
        InvisibilityTimeout = abandonedAfter,
        UseSlidingInvisibilityTimeout = true,
        DistributedLockTimeout = TimeSpan.FromMinutes(1),
    };
}
