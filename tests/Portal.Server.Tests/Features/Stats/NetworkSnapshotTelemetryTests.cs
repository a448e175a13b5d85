using System.Diagnostics;
using Heurist.Portal.Server.Features.Stats;
using Heurist.Testing;

namespace Heurist.Portal.Server.Tests.Features.Stats;

/// <summary>The stats builder's span, build time and miner gauge, as an OpenTelemetry exporter would see them.</summary>
public sealed class NetworkSnapshotTelemetryTests(PostgresFixture postgres, DeployedChainFixture chain) : IAsyncLifetime
{
    private static readonly ActivitySource Test = new("Heurist.Tests.Stats");

    private readonly PortalApp portal = new(postgres, chain);

    public async ValueTask InitializeAsync()
    {
        await portal.InitializeAsync();
        // Only the refresh at start and the ones the test asks for.
        portal.Settings["Portal:StatsRefreshSeconds"] = "3600";
        var now = DateTimeOffset.UtcNow;
        await portal.AddMinerAsync("telemetry-active", now);
        await portal.AddMinerAsync("telemetry-stopped", now.AddDays(-2), stoppedAt: now.AddDays(-2).AddMinutes(1));
    }

    public ValueTask DisposeAsync() => portal.DisposeAsync();

    [Fact]
    public async Task A_refresh_is_one_span_with_its_steps_a_build_time_and_a_gauge_of_the_snapshots_miners()
    {
        using var telemetry = new TelemetryRecorder(portal.Services, NetworkSnapshotService.TelemetryName, Test.Name);

        NetworkSnapshot snapshot;
        ActivityTraceId trace;
        using (var parent = Test.StartActivity("refresh the stats"))
        {
            trace = parent!.TraceId;
            snapshot = await StatsSeed.RefreshAsync(portal);
        }

        // Spans are process-wide; this test's refresh is the one in its own trace.
        var refresh = Assert.Single(telemetry.Activities, a => a.OperationName == "network_snapshot.refresh" && a.TraceId == trace);
        Assert.Equal(snapshot.Version, refresh.GetTagItem(NetworkSnapshotService.VersionTag));
        Assert.Equal(2, refresh.GetTagItem(NetworkSnapshotService.MinersTag));
        Assert.Equal(1, refresh.GetTagItem(NetworkSnapshotService.ActiveMinersTag));
        var steps = telemetry.Activities.Where(a => a.ParentSpanId == refresh.SpanId).Select(a => a.OperationName).ToList();
        Assert.Contains("network_snapshot.build", steps);
        // The windows are refreshed by whichever refresh holds the lock; this one may have found it taken.
        Assert.Equal(refresh.GetTagItem(NetworkSnapshotService.WindowsRefreshedTag) is true, steps.Contains("network_snapshot.refresh_windows"));

        var builds = telemetry.Measurements("heurist.stats.refresh.duration");
        Assert.NotEmpty(builds);
        Assert.All(builds, b => Assert.True(b.Value > 0));

        var miners = telemetry.Measurements("heurist.stats.miners");
        Assert.Equal(1, miners.Last(m => m.Tags[NetworkSnapshotService.ActiveTag] is true).Value);
        Assert.Equal(1, miners.Last(m => m.Tags[NetworkSnapshotService.ActiveTag] is false).Value);
    }
}
