using Heurist.NetworkGenerator;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Miners;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Miners;
using Heurist.Testing;
using Npgsql;
using Heurist.Contracts.LocalChain;

namespace Heurist.Portal.Data.Tests.NetworkGenerator;

public sealed class GeneratorRefusalTests(PostgresFixture postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("--miners", "abc")]
    [InlineData("--miners", "0")]
    [InlineData("--jobs", "-5")]
    [InlineData("--jobs", "ten")]
    [InlineData("--days", "0")]
    [InlineData("--days", "400")]
    [InlineData("--seed", "1.5")]
    [InlineData("--now", "yesterday")]
    public async Task A_bad_value_is_refused_in_one_line_naming_the_option(string option, string value)
    {
        var (exit, output, error) = await RunAsync("--connection", "Host=127.0.0.1;Database=anything", option, value);

        Assert.Equal(GeneratorCommand.Refused, exit);
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith($"error: {option} ", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--connection")]
    [InlineData("--bogus")]
    [InlineData("--miners")]
    public async Task An_unknown_option_a_missing_value_or_a_missing_connection_is_refused_naming_the_option(string option)
    {
        string[] args = option == "--connection" ? ["--miners", "10"] : ["--connection", "Host=127.0.0.1;Database=anything", option];

        var (exit, output, error) = await RunAsync(args);

        Assert.Equal(GeneratorCommand.Refused, exit);
        Assert.Equal("", output);
        Assert.StartsWith($"error: {option} ", Assert.Single(Lines(error)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db;Database=heurist", false, true)]
    [InlineData("Host=db;Username=heurist", false, true)]
    [InlineData("Host=db;Database=heurist", true, false)]
    [InlineData("Host=db;Database=heurist_load", false, false)]
    [InlineData("Host=db;Username=heurist;Database=load", false, false)]
    public void The_default_database_is_refused_unless_allowed_also_when_only_the_user_names_it(string connectionString, bool allow, bool refused)
        => Assert.Equal(refused, SyntheticNetwork.RefuseDefaultDatabase(connectionString, allow) is not null);

    [Integration]
    [Fact]
    public async Task The_embedded_clusters_database_is_left_alone_unless_the_flag_allows_it()
    {
        // The test cluster is made like run.sh's, so its own database carries the default name.
        var connectionString = (await postgres.ClusterAsync()).ConnectionString;
        Assert.Equal("heurist", new NpgsqlConnectionStringBuilder(connectionString).Database);

        var (exit, _, error) = await RunAsync("--connection", connectionString, "--miners", "3", "--jobs", "200", "--days", "1");
        Assert.Equal(GeneratorCommand.Refused, exit);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("error: --connection: ", line, StringComparison.Ordinal);
        Assert.Contains("--allow-default-database", line, StringComparison.Ordinal);
        Assert.False(await ScalarAsync<bool>(connectionString, "SELECT to_regclass('public.miners') IS NOT NULL"));

        (exit, _, error) = await RunAsync("--connection", connectionString, "--miners", "3", "--jobs", "200", "--days", "1", "--allow-default-database");
        Assert.True(exit == 0, error);
        Assert.Equal(3, await ScalarAsync<long>(connectionString, "SELECT count(*) FROM miners"));
    }

    [Integration]
    [Theory]
    [InlineData("miners")]
    [InlineData("image_jobs")]
    public async Task A_database_that_already_has_miners_or_jobs_is_refused_and_left_as_it_was(string table)
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync("nonempty");
        await using (var db = PostgresFixture.CreateContext(connectionString))
        {
            if (table == "miners")
            {
                db.Miners.Add(new Miner
                {
                    Id = "real-miner",
                    RewardAddress = AnvilAccounts.Address(1).ToLowerInvariant(),
                    DeviceName = "NVIDIA GeForce RTX 4090",
                    DeviceKind = DeviceKind.Cuda,
                    Queues = ["default"],
                    HostName = "real-miner",
                    WorkerVersion = "1.0.0",
                });
            }
            else
            {
                db.ImageJobs.Add(new ImageJob
                {
                    Id = Guid.NewGuid(),
                    CreatorId = "creator-0001",
                    CreatedAt = DateTimeOffset.UtcNow,
                    Prompt = "a real job",
                    NegativePrompt = "",
                    ModelId = "sd15",
                    Scheduler = "euler",
                    State = ImageJobState.Queued,
                });
            }
            await db.SaveChangesAsync(Ct);
        }

        var (exit, output, error) = await RunAsync("--connection", connectionString, "--miners", "3", "--jobs", "200", "--days", "1");

        Assert.Equal(GeneratorCommand.Refused, exit);
        Assert.Equal("", output);
        var line = Assert.Single(Lines(error));
        Assert.StartsWith("error: --connection: ", line, StringComparison.Ordinal);
        Assert.Contains(table, line, StringComparison.Ordinal);
        Assert.Equal(table == "miners" ? 1 : 0, await ScalarAsync<long>(connectionString, "SELECT count(*) FROM miners"));
        Assert.Equal(table == "miners" ? 0 : 1, await ScalarAsync<long>(connectionString, "SELECT count(*) FROM image_jobs"));
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GeneratorCommand.RunAsync(args, output, error, Ct);
        return (exit, output.ToString(), error.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
