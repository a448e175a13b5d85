using System.Net;
using System.Net.Http.Json;
using Hangfire;
using Heurist.Protocol.Api.Network;
using Heurist.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Heurist.Portal.Server.Tests.Infrastructure;

/// <summary>
/// Hangfire keeps its log provider in a static, and each host that configures Hangfire (the portal does when it maps the
/// dashboard) points it at its own logger factory. Hangfire's job client takes its loggers from that static when it is
/// first used. With several portals in this test process, a portal whose first job came after another portal was
/// disposed got that portal's disposed logger factory, and could not create the job. The fixture's portals now share
/// one logger factory that lives as long as the test process.
/// </summary>
public sealed class InProcessPortalsTests(PostgresFixture postgres, DeployedChainFixture chain)
{
    private const string Queue = "in-process-portals";

    [Fact]
    public async Task A_portal_still_enqueues_after_another_in_process_portal_is_disposed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var survivor = new PortalApp(postgres, chain);
        await survivor.InitializeAsync();
        // Starting a portal configures Hangfire; the survivor creates no job yet.
        Assert.NotNull(survivor.Services.GetRequiredService<JobStorage>());

        var other = new PortalApp(postgres, chain);
        await using (other)
        {
            await other.InitializeAsync();
            // Started after the survivor, so Hangfire's static now points at this portal's logging.
            await EnqueueProbeAsync(other, ct);
        }

        await EnqueueProbeAsync(survivor, ct);
        await EnqueueProbeAsync(survivor, ct);
        Assert.Equal(2, survivor.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedCount(Queue));
    }

    private static async Task EnqueueProbeAsync(PortalApp portal, CancellationToken ct)
    {
        using var response = await portal.CreateClient().PostAsJsonAsync("/api/network/probes", new StartProbeRequest(Queue), ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
    }
}
