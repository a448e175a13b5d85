using Heurist.Testing;
using Npgsql;

namespace Heurist.Portal.Data.Tests;

public sealed class PortalDatabaseTests(PostgresFixture postgres)
{
    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("", "is not set")]
    [InlineData("this is not a connection string", "is not a valid PostgreSQL connection string")]
    [InlineData("Port=5432;Database=x", "has no Host")]
    public void Unusable_connection_strings_are_refused_naming_the_setting(string? connectionString, string reason)
    {
        var error = PortalDatabase.ValidateConnectionString(connectionString);
        Assert.NotNull(error);
        Assert.StartsWith("ConnectionStrings:Portal", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_connection_string_is_accepted()
        => Assert.Null(PortalDatabase.ValidateConnectionString("Host=127.0.0.1;Port=5432;Username=u;Database=d"));

    [Fact]
    public async Task A_database_nobody_listens_for_is_reported_with_host_and_port()
    {
        var port = FreePort.Next();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PortalDatabase.VerifyAsync(
            $"Host=127.0.0.1;Port={port};Username=heurist;Database=heurist", requireSchema: false, TestContext.Current.CancellationToken));
        Assert.Contains($"cannot connect to PostgreSQL at 127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Integration]
    [Fact]
    public async Task A_database_without_migrations_is_reported_when_the_schema_is_required()
    {
        var empty = await postgres.CreateEmptyDatabaseAsync("nomigrations");
        var ct = TestContext.Current.CancellationToken;

        await PortalDatabase.VerifyAsync(empty, requireSchema: false, ct);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PortalDatabase.VerifyAsync(empty, requireSchema: true, ct));
        Assert.Contains("apply the migrations", error.Message, StringComparison.Ordinal);
    }

    [Integration]
    [Fact]
    public async Task The_migrations_create_snake_case_tables_that_pass_the_schema_check()
    {
        var migrated = await postgres.CreateMigratedDatabaseAsync("migrated");
        var ct = TestContext.Current.CancellationToken;

        await PortalDatabase.VerifyAsync(migrated, requireSchema: true, ct);
        await using var connection = new NpgsqlConnection(migrated);
        await connection.OpenAsync(ct);
        await using var columns = new NpgsqlCommand(
            "SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_name = 'miners'", connection);
        var names = ((string)(await columns.ExecuteScalarAsync(ct))!).Split(',');
        Assert.Contains("last_heartbeat_at", names);
        Assert.Contains("reward_address", names);
        Assert.All(names, name => Assert.Equal(name.ToLowerInvariant(), name));
    }
}
