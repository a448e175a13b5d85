using Bunit;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Network;
using Heurist.Protocol.Miners;

namespace Heurist.Portal.Client.Tests.Features.Home;

public sealed class HomeTests : BunitContext
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock;
    private readonly InMemoryNetworkClient _network;

    public HomeTests() => (_clock, _network) = this.AddTestServices();

    [Fact]
    public void Online_workers_are_listed_with_device_memory_and_queues()
    {
        _network.Workers.Add(InMemoryNetworkClient.Worker("rig-4090", queues: ["default", "sdxl"]));
        _network.Workers.Add(InMemoryNetworkClient.Worker("cpu-box", deviceKind: DeviceKind.Cpu, device: "AMD EPYC (2 cores)"));

        var home = Render<Heurist.Portal.Client.Features.Home.Home>();

        var rows = home.FindAll("[aria-label='Workers online'] table tbody tr");
        Assert.Equal(2, rows.Count);
        var gpuRow = rows.Single(r => r.TextContent.Contains("rig-4090", StringComparison.Ordinal));
        Assert.Contains("GPU", gpuRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("NVIDIA GeForce RTX 4090", gpuRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("24.0 GiB", gpuRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("sdxl", gpuRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("4 s ago", gpuRow.TextContent, StringComparison.Ordinal);
        Assert.Equal("Workers online: 2", home.Find("[aria-label^='Workers online:']").GetAttribute("aria-label"));
        Assert.Equal("GPUs online: 1", home.Find("[aria-label^='GPUs online:']").GetAttribute("aria-label"));
    }

    [Fact]
    public void A_worker_shows_the_models_it_serves_apart_from_the_ones_it_holds_but_was_not_assigned()
    {
        _network.Workers.Add(InMemoryNetworkClient.Worker("rig-4090", queues: ["default", "sdxl"]) with { Models = ["flux-dev", "sd15", "sdxl"] });

        var home = Render<Heurist.Portal.Client.Features.Home.Home>();

        var row = home.Find("[aria-label='Workers online'] table tbody tr");
        Assert.Equal(["sdxl"], row.QuerySelectorAll("[data-testid='served-model']").Select(c => c.TextContent.Trim()));
        Assert.Equal(["flux-dev · held, idle", "sd15 · held, idle"], row.QuerySelectorAll("[data-testid='idle-model']").Select(c => string.Join(' ', c.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));
        Assert.Equal(["default"], row.QuerySelectorAll("[data-testid='other-queue']").Select(c => c.TextContent.Trim()));
        Assert.Contains("mud-chip-filled", row.QuerySelector("[data-testid='served-model']")!.ClassName, StringComparison.Ordinal);
        Assert.Contains("mud-chip-outlined", row.QuerySelector("[data-testid='idle-model']")!.ClassName, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_with_no_assignment_serves_every_model_it_holds()
    {
        _network.Workers.Add(InMemoryNetworkClient.Worker("rig-4090", queues: ["default", "sd15", "sdxl"]) with { Models = ["sd15", "sdxl"] });

        var home = Render<Heurist.Portal.Client.Features.Home.Home>();

        Assert.Equal(["sd15", "sdxl"], home.FindAll("[data-testid='served-model']").Select(c => c.TextContent.Trim()));
        Assert.Empty(home.FindAll("[data-testid='idle-model']"));
    }

    [Fact]
    public void The_page_refreshes_itself_every_five_seconds()
    {
        var home = Render<Heurist.Portal.Client.Features.Home.Home>();
        Assert.Contains("No worker is online", home.Markup, StringComparison.Ordinal);
        _network.Workers.Add(InMemoryNetworkClient.Worker("late-rig"));

        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.DoesNotContain("late-rig", home.Markup, StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromSeconds(1));

        home.WaitForAssertion(() => Assert.Contains("late-rig", home.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void With_no_worker_online_the_page_says_so()
    {
        var home = Render<Heurist.Portal.Client.Features.Home.Home>();

        Assert.Contains("No worker is online", home.Markup, StringComparison.Ordinal);
        Assert.Empty(home.FindAll("[aria-label='Workers online'] table"));
    }

    [Fact]
    public void A_queue_with_waiting_jobs_and_no_worker_is_flagged()
    {
        _network.Queues.Add(new QueueStatus("default", 2, 1, 1));
        _network.Queues.Add(new QueueStatus("flux-dev", 5, 0, 0));

        var home = Render<Heurist.Portal.Client.Features.Home.Home>();

        var rows = home.FindAll("[aria-label='Queues'] table tbody tr");
        Assert.Equal(["default", "flux-dev"], rows.Select(r => r.QuerySelector("td")!.TextContent));
        Assert.Contains("none", rows[1].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("none", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("Jobs waiting: 7", home.Find("[aria-label^='Jobs waiting:']").GetAttribute("aria-label"));
        Assert.Equal("Jobs running: 1", home.Find("[aria-label^='Jobs running:']").GetAttribute("aria-label"));
    }

    [Fact]
    public void A_test_job_shows_which_miner_ran_it_and_how_soon()
    {
        _network.AnsweringMiner = "rig-4090";
        var home = Render<Heurist.Portal.Client.Features.Home.Home>();

        home.Find("button:contains('Send a test job')").Click();
        Assert.Contains("Waiting for a worker", home.Find("button").TextContent, StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromMilliseconds(200));

        home.WaitForAssertion(() => Assert.Contains(home.FindAll(".mud-alert"),
            alert => alert.TextContent.Contains("Run by rig-4090: picked up 42 ms after it was sent.", StringComparison.Ordinal)));
        Assert.Equal("default", Assert.Single(_network.ProbeRequests).Queue);
    }

    [Fact]
    public void A_test_job_nobody_runs_gives_up_after_thirty_seconds_with_a_hint()
    {
        var home = Render<Heurist.Portal.Client.Features.Home.Home>();

        home.Find("button:contains('Send a test job')").Click();
        for (var i = 0; i < 151; i++)
        {
            _clock.Advance(TimeSpan.FromMilliseconds(200));
        }

        home.WaitForAssertion(() => Assert.Contains("No worker ran the job within 30 s", home.Markup, StringComparison.Ordinal));
        Assert.Contains("Send a test job", home.Find("button:contains('Send a test job')").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_test_job_shows_the_reason()
    {
        _network.ProbeFailure = ApiException.Invalid("The probe request is invalid.", new FieldErrors().Add("queue", "queue 'x' may contain only lowercase letters"));
        var home = Render<Heurist.Portal.Client.Features.Home.Home>();

        home.Find("button:contains('Send a test job')").Click();

        home.WaitForAssertion(() => Assert.Contains("The probe request is invalid. queue 'x' may contain only lowercase letters", home.Markup, StringComparison.Ordinal));
        Assert.False(home.Find("button:contains('Send a test job')").HasAttribute("disabled"));
    }

    [Fact]
    public void When_the_portal_cannot_be_reached_the_page_says_so_instead_of_failing()
    {
        _network.ReadFailure = new HttpRequestException("connection refused");

        var home = Render<Heurist.Portal.Client.Features.Home.Home>();

        Assert.Contains("Could not reach the portal", home.Markup, StringComparison.Ordinal);
    }
}
