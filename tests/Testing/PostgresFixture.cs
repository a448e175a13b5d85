using Heurist.Portal.Data;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Heurist.Testing;

/// <summary>
/// One throwaway PostgreSQL cluster per test assembly: initdb into a temporary folder, a free port,
/// stopped and deleted at the end. Tests take a database of their own from it.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private LocalPostgresCluster? _cluster;
    private string? _folder;
    private int _databases;

    public LocalPostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public async ValueTask InitializeAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"heurist-test-pg-{Guid.NewGuid():N}");
        _cluster = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = Path.Combine(_folder, "data"),
            Port = FreePort.Next(),
            Throwaway = true,
        });
    }

    /// <summary>A new, empty database with the portal's migrations applied. Returns its connection string.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string purpose)
    {
        var connectionString = await CreateEmptyDatabaseAsync(purpose);
        await using var db = CreateContext(connectionString);
        await db.Database.MigrateAsync();
        return connectionString;
    }

    /// <summary>A new database with nothing in it.</summary>
    public Task<string> CreateEmptyDatabaseAsync(string purpose)
    {
        var name = $"{new string([.. purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)])}_{Interlocked.Increment(ref _databases)}";
        return Cluster.CreateDatabaseAsync(name);
    }

    public static PortalDbContext CreateContext(string connectionString)
        => new(new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql(connectionString).Options);

    /// <summary>A context factory on one database, for code under test that takes one.</summary>
    public static IDbContextFactory<PortalDbContext> CreateFactory(string connectionString) => new Factory(connectionString);

    private sealed class Factory(string connectionString) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => CreateContext(connectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        if (_folder is not null && Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
