using Bunit;
using Heurist.Portal.Client.Features.Stats;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using StatsPage = Heurist.Portal.Client.Features.Stats.Stats;

namespace Heurist.Portal.Client.Tests.Features.Stats;

public sealed class AllocationPanelTests : BunitContext
{
    private const string ProposalId = "0x1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988";

    private readonly InMemoryAllocationClient _allocation = new();
    private readonly FakeTimeProvider _clock;

    public AllocationPanelTests() => _clock = this.AddTestServices(configure: services =>
    {
        services.AddSingleton<IAllocationClient>(_allocation);
        services.AddSingleton<Heurist.Protocol.Api.Stats.INetworkStatsClient>(new InMemoryNetworkStatsClient());
    }).Clock;

    private static AllocationStatus Voted(DateTimeOffset now) => new(
        0.5,
        ProposalId,
        now.AddSeconds(-5),
        [
            new("sd15", 0.7, 0.5, 0.6, 0.55, 11),
            new("sdxl", 0.2, 0.5, 0.35, 0.45, 9),
            new("flux-dev", 0.1, 0, 0.05, 0, 0),
        ],
        [
            new(now.AddMinutes(-2), "sd15", 0.6, 0.5),
            new(now.AddMinutes(-1), "sd15", 0.6, 0.55),
            new(now.AddMinutes(-2), "sdxl", 0.35, 0.5),
            new(now.AddMinutes(-1), "sdxl", 0.35, 0.45),
        ]);

    private static string[] Cells(AngleSharp.Dom.IElement row) => [.. row.QuerySelectorAll("td").Select(td => td.TextContent.Trim())];

