using System.Net.Http.Json;
using Heurist.Protocol.Api.Network;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Heurist.Contracts.LocalChain;

namespace Heurist.Portal.Server.Tests.Features.Network;

/// <summary>The portal enqueues through Hangfire on PostgreSQL; a real worker process runs the job; the result lands in the database.</summary>
public sealed class DispatchRoundTripTests(PortalApp portal) : IClassFixture<PortalApp>
{
    private static readonly TimeSpan WorkerTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_probe_sent_through_the_portal_is_run_by_a_worker_process()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = portal.CreateClient();
        const string minerId = "roundtrip-worker";
        await using var worker = StartWorker(minerId, "roundtrip");
        await Readiness.WaitUntilAsync(async () => (await client.GetFromJsonAsync<List<OnlineWorker>>("/api/network/workers", ct))!
            .Any(w => w.MinerId == minerId), [worker], WorkerTimeout, cancellationToken: ct);

        using var created = await client.PostAsJsonAsync("/api/network/probes", new StartProbeRequest("roundtrip"), ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));
        var probe = (await created.Content.ReadFromJsonAsync<ProbeStatus>(ct))!;
        await Readiness.WaitUntilAsync(async () => (await client.GetFromJsonAsync<ProbeStatus>($"/api/network/probes/{probe.Id}", ct))!.IsCompleted, [worker], WorkerTimeout, cancellationToken: ct);

        await using var db = PostgresFixture.CreateContext(portal.ConnectionString);
        var stored = await db.DispatchProbes.AsNoTracking().SingleAsync(p => p.Id == probe.Id, ct);
        Assert.Equal(minerId, stored.MinerId);
        Assert.True(stored.StartedAt >= stored.RequestedAt);
        Assert.True(stored.CompletedAt >= stored.StartedAt);
    }

    [Fact]
    public async Task A_worker_that_stops_cleanly_leaves_the_online_list_at_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = portal.CreateClient();
        const string minerId = "stopping-worker";
        var worker = StartWorker(minerId, "default");
        await Readiness.WaitUntilAsync(async () => (await client.GetFromJsonAsync<List<OnlineWorker>>("/api/network/workers", ct))!
            .Any(w => w.MinerId == minerId), [worker], WorkerTimeout, cancellationToken: ct);

        await worker.DisposeAsync();

        Assert.True(worker.ExitCode == 0, $"The worker exited with code {worker.ExitCode}: {worker.RecentOutput}");
        var online = await client.GetFromJsonAsync<List<OnlineWorker>>("/api/network/workers", ct);
        Assert.DoesNotContain(online!, w => w.MinerId == minerId);
    }

    private ChildProcess StartWorker(string minerId, string queue) => ChildProcess.StartDotnet(
        "worker",
        RepositoryPaths.BuiltAssembly("Inference.Worker"),
        [],
        new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = portal.ConnectionString,
            ["Worker__MinerId"] = minerId,
            ["Worker__RewardAddress"] = AnvilAccounts.Address(1),
            ["Worker__Queues__0"] = queue,
            ["Worker__HeartbeatSeconds"] = "1",
        },
        echo: false);
}
