using Heurist.NetworkGenerator;
using Heurist.Testing;

namespace Heurist.Portal.Data.Tests.NetworkGenerator;

/// <summary>
/// A small synthetic network generated once through the command line, into a database that starts with nothing in
/// it (not even the migrations), at a fixed time so that the windows can be recounted.
/// </summary>
public sealed class GeneratedNetwork(PostgresFixture postgres) : IAsyncLifetime
{
    public const int Miners = 40;

    public const int Jobs = 20_000;

    public static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 34, 56, 789, TimeSpan.Zero);

    public string ConnectionString { get; private set; } = "";

    public string Output { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await postgres.CreateEmptyDatabaseAsync("generated");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await GeneratorCommand.RunAsync(
            ["--connection", ConnectionString, "--miners", $"{Miners}", "--jobs", $"{Jobs}", "--days", "3", "--seed", "5", "--now", Now.ToString("O")],
            output, error, TestContext.Current.CancellationToken);
        Assert.True(exit == 0, $"The generator failed with exit code {exit}: {error}");
        Output = output.ToString();
    }

    public PortalDbContext Context() => PostgresFixture.CreateContext(ConnectionString);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
