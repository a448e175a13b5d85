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
    public static JobStorage CreateStorage(string connectionString, TimeSpan? abandonedAfter = null)
    {
        var options = CreateStorageOptions(abandonedAfter ?? DefaultAbandonedAfter);
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    public static readonly TimeSpan DefaultAbandonedAfter = TimeSpan.FromMinutes(5);

    /// <summary>The storage options, exposed so tests and the dashboard build the same storage.</summary>
    public static PostgreSqlStorageOptions CreateStorageOptions(TimeSpan abandonedAfter) => new()
    {
        SchemaName = Schema,
        PrepareSchemaIfNecessary = true,
        // LISTEN/NOTIFY wakes an idle worker as soon as a job is enqueued; polling is only the fallback.
        EnableLongPolling = true,
        QueuePollInterval = TimeSpan.FromSeconds(1),
        // A running job stays invisible to other workers while its worker's heartbeat keeps renewing the fetch;
        // once the heartbeats stop for this long, the job is fetched again.
        InvisibilityTimeout = abandonedAfter,
        UseSlidingInvisibilityTimeout = true,
        DistributedLockTimeout = TimeSpan.FromMinutes(1),
    };
}
