using Heurist.Testing;
using Npgsql;

namespace Heurist.LocalRunner.Tests;

[Integration]
public sealed class LocalPostgresClusterTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_cluster_keeps_its_data_across_a_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"heurist-pg-restart-{Guid.NewGuid():N}"));
        try
        {
            var options = new LocalPostgresOptions { DataDirectory = Path.Combine(folder.FullName, "data"), Port = FreePort.Next(), Throwaway = true };
            await using (var first = await LocalPostgresCluster.StartAsync(options, ct))
            {
                await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (value int); INSERT INTO kept VALUES (42);", ct);
            }

            // Started again on another port: the same data folder, found initialized, is reused.
            await using var second = await LocalPostgresCluster.StartAsync(options with { Port = FreePort.Next() }, ct);
            await using var connection = new NpgsqlConnection(second.ConnectionString);
            await connection.OpenAsync(ct);
            await using var read = new NpgsqlCommand("SELECT value FROM kept", connection);
            Assert.Equal(42, await read.ExecuteScalarAsync(ct));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_stopped_cluster_refuses_connections()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"heurist-pg-stop-{Guid.NewGuid():N}"));
        try
        {
            var cluster = await LocalPostgresCluster.StartAsync(
                new LocalPostgresOptions { DataDirectory = Path.Combine(folder.FullName, "data"), Port = FreePort.Next(), Throwaway = true }, ct);
            await ExecuteAsync(cluster.ConnectionString, "SELECT 1", ct);

            await cluster.DisposeAsync();

            await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(cluster.ConnectionString, "SELECT 1", ct));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_data_folder_the_postgres_user_cannot_reach_is_explained()
    {
        if (Environment.UserName != "root")
        {
            Assert.Skip("Only root hands the cluster to the postgres OS user.");
        }
        // CreateTempSubdirectory makes a folder only its owner may enter.
        var folder = Directory.CreateTempSubdirectory("heurist-pg-private-");
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalPostgresCluster.StartAsync(
                new LocalPostgresOptions { DataDirectory = Path.Combine(folder.FullName, "data"), Port = FreePort.Next(), Throwaway = true },
                TestContext.Current.CancellationToken));
            Assert.Contains("the postgres OS user cannot reach", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_binaries_are_found_next_to_each_other()
    {
        var bin = LocalPostgresCluster.FindBinDirectory();
        Assert.True(File.Exists(Path.Combine(bin, "initdb")));
        Assert.True(File.Exists(Path.Combine(bin, "pg_ctl")));
        Assert.True(File.Exists(Path.Combine(bin, "postgres")));
    }

    [Fact]
    public async Task Each_database_made_for_a_test_is_separate()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await postgres.CreateEmptyDatabaseAsync("separate");
        var second = await postgres.CreateEmptyDatabaseAsync("separate");
        await ExecuteAsync(first, "CREATE TABLE only_here (id int)", ct);

        await ExecuteAsync(first, "SELECT count(*) FROM only_here", ct);
        await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(second, "SELECT count(*) FROM only_here", ct));
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
