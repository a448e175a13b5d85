using Heurist.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Testing;

/// <summary>
/// One throwaway PostgreSQL cluster per test assembly: initdb into a temporary folder, a free port,
/// stopped and deleted at the end. Tests take a database of their own from it. The cluster starts on first use,
/// so the unit tests of an assembly that registers this fixture run without PostgreSQL.
/// </summary>
public sealed class PostgresFixture : IAsyncDisposable
{
    /// <summary>Set by ./test.sh --fast, which runs only unit tests: a test that reaches for PostgreSQL then fails, naming the fix.</summary>
    public const string UnitTestsOnlyVariable = "HEURIST_UNIT_TESTS_ONLY";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"heurist-test-pg-{Guid.NewGuid():N}");
    private readonly Lazy<Task<LocalPostgresCluster>> _cluster;
    private int _databases;

    public PostgresFixture() => _cluster = new(StartAsync);

    /// <summary>The shared cluster, started by the first test that asks.</summary>
    public Task<LocalPostgresCluster> ClusterAsync() => _cluster.Value;

    /// <summary>A new, empty database with the portal's migrations applied. Returns its connection string.</summary>
    public async Task<string> CreateMigratedDatabaseAsync(string purpose)
    {
        var connectionString = await CreateEmptyDatabaseAsync(purpose);
        await using var db = CreateContext(connectionString);
        await db.Database.MigrateAsync();
        return connectionString;
    }

    /// <summary>A new database with nothing in it.</summary>
    public async Task<string> CreateEmptyDatabaseAsync(string purpose)
    {
        var name = $"{new string([.. purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit)])}_{Interlocked.Increment(ref _databases)}";
        return await (await ClusterAsync()).CreateDatabaseAsync(name);
    }

    public static PortalDbContext CreateContext(string connectionString) => PortalDatabase.CreateContext(connectionString);

    /// <summary>A context factory on one database, for code under test that takes one.</summary>
    public static IDbContextFactory<PortalDbContext> CreateFactory(string connectionString) => new Factory(connectionString);

    private sealed class Factory(string connectionString) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => CreateContext(connectionString);
    }

    private Task<LocalPostgresCluster> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(UnitTestsOnlyVariable) == "1")
        {
            throw new InvalidOperationException(
                $"This test needs PostgreSQL, but {UnitTestsOnlyVariable}=1 (./test.sh --fast) runs unit tests only: mark the test [Integration].");
        }
        return LocalPostgresCluster.StartAsync(new LocalPostgresOptions
        {
            DataDirectory = Path.Combine(_folder, "data"),
            Port = FreePort.Next(),
            Throwaway = true,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster.IsValueCreated)
        {
            try
            {
                await (await _cluster.Value).DisposeAsync();
            }
            // A cluster that failed to start has nothing to stop; the tests that asked for it have failed already.
            catch (Exception ex) when (ex is InvalidOperationException or PostgresNotInstalledException)
            {
            }
        }
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
