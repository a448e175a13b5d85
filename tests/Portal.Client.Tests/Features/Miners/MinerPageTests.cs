using Heurist.Portal.Client.Shared;
using Bunit;
using Heurist.Portal.Client.Features.Miners;
using Heurist.Portal.Client.Tests.Features.Stats;
using Heurist.Protocol.Api.Stats;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Heurist.Portal.Client.Tests.Features.Miners;

public sealed class MinerPageTests : BunitContext
{
    private const string StakerA = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
    private const string StakerB = "0x90F79bf6EB2c4f870365E785982E1f101E93b906";

    private readonly InMemoryNetworkStatsClient _stats = new();

    public MinerPageTests() => this.AddTestServices(configure: services => services.AddSingleton<INetworkStatsClient>(_stats));

    private void AddMiner(MinerDetails details) => _stats.Miners[details.Summary.MinerId] = details;

    private IRenderedComponent<MinerPage> RenderMiner(string minerId)
        => Render<MinerPage>(parameters => parameters.Add(page => page.MinerId, minerId));

    [Fact]
    public void The_miners_identity_device_and_numbers_are_shown()
    {
        AddMiner(InMemoryNetworkStatsClient.Details(InMemoryNetworkStatsClient.Row("rig-4090", 1234.5m, models: ["sd15", "sdxl"]) with { Rank = 3 }));

        var page = RenderMiner("rig-4090");

        Assert.Equal(["rig-4090"], _stats.MinerRequests);
        Assert.Equal("rig-4090", page.Find("[data-testid='miner-id']").TextContent.Trim());
        Assert.Equal("0x7099…79C8", page.Find("[data-testid='reward-address'] .mono").TextContent);
        Assert.Equal("0x9c2d…9c0d", page.Find("[data-testid='chain-id'] .mono").TextContent);
        Assert.Contains("host-rig-4090", page.Markup, StringComparison.Ordinal);
        Assert.Contains("1.4.2", page.Markup, StringComparison.Ordinal);
        Assert.Equal("4 s ago", page.Find("[data-testid='last-heartbeat']").TextContent.Trim());
        Assert.Equal("2026-11-22 11:59 UTC", page.Find("[data-testid='last-heartbeat']").GetAttribute("title"));
        Assert.Equal("Active", page.Find("[data-testid='activity']").TextContent.Trim());
        Assert.Equal("NVIDIA GeForce RTX 4090", page.Find("[data-testid='device']").TextContent.Trim());
        Assert.Contains("24.0 GiB of memory", page.Markup, StringComparison.Ordinal);
        Assert.Equal(["sd15", "sdxl"], page.FindAll("[data-testid='models'] .mud-chip").Select(chip => chip.TextContent.Trim()));
        Assert.Equal("#3", Value(page, "miner-rank"));
        Assert.Equal("1,234.5", Value(page, "miner-points"));
        Assert.Equal("123.45", Value(page, "miner-points-24h"));
        Assert.Equal("100", Value(page, "miner-jobs"));
        Assert.Equal("3.3 s", Value(page, "miner-latency"));
        Assert.Equal("97.3%", Value(page, "miner-uptime-24h"));
        Assert.Equal("500.5", Value(page, "miner-stake-esheu"));
        Assert.Equal("25%", Value(page, "miner-efficiency"));
        Assert.Equal("2.5%", Value(page, "miner-bribe"));
    }

    [Fact]
    public void The_device_card_says_which_execution_provider_the_worker_runs_on_and_why()
    {
        AddMiner(InMemoryNetworkStatsClient.Details(InMemoryNetworkStatsClient.Row("rig-gpu", 10, provider: "CPUExecutionProvider", providerReason: "libcublasLt.so.13 not found")));

        var page = RenderMiner("rig-gpu");

        Assert.Equal("CPU · libcublasLt.so.13 not found", page.Find("[data-testid='execution-provider']").TextContent.Trim());
        Assert.Equal("CPU", ExecutionProviderText.Label("CPUExecutionProvider"));
        Assert.Equal("TensorRT", ExecutionProviderText.Label("TensorrtExecutionProvider"));
        Assert.Equal("Custom", ExecutionProviderText.Label("Custom"));
    }

