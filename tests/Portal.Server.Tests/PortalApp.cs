using Heurist.Portal.Data.Miners;
using Heurist.Protocol.Miners;
using Heurist.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Heurist.Contracts.LocalChain;

namespace Heurist.Portal.Server.Tests;

/// <summary>
/// The real portal in-process (outside Development, as in production) on a migrated database of its own
/// in the shared PostgreSQL cluster, and the shared anvil node with the contracts deployed.
/// </summary>
public sealed class PortalApp(PostgresFixture postgres, DeployedChainFixture chain) : WebApplicationFactory<PortalOptions>, IAsyncLifetime
{
    /// <summary>
    /// The one logger factory of every portal in this test process. Hangfire keeps its log provider in a static that each
    /// host points at its own logger factory, and its job client takes loggers from it when first used: a portal whose
    /// first job came after another portal had been disposed got that portal's disposed factory. This one outlives them all.
    /// </summary>
    private static readonly ILoggerFactory Logging = LoggerFactory.Create(logging => logging
        .AddSimpleConsole(console => console.SingleLine = true)
        // The levels of the portal's appsettings.json.
        .SetMinimumLevel(LogLevel.Information)
        .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
        .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning)
        .AddFilter("Hangfire", LogLevel.Warning));

    public string ConnectionString { get; private set; } = "";

    /// <summary>More configuration for this portal, set before its first request.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    public async ValueTask InitializeAsync() => ConnectionString = await postgres.CreateMigratedDatabaseAsync("portal");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Portal", ConnectionString);
        builder.UseSetting("Chain:RpcUrl", chain.RpcUrl.ToString());
        builder.UseSetting("Chain:ManifestPath", chain.ManifestPath);
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services => services.AddSingleton(Logging));
    }

    /// <summary>Adds a miner row as a worker's registration would.</summary>
    public async Task<Miner> AddMinerAsync(string id, DateTimeOffset lastHeartbeat, DateTimeOffset? stoppedAt = null, params string[] queues)
    {
        var miner = new Miner
        {
            Id = id,
            RewardAddress = AnvilAccounts.Address(1),
            DeviceName = "NVIDIA GeForce RTX 4090",
            DeviceKind = DeviceKind.Cuda,
            MemoryBytes = 24L << 30,
            Queues = queues.Length == 0 ? ["default"] : [.. queues],
            HostName = "rig-" + id,
            WorkerVersion = "1.0.0",
            InstanceId = Guid.NewGuid(),
            RegisteredAt = lastHeartbeat.AddHours(-1),
            StartedAt = lastHeartbeat.AddMinutes(-5),
            LastHeartbeatAt = lastHeartbeat,
            StoppedAt = stoppedAt,
        };
        await using var db = PostgresFixture.CreateContext(ConnectionString);
        db.Miners.Add(miner);
        await db.SaveChangesAsync();
        return miner;
    }
}
