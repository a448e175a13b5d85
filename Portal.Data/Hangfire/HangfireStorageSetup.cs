using Hangfire;
using Hangfire.PostgreSql;

namespace Heurist.Portal.Data.Hangfire;

/// <summary>The one Hangfire storage configuration that the portal and every worker share.</summary>
public static class HangfireStorageSetup
{
    /// <summary>Hangfire's tables live in their own schema, next to the portal's.</summary>
    public const string Schema = "hangfire";

    /// <summary>Points Hangfire at the portal's PostgreSQL database.</summary>
    public static IGlobalConfiguration UsePortalStorage(this IGlobalConfiguration configuration, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                options => options.UseNpgsqlConnection(connectionString),
                CreateStorageOptions());
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