    [Fact]
    public void Each_model_shows_its_voted_demand_target_and_actual_share_and_its_workers()
    {
        _allocation.Status = Voted(TestServices.Now);

        var panel = Render<AllocationPanel>();

        var rows = panel.FindAll("[data-testid='allocation-row']");
        Assert.Equal(["sd15", "70%", "50%", "60%", "55%", "11"], Cells(rows[0]));
        Assert.Equal(["sdxl", "20%", "50%", "35%", "45%", "9"], Cells(rows[1]));
        Assert.Contains("0x1f2e…7988", panel.Find("[data-testid='allocation-vote']").TextContent, StringComparison.Ordinal);
        Assert.Empty(panel.FindAll("[data-testid='allocation-no-vote']"));
        Assert.Contains("Here α is 0.5.", panel.Markup, StringComparison.Ordinal);
        Assert.Contains("Targets computed 5 s ago", panel.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_with_a_target_and_no_worker_serving_it_is_flagged()
    {
        _allocation.Status = Voted(TestServices.Now);

        var panel = Render<AllocationPanel>();

        var flux = panel.FindAll("[data-testid='allocation-row']")[2];
        Assert.Equal("none", flux.QuerySelector(".mud-chip")!.TextContent.Trim());
        Assert.Empty(panel.FindAll("[data-testid='allocation-row']")[0].QuerySelectorAll(".mud-chip"));
    }

    [Fact]
    public void Without_an_allocation_vote_the_panel_says_the_shares_follow_demand()
    {
        _allocation.Status = Voted(TestServices.Now) with { ProposalId = null };

        var panel = Render<AllocationPanel>();

        Assert.Equal("No allocation vote yet; shares follow demand.", panel.Find("[data-testid='allocation-no-vote']").TextContent.Trim());
        Assert.Empty(panel.FindAll("[data-testid='allocation-vote']"));
        Assert.Equal(3, panel.FindAll("[data-testid='allocation-row']").Count);
    }

    [Fact]
    public void Each_model_with_samples_gets_a_chart_of_its_target_line_against_its_actual_area_named_in_the_legend()
    {
        _allocation.Status = Voted(TestServices.Now);

        var panel = Render<AllocationPanel>();

        var charts = panel.FindComponents<MudChart<double>>();
        Assert.Equal(2, charts.Count);
        var sd15 = charts[0].Instance;
        Assert.Equal(ChartType.Line, sd15.ChartType);
        Assert.Equal([AllocationPanel.TargetSeries, AllocationPanel.ActualSeries], sd15.ChartSeries.Select(s => s.Name));
        Assert.Equal([60d, 60d], sd15.ChartSeries[0].Data.Values.Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal([50d, 55d], sd15.ChartSeries[1].Data.Values.Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)));
        var options = Assert.IsType<LineChartOptions>(sd15.ChartOptions);
        Assert.True(options.ShowLegend);
        Assert.Equal([AllocationPanel.TargetColor, AllocationPanel.ActualColor], options.ChartPalette);
        Assert.Equal(LineDisplayType.Line, options.SeriesDisplayOverrides[sd15.ChartSeries[0]].LineDisplayType);
        Assert.Equal(LineDisplayType.Area, options.SeriesDisplayOverrides[sd15.ChartSeries[1]].LineDisplayType);
        Assert.Contains(AllocationPanel.TargetSeries, panel.Markup, StringComparison.Ordinal);
        Assert.Equal(
            "sd15: target 60% and actual 55% at the latest of 2 samples, UTC",
            panel.FindAll("[data-testid='allocation-chart']")[0].GetAttribute("aria-label"));
    }

    [Fact]
    public void Without_samples_in_the_span_the_panel_says_so_instead_of_drawing_empty_charts()
    {
        _allocation.Status = Voted(TestServices.Now) with { History = [] };

        var panel = Render<AllocationPanel>();

        Assert.Empty(panel.FindComponents<MudChart<double>>());
        Assert.Contains("No shares recorded in this span yet", panel.Find("[data-testid='allocation-no-history']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_single_sample_draws_no_line_and_the_panel_says_it_waits_for_a_second()
    {
        var status = Voted(TestServices.Now);
        _allocation.Status = status with { History = [.. status.History.GroupBy(p => p.ModelId).Select(g => g.First())] };

        var panel = Render<AllocationPanel>();

        Assert.Empty(panel.FindComponents<MudChart<double>>());
        Assert.Contains("two samples", panel.Find("[data-testid='allocation-no-history']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void While_the_allocation_loads_a_placeholder_shows_and_then_the_table()
    {
        _allocation.Pending = new TaskCompletionSource<AllocationStatus>();

        var panel = Render<AllocationPanel>();
        Assert.NotEmpty(panel.FindAll("[data-testid='allocation-loading']"));
        Assert.Empty(panel.FindAll("[data-testid='allocation-row']"));

        _allocation.Pending.SetResult(Voted(TestServices.Now));

        panel.WaitForAssertion(() => Assert.Equal(3, panel.FindAll("[data-testid='allocation-row']").Count));
        Assert.Empty(panel.FindAll("[data-testid='allocation-loading']"));
    }

    [Fact]
    public void When_the_allocation_cannot_be_loaded_the_panel_says_why()
    {
        _allocation.Failure = new HttpRequestException("connection refused");

        var panel = Render<AllocationPanel>();

        Assert.Equal("Could not load the model allocation: connection refused", panel.Find("[data-testid='allocation-error']").TextContent.Trim());
        Assert.Empty(panel.FindAll("[data-testid='allocation-row']"));
    }

    [Fact]
    public void A_failed_refresh_keeps_the_last_allocation_and_says_it_is_stale()
    {
        _allocation.Status = Voted(TestServices.Now);
        var panel = Render<AllocationPanel>();
        _allocation.Failure = new ApiException(503, "The portal is restarting.");

        _clock.Advance(AllocationPanel.RefreshInterval);

        panel.WaitForAssertion(() => Assert.Contains("showing the last known allocation", panel.Markup, StringComparison.Ordinal));
        Assert.Equal(3, panel.FindAll("[data-testid='allocation-row']").Count);
    }

    [Fact]
    public void The_panel_refreshes_itself_and_a_new_span_asks_for_that_many_hours()
    {
        var panel = Render<AllocationPanel>();
        Assert.Equal([24], _allocation.Requests);
        _allocation.Status = Voted(TestServices.Now);

        _clock.Advance(AllocationPanel.RefreshInterval);
        panel.WaitForAssertion(() => Assert.Equal("70%", Cells(panel.FindAll("[data-testid='allocation-row']")[0])[1]));

        var select = panel.FindComponent<MudSelect<int>>();
        panel.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(GovernanceRoutes.MaxAllocationHours));

        panel.WaitForAssertion(() => Assert.Equal([24, 24, GovernanceRoutes.MaxAllocationHours], _allocation.Requests));
    }

    [Fact]
    public void The_stats_page_shows_the_model_allocation()
    {
        _allocation.Status = Voted(TestServices.Now) with { ProposalId = null };

        var page = Render<StatsPage>();

        Assert.NotNull(page.Find("[data-testid='model-allocation']"));
        Assert.Contains("No allocation vote yet; shares follow demand.", page.Markup, StringComparison.Ordinal);
    }
}
