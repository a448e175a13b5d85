using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Heurist.Protocol.Api.Network;
using Heurist.Protocol.Miners;

namespace Heurist.Portal.Server.Tests.Features.Network;

public sealed class NetworkApiTests(PortalApp portal) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task Workers_lists_miners_with_a_recent_heartbeat_and_hides_stale_and_stopped_ones()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        await portal.AddMinerAsync("api-online", now.AddSeconds(-3));
        await portal.AddMinerAsync("api-stale", now.AddMinutes(-5));
        await portal.AddMinerAsync("api-stopped", now.AddSeconds(-3), stoppedAt: now.AddSeconds(-1));

        var json = await portal.CreateClient().GetStringAsync("/api/network/workers", ct);
        var workers = JsonSerializer.Deserialize<List<OnlineWorker>>(json, JsonSerializerOptions.Web);

        var online = Assert.Single(workers!, w => w.MinerId.StartsWith("api-", StringComparison.Ordinal));
        Assert.Equal("api-online", online.MinerId);
        Assert.Equal(DeviceKind.Cuda, online.DeviceKind);
        // The contract pins the wire format of the device kind.
        Assert.Contains("\"deviceKind\":\"cuda\"", json, StringComparison.Ordinal);
        Assert.Equal("NVIDIA GeForce RTX 4090", online.DeviceName);
        Assert.Equal(24L << 30, online.MemoryBytes);
        Assert.Equal(["default"], online.Queues);
    }

    [Fact]
    public async Task Queues_show_waiting_jobs_and_flag_a_queue_no_worker_serves()
    {
        var ct = TestContext.Current.CancellationToken;
        await portal.AddMinerAsync("queue-server", DateTimeOffset.UtcNow, null, "default", "served-queue");
        var client = portal.CreateClient();
        using (var created = await client.PostAsJsonAsync("/api/network/probes", new StartProbeRequest("orphan-queue"), ct))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var queues = await client.GetFromJsonAsync<List<QueueStatus>>("/api/network/queues", ct);

        var orphan = Assert.Single(queues!, q => q.Name == "orphan-queue");
        Assert.Equal(1, orphan.Waiting);
        Assert.Equal(0, orphan.OnlineWorkers);
        var served = Assert.Single(queues!, q => q.Name == "served-queue");
        Assert.Equal(0, served.Waiting);
        Assert.Equal(1, served.OnlineWorkers);
    }

    [Fact]
    public async Task A_started_probe_can_be_read_back_and_is_not_complete_until_a_worker_runs_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = portal.CreateClient();

        using var created = await client.PostAsJsonAsync("/api/network/probes", new StartProbeRequest("nobody-serves-this"), ct);
        var probe = await created.Content.ReadFromJsonAsync<ProbeStatus>(ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/network/probes/{probe!.Id}", created.Headers.Location!.OriginalString);
        var read = await client.GetFromJsonAsync<ProbeStatus>(created.Headers.Location, ct);
        Assert.Equal("nobody-serves-this", read!.Queue);
        Assert.False(read.IsCompleted);
        Assert.Null(read.MinerId);
    }

    [Theory]
    [InlineData("{\"queue\":\"Bad Queue\"}", "queue", "may contain only lowercase letters")]
    [InlineData("{\"queue\":\"\"}", "queue", "must not be empty")]
    [InlineData("{}", "queue", "must not be empty")]
    public async Task A_bad_probe_request_gets_a_400_naming_the_field(string body, string field, string message)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await PostJsonAsync("/api/network/probes", body, ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var errors = problem.RootElement.GetProperty("errors").GetProperty(field);
        Assert.Contains(message, errors[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_a_400_without_internals()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await PostJsonAsync("/api/network/probes", "{not json", ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(ct);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("The request could not be read.", problem.RootElement.GetProperty("title").GetString());
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_probe_is_a_404_problem_naming_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = Guid.NewGuid();
        using var response = await portal.CreateClient().GetAsync($"/api/network/probes/{id}", ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.Equal($"There is no probe {id}.", problem.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_unknown_api_path_is_a_plain_404_not_the_not_found_page()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await portal.CreateClient().GetAsync("/api/no-such-thing", ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("<html", await response.Content.ReadAsStringAsync(ct), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_home_page_is_prerendered_with_the_online_workers()
    {
        var ct = TestContext.Current.CancellationToken;
        await portal.AddMinerAsync("prerendered-rig", DateTimeOffset.UtcNow);

        var html = await portal.CreateClient().GetStringAsync("/", ct);

        Assert.Contains("Decentralized AI inference, live", html, StringComparison.Ordinal);
        Assert.Contains("prerendered-rig", html, StringComparison.Ordinal);
        Assert.Contains("Heurist Portal", html, StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PostJsonAsync(string path, string json, CancellationToken ct)
        => portal.CreateClient().PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), ct);
}
