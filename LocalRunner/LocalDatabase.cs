using Heurist.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Heurist.LocalRunner;

/// <summary>The runner's database: the configured one, checked, or the embedded cluster under the data folder; then its migrations.</summary>
internal static class LocalDatabase
{
    /// <summary>Returns the connection string the hosts get. A cluster it starts is added to <paramref name="started"/>.</summary>
    public static async Task<string> StartAsync(LocalSettings settings, StartedParts started, CancellationToken cancellationToken)
    {
        if (settings.ConnectionString is { } configured)
        {
            await VerifyAsync(configured, cancellationToken);
            Console.WriteLine("Database: using ConnectionStrings__Portal.");
            return configured;
        }

        var dataDirectory = Path.Combine(settings.DataDirectory, "postgres");
        var port = FreePort.OrFree(settings.PostgresPort, "127.0.0.1", "Local:PostgresPort", fallBackToFree: false);
        Console.WriteLine($"Database: starting PostgreSQL on 127.0.0.1:{port} (data in {dataDirectory})…");
        try
        {
            var cluster = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory, Port = port }, cancellationToken);
            started.Add("PostgreSQL", cluster);
            return cluster.ConnectionString;
        }
        catch (InvalidOperationException ex)
        {
            throw new LocalSetupException("embedded PostgreSQL (ConnectionStrings:Portal is not set)", ex.Message);
        }
    }

    /// <summary>Applies the migrations that the database lacks, before any host connects, so that hosts never race to migrate.</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var db = PortalDatabase.CreateContext(connectionString);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            Console.WriteLine("Database: migrations are up to date.");
            return;
        }
        await db.Database.MigrateAsync(cancellationToken);
        Console.WriteLine($"Database: applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
    }

    private static async Task VerifyAsync(string connectionString, CancellationToken cancellationToken)
    {
        if (PortalDatabase.ValidateConnectionString(connectionString) is { } error)
        {
            throw new LocalSetupException(PortalDatabaseOptions.SettingName, error);
        }
        try
        {
            await PortalDatabase.VerifyAsync(connectionString, requireSchema: false, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new LocalSetupException(PortalDatabaseOptions.SettingName, ex.Message);
        }
    }
}