    [Fact]
    public void The_expected_apr_card_shows_the_rate_with_its_formula_under_it_or_says_no_history()
    {
        const string basis = "2,000 HEU per epoch at full efficiency (last 1 settled epoch) × efficiency 1 × uptime 100% × bribe 50% × 365 epochs a year ÷ stake 100,000 = 365%";
        AddMiner(InMemoryNetworkStatsClient.Details(InMemoryNetworkStatsClient.Row("rig-4090", 10, apr: 3.65m, aprBasis: basis)));
        AddMiner(InMemoryNetworkStatsClient.Details(InMemoryNetworkStatsClient.Row("rig-new", 0)));

        var page = RenderMiner("rig-4090");

        Assert.Equal("365%", Value(page, "miner-apr"));
        Assert.Contains(basis, page.Find("[data-testid='miner-apr']").ParentElement!.TextContent, StringComparison.Ordinal);

        var fresh = RenderMiner("rig-new");

        Assert.Equal("no history", Value(fresh, "miner-apr"));
        Assert.Contains(InMemoryNetworkStatsClient.NoHistory, fresh.Find("[data-testid='miner-apr']").ParentElement!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_copy_button_copies_the_whole_reward_address()
    {
        AddMiner(InMemoryNetworkStatsClient.Details(InMemoryNetworkStatsClient.Row("rig-4090", 10)));
        var page = RenderMiner("rig-4090");

        page.Find("button[aria-label='Copy reward address']").Click();

        var copy = Assert.Single(JSInterop.Invocations, call => call.Identifier == "navigator.clipboard.writeText");
        Assert.Equal(TestServices.RewardAddress, copy.Arguments[0]);
    }

    [Fact]
    public void An_unknown_miner_is_said_to_be_missing_with_a_way_back_to_the_leaderboard()
    {
        var page = RenderMiner("ghost");

        var missing = page.Find("[data-testid='miner-not-found']");
        Assert.Contains("There is no miner named ghost", missing.TextContent, StringComparison.Ordinal);
        Assert.Contains(page.FindAll("a"), link => link.GetAttribute("href") == "/leaderboard" && link.TextContent.Contains("Go to the leaderboard", StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid='miner-id']"));
    }

    [Fact]
    public void Stakers_are_listed_by_their_whole_stake_largest_first()
    {
        AddMiner(InMemoryNetworkStatsClient.Details(
            InMemoryNetworkStatsClient.Row("rig-4090", 10),
            stakers: [new StakerStake(StakerA, 100m, 50m), new StakerStake(StakerB, 20m, 1_000.25m)]));

        var page = RenderMiner("rig-4090");

        var rows = page.FindAll("[data-testid='stakers'] [data-testid='staker']");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["0x90F7…b906", "20", "1,000.25"], Cells(rows[0]));
        Assert.Equal(["0x3C44…93BC", "100", "50"], Cells(rows[1]));
        Assert.Equal(StakerB, rows[0].QuerySelector(".copyable")!.GetAttribute("title"));
    }

    [Fact]
    public void A_miner_nobody_stakes_on_and_with_no_bribe_says_so()
    {
        AddMiner(InMemoryNetworkStatsClient.Details(InMemoryNetworkStatsClient.Row("rig-4090", 10)));

        var page = RenderMiner("rig-4090");

        Assert.Equal("No stake on this miner yet.", page.Find("[data-testid='stakers'] p").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid='staker']"));
        Assert.Equal("This miner has never set a bribe.", page.Find("[data-testid='bribes'] p").TextContent.Trim());
    }

    [Fact]
    public void The_bribe_history_is_listed_newest_first()
    {
        AddMiner(InMemoryNetworkStatsClient.Details(
            InMemoryNetworkStatsClient.Row("rig-4090", 10),
            bribes:
            [
                new BribeHistoryEntry(TestServices.Now.AddDays(-10), 1_200, 500, 4),
                new BribeHistoryEntry(TestServices.Now.AddDays(-2), 1_900, 1_250, 6),
            ]));

        var page = RenderMiner("rig-4090");

        var rows = page.FindAll("[data-testid='bribes'] [data-testid='bribe']");
        Assert.Equal(["2026-11-20 12:00 UTC", "1900", "12.5%", "6"], Cells(rows[0]));
        Assert.Equal(["2026-11-12 12:00 UTC", "1200", "5%", "4"], Cells(rows[1]));
    }

    [Fact]
    public void The_uptime_timeline_draws_one_segment_per_stretch_in_the_last_seven_days()
    {
        var day = new DateTimeOffset(2026, 11, 14, 0, 0, 0, TimeSpan.Zero);
        AddMiner(InMemoryNetworkStatsClient.Details(
            InMemoryNetworkStatsClient.Row("rig-4090", 10),
            uptime:
            [
                new UptimeSpan(day, day.AddHours(6)),
                new UptimeSpan(day.AddDays(1), day.AddDays(2)),
                new UptimeSpan(day.AddDays(4).AddHours(12), day.AddDays(5)),
                new UptimeSpan(day.AddDays(8).AddHours(6), TestServices.Now),
            ]));

        var page = RenderMiner("rig-4090");

        var timeline = page.Find("[data-testid='uptime-timeline']");
        var segments = timeline.QuerySelectorAll("[data-testid='uptime-segment']");
        // The first stretch ended before the window opened (Nov 15, 12:00), and the second is cut at its start.
        Assert.Equal(3, segments.Length);
        Assert.Equal("2026-11-15 00:00 UTC – 2026-11-16 00:00 UTC", segments[0].GetAttribute("title"));
        Assert.Contains("left: min(0%, calc(100% - 2px)); width: 7.143%", segments[0].GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("left: min(42.857%, calc(100% - 2px)); width: 7.143%", segments[1].GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("left: min(96.429%, calc(100% - 2px)); width: 3.571%", segments[2].GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal("2026-11-22 06:00 UTC – 2026-11-22 12:00 UTC", segments[2].GetAttribute("title"));
        Assert.Equal("Uptime over the last 7 days: 50%, in 3 stretches of heartbeats", timeline.GetAttribute("aria-label"));
        Assert.Equal(
            ["Nov 16", "Nov 17", "Nov 18", "Nov 19", "Nov 20", "Nov 21", "Nov 22"],
            page.FindAll("[data-testid='uptime-timeline'] + div span").Select(tick => tick.TextContent));
    }

    [Fact]
    public void A_miner_with_no_heartbeat_in_the_window_has_an_empty_timeline()
    {
        AddMiner(InMemoryNetworkStatsClient.Details(InMemoryNetworkStatsClient.Row("rig-4090", 10)));

        var page = RenderMiner("rig-4090");

        Assert.Empty(page.FindAll("[data-testid='uptime-segment']"));
        Assert.Contains("No heartbeat in the last 7 days.", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_latency_chart_leaves_out_the_empty_buckets_at_either_end()
    {
        AddMiner(InMemoryNetworkStatsClient.Details(
            InMemoryNetworkStatsClient.Row("rig-4090", 10),
            latency:
            [
                new LatencyBucket(0, 100, 0),
                new LatencyBucket(1000, 1189.2, 4),
                new LatencyBucket(1189.2, 1414.2, 0),
                new LatencyBucket(1414.2, 1681.8, 9),
                new LatencyBucket(1681.8, 2000, 0),
                new LatencyBucket(1638400, null, 0),
            ]));

        var page = RenderMiner("rig-4090");

        var latency = page.FindComponents<MudChart<double>>()
            .Single(chart => Equals(chart.Instance.UserAttributes.GetValueOrDefault("aria-label"), "How many jobs took how long, last 7 days"));
        Assert.Equal(["1.0–1.2 s", "1.2–1.4 s", "1.4–1.7 s"], latency.Instance.ChartLabels);
        Assert.Equal([4.0, 0.0, 9.0], latency.Instance.ChartSeries.Single().Data.Values);
    }

    [Fact]
    public void The_daily_charts_show_thirty_days_of_points_and_jobs()
    {
        AddMiner(InMemoryNetworkStatsClient.Details(InMemoryNetworkStatsClient.Row("rig-4090", 10)));

        var page = RenderMiner("rig-4090");

        var points = page.FindComponents<MudChart<double>>().Single(chart => chart.Instance.ChartType == ChartType.StackedBar);
        Assert.Equal(["Waifu points", "Llama points"], points.Instance.ChartSeries.Select(series => series.Name));
        Assert.Equal(30, points.Instance.ChartSeries[0].Data.Values.Count);
        Assert.Equal(3.6, points.Instance.ChartSeries[0].Data.Values[^1]);
        // A label a week, the newest day always named.
        Assert.Equal(["Oct 25", "Nov 1", "Nov 8", "Nov 15", "Nov 22"], points.Instance.ChartLabels.Where(label => label.Length > 0));
    }

    [Fact]
    public void An_error_from_the_portal_is_shown_as_a_message()
    {
        _stats.Failure = new HttpRequestException("The portal answered 503 Service Unavailable.");

        var page = RenderMiner("rig-4090");

        Assert.Equal("Could not load this miner: The portal answered 503 Service Unavailable.", page.Find(".mud-alert-text-error").TextContent.Trim());
    }

    [Fact]
    public void Following_a_link_to_another_miner_loads_that_one()
    {
        AddMiner(InMemoryNetworkStatsClient.Details(InMemoryNetworkStatsClient.Row("rig-4090", 10)));
        AddMiner(InMemoryNetworkStatsClient.Details(InMemoryNetworkStatsClient.Row("cpu-box", 5, device: "AMD EPYC 7B13", active: false)));
        var page = RenderMiner("rig-4090");

        page.Render(parameters => parameters.Add(p => p.MinerId, "cpu-box"));

        page.WaitForAssertion(() => Assert.Equal("cpu-box", page.Find("[data-testid='miner-id']").TextContent.Trim()));
        Assert.Equal("Inactive", page.Find("[data-testid='activity']").TextContent.Trim());
        Assert.Equal(["rig-4090", "cpu-box"], _stats.MinerRequests);
    }

    private static string Value(IRenderedComponent<MinerPage> page, string testId) => page.Find($"[data-testid='{testId}']").TextContent.Trim();

    private static List<string> Cells(AngleSharp.Dom.IElement row) => [.. row.QuerySelectorAll("td").Select(td => td.TextContent.Trim())];
}
