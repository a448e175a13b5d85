using Heurist.Inference.Worker.Mining;
using Heurist.Portal.Data.Miners;
using Heurist.Protocol.Miners;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heurist.Inference.Worker.Tests.Mining;

[Integration]
public sealed class MinerRegistryTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Registration_records_the_device_queues_and_reward_address()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("register");
        using var host = TestWorkerHost.Build(database, new Dictionary<string, string?> { ["Worker:Queues:0"] = "default", ["Worker:Queues:1"] = "sd15" });
        var registry = host.Services.GetRequiredService<MinerRegistry>();

        await registry.RegisterAsync(ct);

        await using var db = PostgresFixture.CreateContext(database);
        var miner = await db.Miners.SingleAsync(m => m.Id == registry.MinerId, ct);
        Assert.Equal(TestWorkerHost.RewardAddress, miner.RewardAddress);
        Assert.Equal(["default", "sd15"], miner.Queues);
        Assert.Equal(Environment.MachineName, miner.HostName);
        Assert.Equal(registry.InstanceId, miner.InstanceId);
        Assert.False(string.IsNullOrWhiteSpace(miner.DeviceName));
        Assert.True(miner.MemoryBytes > 0);
        Assert.Null(miner.StoppedAt);
        // The CPU package of ONNX Runtime, on this machine: the CPU, and why.
        Assert.Equal("CPUExecutionProvider", miner.ExecutionProvider);
        Assert.StartsWith("this build of ONNX Runtime has no CUDA provider", miner.ExecutionProviderReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_heartbeat_reports_the_execution_provider_and_its_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("heartbeatprovider");
        using var host = TestWorkerHost.Build(database, new Dictionary<string, string?> { ["Worker:Device"] = "cpu" });
        var registry = host.Services.GetRequiredService<MinerRegistry>();
        await registry.RegisterAsync(ct);
        await using (var db = PostgresFixture.CreateContext(database))
        {
            await db.Miners.ExecuteUpdateAsync(set => set.SetProperty(m => m.ExecutionProvider, "").SetProperty(m => m.ExecutionProviderReason, ""), ct);
        }

        await registry.HeartbeatAsync(ct);

        await using (var db = PostgresFixture.CreateContext(database))
        {
            var miner = await db.Miners.SingleAsync(m => m.Id == registry.MinerId, ct);
            Assert.Equal(("CPUExecutionProvider", "Worker:Device is cpu"), (miner.ExecutionProvider, miner.ExecutionProviderReason));
        }
    }

    [Fact]
    public async Task A_heartbeat_moves_the_last_seen_time_forward()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("heartbeat");
        using var host = TestWorkerHost.Build(database);
        var registry = host.Services.GetRequiredService<MinerRegistry>();
        await registry.RegisterAsync(ct);
        var registered = await LastHeartbeatAsync(database, registry.MinerId, ct);

        await Task.Delay(20, ct);
        await registry.HeartbeatAsync(ct);

        Assert.True(await LastHeartbeatAsync(database, registry.MinerId, ct) > registered);
    }

    [Fact]
    public async Task A_heartbeat_after_the_row_vanished_registers_the_miner_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("reregister");
        using var host = TestWorkerHost.Build(database);
        var registry = host.Services.GetRequiredService<MinerRegistry>();
        await registry.RegisterAsync(ct);
        await using (var db = PostgresFixture.CreateContext(database))
        {
            await db.Miners.ExecuteDeleteAsync(ct);
        }

        await registry.HeartbeatAsync(ct);

        await using var check = PostgresFixture.CreateContext(database);
        Assert.Equal(registry.InstanceId, (await check.Miners.SingleAsync(ct)).InstanceId);
    }

    [Fact]
    public async Task A_clean_stop_takes_the_miner_offline_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("stop");
        using var host = TestWorkerHost.Build(database);
        var registry = host.Services.GetRequiredService<MinerRegistry>();
        await registry.RegisterAsync(ct);

        await registry.MarkStoppedAsync(ct);

        await using var db = PostgresFixture.CreateContext(database);
        var miner = await db.Miners.SingleAsync(ct);
        Assert.NotNull(miner.StoppedAt);
        Assert.False(MinerPresence.IsOnline(miner.LastHeartbeatAt, miner.StoppedAt, DateTimeOffset.UtcNow, MinerPresence.DefaultOnlineWindow));
    }

    [Fact]
    public async Task An_id_online_on_another_machine_is_refused_but_a_stale_one_is_taken_over()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("clash");
        using var host = TestWorkerHost.Build(database, new Dictionary<string, string?> { ["Worker:MinerId"] = "shared-id" });
        var registry = host.Services.GetRequiredService<MinerRegistry>();
        await using (var db = PostgresFixture.CreateContext(database))
        {
            db.Miners.Add(OtherMachinesMiner("shared-id", lastHeartbeat: DateTimeOffset.UtcNow));
            await db.SaveChangesAsync(ct);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => registry.EnsureIdIsFreeAsync(ct));
        Assert.Contains("already online on host other-machine", error.Message, StringComparison.Ordinal);

        await using (var db = PostgresFixture.CreateContext(database))
        {
            await db.Miners.ExecuteUpdateAsync(set => set.SetProperty(m => m.LastHeartbeatAt, DateTimeOffset.UtcNow.AddMinutes(-10)), ct);
        }
        await registry.EnsureIdIsFreeAsync(ct);
    }

    private static Miner OtherMachinesMiner(string id, DateTimeOffset lastHeartbeat) => new()
    {
        Id = id,
        RewardAddress = TestWorkerHost.RewardAddress,
        DeviceName = "RTX 4090",
        DeviceKind = DeviceKind.Cuda,
        MemoryBytes = 24L << 30,
        Queues = ["default"],
        HostName = "other-machine",
        WorkerVersion = "1.0.0",
        InstanceId = Guid.NewGuid(),
        RegisteredAt = lastHeartbeat,
        StartedAt = lastHeartbeat,
        LastHeartbeatAt = lastHeartbeat,
    };

    private static async Task<DateTimeOffset> LastHeartbeatAsync(string database, string minerId, CancellationToken ct)
    {
        await using var db = PostgresFixture.CreateContext(database);
        return (await db.Miners.AsNoTracking().SingleAsync(m => m.Id == minerId, ct)).LastHeartbeatAt;
    }
}
