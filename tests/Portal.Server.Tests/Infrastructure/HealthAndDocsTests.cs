using System.Net;
using System.Text.Json;

namespace Heurist.Portal.Server.Tests.Infrastructure;

public sealed class HealthAndDocsTests(PortalApp portal) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task Ready_is_200_when_postgres_and_the_chain_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await portal.CreateClient().GetAsync("/health/ready", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var checks = report.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("chain-rpc").GetProperty("status").GetString());
        Assert.StartsWith("chain 31337 at block", checks.GetProperty("chain-rpc").GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_network_api()
    {
        var ct = TestContext.Current.CancellationToken;
        using var document = JsonDocument.Parse(await portal.CreateClient().GetStringAsync("/openapi/v1.json", ct));
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/network/workers", out _));
        Assert.True(paths.TryGetProperty("/api/network/queues", out _));
        Assert.True(paths.GetProperty("/api/network/probes").TryGetProperty("post", out _));
    }

    [Fact]
    public async Task The_openapi_document_describes_the_stats_api_and_its_query_parameters()
    {
        var ct = TestContext.Current.CancellationToken;
        using var document = JsonDocument.Parse(await portal.CreateClient().GetStringAsync("/openapi/v1.json", ct));
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.GetProperty("/api/stats").GetProperty("get").TryGetProperty("summary", out _));
        Assert.True(paths.GetProperty("/api/miners/{id}").TryGetProperty("get", out _));
        var leaderboard = paths.GetProperty("/api/leaderboard").GetProperty("get");
        var parameters = leaderboard.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["sort", "desc", "gpu", "model", "active", "page", "pageSize", "q"], parameters);
        Assert.True(leaderboard.GetProperty("responses").TryGetProperty("304", out _));
        Assert.True(paths.GetProperty("/api/staking/accounts/{address}").GetProperty("get").GetProperty("responses").TryGetProperty("400", out _));
        Assert.True(paths.GetProperty("/api/chain/indexed").TryGetProperty("get", out _));
    }

    [Fact]
    public async Task The_job_dashboard_is_closed_to_remote_callers_outside_development()
    {
        // The test server's requests have no loopback address, like a request from another machine.
        using var response = await portal.CreateClient().GetAsync("/hangfire", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_page_shows_the_not_found_page()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await portal.CreateClient().GetAsync("/no/such/page", ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }
}
