using Bunit;
using Heurist.Protocol.Api.Stats;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using StatsPage = Heurist.Portal.Client.Features.Stats.Stats;

namespace Heurist.Portal.Client.Tests.Features.Stats;

public sealed class StatsTests : BunitContext
{
    private readonly InMemoryNetworkStatsClient _stats = new();
    private readonly FakeTimeProvider _clock;

    public StatsTests() => _clock = this.AddTestServices(configure: services => services.AddSingleton<INetworkStatsClient>(_stats)).Clock;

    [Fact]
    public void The_cards_show_the_networks_numbers_written_out()
    {
        var page = Render<StatsPage>();

        Assert.Equal("1,234,567", Value(page, "stat-requests-all-time"));
        Assert.Equal("4,321", Value(page, "stat-requests-24h"));
        Assert.Equal("3", Value(page, "stat-active-gpus"));
        Assert.Equal("12,345.6", Value(page, "stat-waifu-points"));
        Assert.Equal("789.25", Value(page, "stat-llama-points"));
        Assert.Equal("98,765", Value(page, "stat-images-generated"));
        Assert.Equal("432", Value(page, "stat-images-minted"));
        Assert.Equal("1,500.5", Value(page, "stat-staked"));
        Assert.Contains("of 5 miners · heartbeat within 5 minutes", page.Markup, StringComparison.Ordinal);
        Assert.Contains("1,000 HEU · 500.5 esHEU", page.Markup, StringComparison.Ordinal);
        Assert.Equal("Requests, all time: 1,234,567", page.Find("[aria-label^='Requests, all time:']").GetAttribute("aria-label"));
    }

    [Fact]
    public void Recent_jobs_are_listed_with_their_model_a_link_to_their_miner_and_their_latency()
    {
        var page = Render<StatsPage>();

        var rows = page.FindAll("[data-testid='recent-jobs'] [data-testid='recent-job']");
        Assert.Equal(2, rows.Count);
        Assert.Contains("sdxl", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("rig-4090", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("2 min ago", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("3.3 s", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("/miners/rig-4090", rows[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("/miners/cpu-box", rows[1].QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("42 ms", rows[1].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_top_devices_are_listed_most_workers_first_and_at_most_ten()
    {
        _stats.Stats = InMemoryNetworkStatsClient.SampleStats() with
        {
            TopDevices = [.. Enumerable.Range(1, 12).Select(i => new DeviceCount($"GPU model {i:00}", i))],
        };

        var page = Render<StatsPage>();

        var rows = page.FindAll("[data-testid='top-devices'] [data-testid='top-device']");
        Assert.Equal(10, rows.Count);
        Assert.Equal(["GPU model 12", "12"], rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal(["GPU model 03", "3"], rows[9].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.DoesNotContain("GPU model 02", page.Find("[data-testid='top-devices']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_models_share_of_requests_is_listed()
    {
        var page = Render<StatsPage>();

        var rows = page.FindAll("[data-testid='model-shares'] tbody tr");
        Assert.Equal(["sd15", "625", "62.5%"], rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal(["sdxl", "375", "37.5%"], rows[1].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal(
            [ChartType.Line, ChartType.Donut, ChartType.Bar],
            page.FindComponents<MudChart<double>>().Select(chart => chart.Instance.ChartType));
    }

    [Fact]
    public void With_no_request_yet_the_page_points_to_the_studio()
    {
        _stats.Stats = InMemoryNetworkStatsClient.EmptyStats();

        var page = Render<StatsPage>();

        var empty = page.Find("[data-testid='stats-empty']");
        Assert.Contains("No requests yet — open the Studio to make one", empty.TextContent, StringComparison.Ordinal);
        Assert.Equal("/studio", empty.QuerySelector("a")!.GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid='recent-jobs']"));
        Assert.Equal("0", Value(page, "stat-requests-all-time"));
    }

    [Fact]
    public void The_page_refreshes_itself_every_thirty_seconds()
    {
        var page = Render<StatsPage>();
        _stats.Stats = InMemoryNetworkStatsClient.SampleStats() with { RequestsAllTime = 1_234_999 };

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("1,234,567", Value(page, "stat-requests-all-time"));
        _clock.Advance(TimeSpan.FromSeconds(1));

        page.WaitForAssertion(() => Assert.Equal("1,234,999", Value(page, "stat-requests-all-time")));
        Assert.Equal(2, _stats.StatsRequests);
    }

    [Fact]
    public async Task Leaving_the_page_stops_the_refreshes()
    {
        Render<StatsPage>();
        Assert.Equal(1, _stats.StatsRequests);

        await DisposeComponentsAsync();
        _clock.Advance(TimeSpan.FromSeconds(90));

        Assert.Equal(1, _stats.StatsRequests);
    }

    [Fact]
    public void A_failed_load_says_why_and_a_failed_refresh_keeps_the_last_numbers()
    {
        _stats.Failure = new HttpRequestException("connection refused");
        var page = Render<StatsPage>();

        Assert.Contains("Could not load the network stats: connection refused", page.Find(".mud-alert-text-error").TextContent, StringComparison.Ordinal);

        _stats.Failure = null;
        _clock.Advance(TimeSpan.FromSeconds(30));
        page.WaitForAssertion(() => Assert.Equal("1,234,567", Value(page, "stat-requests-all-time")));
        Assert.Empty(page.FindAll(".mud-alert-text-error"));

        _stats.Failure = new HttpRequestException("connection refused");
        _clock.Advance(TimeSpan.FromSeconds(30));
        page.WaitForAssertion(() => Assert.Contains("showing the last known numbers", page.Markup, StringComparison.Ordinal));
        Assert.Equal("1,234,567", Value(page, "stat-requests-all-time"));
    }

    private static string Value(IRenderedComponent<StatsPage> page, string testId) => page.Find($"[data-testid='{testId}']").TextContent.Trim();
}
