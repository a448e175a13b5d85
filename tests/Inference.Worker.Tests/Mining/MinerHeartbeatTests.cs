using Heurist.Inference.Worker.Mining;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Heurist.Inference.Worker.Tests.Mining;

/// <summary>The heartbeat's reply (the portal's assignment) and what it writes back: the queues served and the uptime sessions.</summary>
[Integration]
public sealed class MinerHeartbeatTests(PostgresFixture postgres, TinyModelsFixture tiny)
{
    [Fact]
    public async Task A_heartbeat_returns_the_models_the_portal_assigned_and_asks_for_their_queues()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("beatassigned");
        using (host)
        {
            var registry = host.Services.GetRequiredService<MinerRegistry>();
            var assignment = host.Services.GetRequiredService<QueueAssignment>();
            Assert.Null(await registry.HeartbeatAsync(ct));
            Assert.Equal(["default", "sd15", "sdxl"], assignment.Wanted);

            await AssignAsync(database, registry.MinerId, ["sdxl", "flux-dev"], ct);

            Assert.Equal(["sdxl", "flux-dev"], await registry.HeartbeatAsync(ct));
            Assert.Equal(["default", "sdxl"], assignment.Wanted);
        }
    }

    [Fact]
    public async Task A_heartbeat_writes_the_queues_served_when_it_beats_and_the_next_one_what_followed_the_reply()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("beatqueues");
        using (host)
        {
            var registry = host.Services.GetRequiredService<MinerRegistry>();
            await AssignAsync(database, registry.MinerId, ["sd15"], ct);

            await registry.HeartbeatAsync(ct);
            Assert.Equal(["default", "sd15", "sdxl"], await QueuesAsync(database, registry.MinerId, ct));
            await registry.HeartbeatAsync(ct);

            // The job server is not started here, so the row says what it is about to serve.
            Assert.Equal(["default", "sd15"], await QueuesAsync(database, registry.MinerId, ct));
        }
    }

    [Fact]
    public async Task Registration_keeps_an_assignment_of_models_it_holds_and_clears_one_naming_a_model_it_no_longer_holds()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("registerassigned");
        using (host)
        {
            var registry = host.Services.GetRequiredService<MinerRegistry>();
            await AssignAsync(database, registry.MinerId, ["sdxl"], ct);
            Assert.Equal(["sdxl"], await registry.RegisterAsync(ct));
            Assert.Equal(["default", "sdxl"], await QueuesAsync(database, registry.MinerId, ct));

            await AssignAsync(database, registry.MinerId, ["flux-dev"], ct);

            Assert.Null(await registry.RegisterAsync(ct));
            await using var db = PostgresFixture.CreateContext(database);
            var miner = await db.Miners.AsNoTracking().SingleAsync(ct);
            Assert.Null(miner.AssignedModels);
            Assert.Null(miner.AssignedAt);
            Assert.Equal(["default", "sd15", "sdxl"], miner.Queues);
        }
    }

    [Fact]
    public async Task A_heartbeat_extends_the_uptime_session_and_one_after_a_long_silence_opens_a_new_one()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("beatsessions");
        using (host)
        {
            var registry = host.Services.GetRequiredService<MinerRegistry>();
            await registry.HeartbeatAsync(ct);
            await using (var db = PostgresFixture.CreateContext(database))
            {
                var session = await db.MinerSessions.AsNoTracking().SingleAsync(ct);
                Assert.True(session.LastSeenAt > session.StartedAt);
                // Ten minutes of silence: far beyond the gap a session bridges (30 s at one beat a second).
                await db.Database.ExecuteSqlAsync(
                    $"UPDATE miner_sessions SET started_at = started_at - interval '10 minutes', last_seen_at = last_seen_at - interval '10 minutes'", ct);
            }

            await registry.HeartbeatAsync(ct);

            await using var check = PostgresFixture.CreateContext(database);
            var sessions = await check.MinerSessions.AsNoTracking().OrderBy(s => s.StartedAt).ToListAsync(ct);
            Assert.Equal(2, sessions.Count);
            Assert.Equal(sessions[1].StartedAt, sessions[1].LastSeenAt);
            Assert.Equal((await check.Miners.AsNoTracking().SingleAsync(ct)).LastHeartbeatAt, sessions[1].LastSeenAt);
        }
    }

    [Fact]
    public async Task A_heartbeat_from_a_run_that_lost_its_row_registers_again_and_keeps_the_assignment_of_models_it_holds()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host) = await StartAsync("beatlost");
        using (host)
        {
            var registry = host.Services.GetRequiredService<MinerRegistry>();
            await using (var db = PostgresFixture.CreateContext(database))
            {
                await db.Miners.ExecuteUpdateAsync(set => set.SetProperty(m => m.InstanceId, Guid.NewGuid()).SetProperty(m => m.AssignedModels, ["sd15"]), ct);
            }

            Assert.Equal(["sd15"], await registry.HeartbeatAsync(ct));

            await using var check = PostgresFixture.CreateContext(database);
            Assert.Equal(registry.InstanceId, (await check.Miners.AsNoTracking().SingleAsync(ct)).InstanceId);
        }
    }

    private async Task<(string Database, IHost Host)> StartAsync(string purpose)
    {
        var database = await postgres.CreateMigratedDatabaseAsync(purpose);
        var host = TestWorkerHost.Build(database, new Dictionary<string, string?>
        {
            ["Worker:ModelsPath"] = tiny.Folder,
            ["Worker:Models:0"] = "sd15",
            ["Worker:Models:1"] = "sdxl",
            ["Worker:CpuThreads"] = "2",
        });
        await host.Services.GetRequiredService<MinerRegistry>().RegisterAsync(TestContext.Current.CancellationToken);
        return (database, host);
    }

    private static async Task AssignAsync(string database, string minerId, List<string> models, CancellationToken ct)
    {
        await using var db = PostgresFixture.CreateContext(database);
        await db.Miners.Where(m => m.Id == minerId)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.AssignedModels, models).SetProperty(m => m.AssignedAt, DateTimeOffset.UtcNow), ct);
    }

    private static async Task<List<string>> QueuesAsync(string database, string minerId, CancellationToken ct)
    {
        await using var db = PostgresFixture.CreateContext(database);
        return (await db.Miners.AsNoTracking().SingleAsync(m => m.Id == minerId, ct)).Queues;
    }
}
