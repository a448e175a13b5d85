using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Heurist.ServiceDefaults.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Live_answers_while_ready_reports_the_failing_check_by_name()
    {
        await using var app = await StartAsync(
            HealthCheckResult.Healthy("fine"),
            HealthCheckResult.Unhealthy("the node at http://x is unreachable"));
        var client = app.GetTestClient();
        var ct = TestContext.Current.CancellationToken;

        using var live = await client.GetAsync("/health/live", ct);
        using var ready = await client.GetAsync("/health/ready", ct);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(ct));
        Assert.Equal("Unhealthy", report.RootElement.GetProperty("status").GetString());
        var chain = report.RootElement.GetProperty("checks").GetProperty("second");
        Assert.Equal("Unhealthy", chain.GetProperty("status").GetString());
        Assert.Equal("the node at http://x is unreachable", chain.GetProperty("description").GetString());
        Assert.Equal("Healthy", report.RootElement.GetProperty("checks").GetProperty("first").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_answers_200_when_every_ready_check_passes()
    {
        await using var app = await StartAsync(HealthCheckResult.Healthy("a"), HealthCheckResult.Degraded("slow"));

        using var ready = await app.GetTestClient().GetAsync("/health/ready", TestContext.Current.CancellationToken);

        // Degraded still serves traffic.
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    private static async Task<WebApplication> StartAsync(HealthCheckResult first, HealthCheckResult second)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks()
            .AddCheck("first", () => first, [ServiceDefaultsExtensions.ReadyTag])
            .AddCheck("second", () => second, [ServiceDefaultsExtensions.ReadyTag])
            .AddCheck("not-for-readiness", () => HealthCheckResult.Unhealthy("ignored"));
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        return app;
    }
}
