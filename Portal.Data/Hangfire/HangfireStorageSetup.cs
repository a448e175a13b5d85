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
    public static JobStorage CreateStorage(string connectionString)
    {
        var options = CreateStorageOptions();
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    /// <summary>The storage options, exposed so tests and the dashboard build the same storage.</summary>
    public static PostgreSqlStorageOptions CreateStorageOptions() => new()
    {
        SchemaName = Schema,
        PrepareSchemaIfNecessary = true,
        // LISTEN/NOTIFY wakes an idle worker as soon as a job is enqueued; polling is only the fallback.
        EnableLongPolling = true,
        QueuePollInterval = TimeSpan.FromSeconds(1),
        InvisibilityTimeout = TimeSpan.FromMinutes(30),
        DistributedLockTimeout = TimeSpan.FromMinutes(1),
    };
}
