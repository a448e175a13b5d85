using Bunit;
using Heurist.Portal.Client.Tests.Features.Stats;
using Heurist.Protocol.Api.Stats;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;
using LeaderboardPage = Heurist.Portal.Client.Features.Leaderboard.Leaderboard;

namespace Heurist.Portal.Client.Tests.Features.Leaderboard;

public sealed class LeaderboardTests : BunitContext
{
    private const string Rtx3090 = "NVIDIA GeForce RTX 3090";

    private readonly InMemoryNetworkStatsClient _stats = new();
    private readonly IRenderedComponent<MudPopoverProvider> _popovers;

    public LeaderboardTests()
    {
        this.AddTestServices(renderPopoverProvider: false, configure: services => services.AddSingleton<INetworkStatsClient>(_stats));
        // Kept, because an open select lists its options there rather than in the page.
        _popovers = Render<MudPopoverProvider>();
        _stats.Rows.AddRange(
        [
            InMemoryNetworkStatsClient.Row("rig-a", 300, models: ["sd15", "sdxl"], jobs: 10),
            InMemoryNetworkStatsClient.Row("rig-b", 100, device: Rtx3090, active: false, jobs: 50),
            InMemoryNetworkStatsClient.Row("rig-c", 200, device: Rtx3090, models: ["sdxl"], jobs: 30),
            InMemoryNetworkStatsClient.Row("cpu-d", 50, device: "AMD EPYC 7B13", jobs: 5, latencyMs: null),
        ]);
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    [Fact]
    public void The_first_render_asks_for_the_most_points_first_and_shows_the_rows_in_that_order()
    {
        var page = Render<LeaderboardPage>();

        Assert.Equal(new LeaderboardQuery(LeaderboardSort.Points, true, null, null, null, 1, 25), Assert.Single(_stats.Queries));
        Assert.Equal(["rig-a", "rig-c", "rig-b", "cpu-d"], MinerIds(page));
        Assert.Equal(["1", "2", "3", "4"], page.FindAll("[data-testid='leaderboard-row']").Select(cell => cell.TextContent.Trim()));
        Assert.Equal("descending", page.Find("th:has([data-testid='sort-points'])").GetAttribute("aria-sort"));
        // The URL stays plain while the leaderboard shows its default order.
        Assert.Equal("http://localhost/", Navigation.Uri);
    }

    [Fact]
    public void A_rows_gpu_cell_names_the_execution_provider_with_why_in_its_tooltip()
    {
        _stats.Rows.Add(InMemoryNetworkStatsClient.Row("rig-e", 10, provider: "CPUExecutionProvider", providerReason: "libcudnn.so.9 not found"));
        _stats.Rows.Add(InMemoryNetworkStatsClient.Row("rig-f", 5, provider: "CUDAExecutionProvider", providerReason: "CUDA device 1"));

        var page = Render<LeaderboardPage>();

        var cpu = Row(page, "rig-e").QuerySelector("[data-label='GPU'] [data-testid='execution-provider']")!;
        var cuda = Row(page, "rig-f").QuerySelector("[data-label='GPU'] [data-testid='execution-provider']")!;
        Assert.Equal(("CPU", "libcudnn.so.9 not found"), (cpu.TextContent.Trim(), cpu.GetAttribute("title")));
        Assert.Equal(("CUDA", "CUDA device 1"), (cuda.TextContent.Trim(), cuda.GetAttribute("title")));
        Assert.Null(Row(page, "rig-a").QuerySelector("[data-testid='execution-provider']"));
    }

    [Fact]
    public void A_row_shows_the_miners_numbers_and_links_to_its_page()
    {
        var page = Render<LeaderboardPage>();

        var row = Row(page, "rig-a");
        Assert.Equal("/miners/rig-a", row.QuerySelector("a")!.GetAttribute("href"));
        Assert.Equal("rig-a", row.QuerySelector("a")!.TextContent.Trim());
        Assert.Equal("NVIDIA GeForce RTX 4090", Cell(row, "GPU").Replace("GPU", "", StringComparison.Ordinal).Trim());
        Assert.Equal("24.0 GiB", Cell(row, "VRAM"));
        Assert.Equal(["sd15", "sdxl"], row.QuerySelectorAll("[data-label='Models'] .mud-chip").Select(chip => chip.TextContent.Trim()));
        Assert.Equal("97.3%", Cell(row, "Uptime 24 h"));
        Assert.Equal("50%", Cell(row, "Uptime 7 d"));
        Assert.Equal("3.3 s", Cell(row, "Median latency"));
        Assert.Equal("30", Cell(row, "Points 24 h"));
        Assert.Equal("150", Cell(row, "Points 7 d"));
        Assert.Equal("300", Cell(row, "Points"));
        Assert.Contains("1,000 HEU", Cell(row, "Stake"), StringComparison.Ordinal);
        Assert.Contains("500.5 esHEU", Cell(row, "Stake"), StringComparison.Ordinal);
        Assert.Equal("25%", Cell(row, "Stake efficiency"));
        Assert.Equal("2.5%", Cell(row, "Bribe"));
        Assert.Equal("Active", Cell(row, "Status"));
        Assert.Equal("Inactive", Cell(Row(page, "rig-b"), "Status"));
        Assert.Equal("—", Cell(Row(page, "cpu-d"), "Median latency"));
        Assert.Equal("CPU", Row(page, "cpu-d").QuerySelector("[data-label='GPU'] .mud-chip")!.TextContent.Trim());
    }

    [Fact]
    public void On_small_screens_every_cell_carries_its_column_name_for_the_card_layout()
    {
        var page = Render<LeaderboardPage>();

        Assert.Contains("mud-sm-table", page.Find("[data-testid='leaderboard']").ClassList);
        var cells = page.FindAll("tr.leaderboard-row td");
        Assert.Equal(4 * 18, cells.Count);
        Assert.All(cells, cell => Assert.False(string.IsNullOrEmpty(cell.GetAttribute("data-label"))));
        // Headers are hidden in the card layout, so the table offers its sort as a list, and the page a direction button.
        Assert.NotNull(page.Find("[aria-label='Sort by']"));
        Assert.Contains("Highest first", page.Find("button:contains('Highest first')").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clicking_the_points_header_turns_the_order_round_and_keeps_it_in_the_url()
    {
        var page = Render<LeaderboardPage>();

        await page.Find("[data-testid='sort-points']").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(["cpu-d", "rig-b", "rig-c", "rig-a"], MinerIds(page)));
        Assert.Equal(new LeaderboardQuery(LeaderboardSort.Points, false, null, null, null, 1, 25), _stats.Queries[^1]);
        Assert.Equal("http://localhost/?sort=points&desc=false", Navigation.Uri);
        Assert.Equal("ascending", page.Find("th:has([data-testid='sort-points'])").GetAttribute("aria-sort"));

        await page.Find("[data-testid='sort-points']").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(["rig-a", "rig-c", "rig-b", "cpu-d"], MinerIds(page)));
        Assert.Equal("http://localhost/", Navigation.Uri);
    }

    [Fact]
    public async Task Sorting_by_another_column_starts_with_its_best_value()
    {
        var page = Render<LeaderboardPage>();

        await page.Find("[data-testid='sort-jobs']").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(["rig-b", "rig-c", "rig-a", "cpu-d"], MinerIds(page)));
        Assert.Equal(LeaderboardSort.Jobs, _stats.Queries[^1].Sort);
        Assert.True(_stats.Queries[^1].Descending);
        Assert.Equal("http://localhost/?sort=jobs&desc=true", Navigation.Uri);
        Assert.Null(page.Find("th:has([data-testid='sort-points'])").GetAttribute("aria-sort"));

        await page.Find("[data-testid='sort-miner']").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(["cpu-d", "rig-a", "rig-b", "rig-c"], MinerIds(page)));
        Assert.Equal("http://localhost/?sort=miner&desc=false", Navigation.Uri);
    }

    private const string RigABasis = "2,000 HEU per epoch at full efficiency (last 3 settled epochs) × efficiency 0.25 × uptime 50% × bribe 2.5% × 365 epochs a year ÷ stake 1,500.5 = 14.2%";

    private void GiveApr(string minerId, decimal apr, string basis)
    {
        var i = _stats.Rows.FindIndex(r => r.MinerId == minerId);
        _stats.Rows[i] = _stats.Rows[i] with { ExpectedApr = apr, AprBasis = basis, AprHasHistory = true };
    }

    [Fact]
    public void A_miner_with_history_shows_its_expected_apr_and_one_without_says_no_history_each_with_its_formula_in_a_tooltip()
    {
        GiveApr("rig-a", 0.142m, RigABasis);
        var page = Render<LeaderboardPage>();

        Assert.Equal("14.2%", Cell(Row(page, "rig-a"), "Expected APR"));
        var none = Row(page, "rig-b").QuerySelector("[data-testid='apr']")!;
        Assert.Equal("no history", none.TextContent.Trim());
        Assert.Contains("mud-text-secondary", none.ClassList);
        Assert.DoesNotContain("mud-text-secondary", Row(page, "rig-a").QuerySelector("[data-testid='apr']")!.ClassList);

        page.Find("tr:has([data-miner-id='rig-a']) [data-label='Expected APR'] .mud-tooltip-root").PointerEnter();
        _popovers.WaitForAssertion(() => Assert.Equal(RigABasis, _popovers.Find(".mud-popover-open.mud-tooltip").TextContent.Trim()));

        page.Find("tr:has([data-miner-id='rig-b']) [data-label='Expected APR'] .mud-tooltip-root").PointerEnter();
        _popovers.WaitForAssertion(() => Assert.Contains(
            InMemoryNetworkStatsClient.NoHistory, _popovers.FindAll(".mud-popover-open.mud-tooltip").Select(t => t.TextContent.Trim())));
    }

    [Fact]
    public async Task Sorting_by_expected_apr_asks_the_portal_for_it_highest_first_with_the_misses_last_both_ways()
    {
        GiveApr("rig-a", 0.1m, RigABasis);
        GiveApr("rig-c", 0.3m, "rig-c's formula");
        var page = Render<LeaderboardPage>();

        await page.Find("[data-testid='sort-apr']").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(["rig-c", "rig-a", "cpu-d", "rig-b"], MinerIds(page)));
        Assert.Equal((LeaderboardSort.Apr, true), (_stats.Queries[^1].Sort, _stats.Queries[^1].Descending));
        Assert.Equal("http://localhost/?sort=apr&desc=true", Navigation.Uri);

        await page.Find("[data-testid='sort-apr']").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(["rig-a", "rig-c", "cpu-d", "rig-b"], MinerIds(page)));
        Assert.Equal("http://localhost/?sort=apr&desc=false", Navigation.Uri);
    }

    [Fact]
    public void The_keyboard_can_sort_too()
    {
        var page = Render<LeaderboardPage>();
        Assert.Equal("0", page.Find("[data-testid='sort-jobs']").GetAttribute("tabindex"));

        page.Find("[data-testid='sort-jobs']").KeyDown(new KeyboardEventArgs { Key = "Enter" });

        page.WaitForAssertion(() => Assert.Equal(["rig-b", "rig-c", "rig-a", "cpu-d"], MinerIds(page)));
    }

    [Fact]
    public async Task Choosing_a_gpu_asks_for_it_from_page_one_and_shows_only_its_miners()
    {
        AddMiners(30);
        Navigation.NavigateTo("/leaderboard?page=2&pageSize=10");
        var page = Render<LeaderboardPage>();
        Assert.Equal(2, _stats.Queries[^1].Page);

        await page.InvokeAsync(() => Select(page, "GPU").Instance.SelectOption(Rtx3090));

        page.WaitForAssertion(() => Assert.Equal(["rig-c", "rig-b"], MinerIds(page)));
        Assert.Equal(new LeaderboardQuery(LeaderboardSort.Points, true, Rtx3090, null, null, 1, 10), _stats.Queries[^1]);
        Assert.Equal("http://localhost/leaderboard?pageSize=10&gpu=NVIDIA%20GeForce%20RTX%203090", Navigation.Uri);
    }

    [Fact]
    public async Task The_filters_offer_the_gpus_and_models_the_portal_lists()
    {
        var page = Render<LeaderboardPage>();

        await page.InvokeAsync(() => Select(page, "Model served").Instance.OpenMenu());

        _popovers.WaitForAssertion(() => Assert.Equal(
            ["All models", "sd15", "sdxl"],
            _popovers.FindAll(".mud-popover-open .mud-list-item").Select(item => item.TextContent.Trim())));
    }

    [Fact]
    public async Task Choosing_a_model_shows_only_the_miners_serving_it()
    {
        var page = Render<LeaderboardPage>();

        await page.InvokeAsync(() => Select(page, "Model served").Instance.SelectOption("sdxl"));

        page.WaitForAssertion(() => Assert.Equal(["rig-a", "rig-c"], MinerIds(page)));
        Assert.Equal("sdxl", _stats.Queries[^1].Model);
    }

    [Fact]
    public async Task Choosing_active_or_inactive_shows_only_those_miners()
    {
        var page = Render<LeaderboardPage>();

        await page.InvokeAsync(() => Select(page, "Status").Instance.SelectOption("active"));

        page.WaitForAssertion(() => Assert.Equal(["rig-a", "rig-c", "cpu-d"], MinerIds(page)));
        Assert.True(_stats.Queries[^1].Active);
        Assert.All(page.FindAll("tr.leaderboard-row [data-label='Status']"), cell => Assert.Equal("Active", cell.TextContent.Trim()));
        Assert.Equal("http://localhost/?active=true", Navigation.Uri);

        await page.InvokeAsync(() => Select(page, "Status").Instance.SelectOption("inactive"));

        page.WaitForAssertion(() => Assert.Equal(["rig-b"], MinerIds(page)));
        Assert.False(_stats.Queries[^1].Active);
    }

    [Fact]
    public async Task Filters_that_match_nobody_say_so_and_clearing_them_brings_every_miner_back()
    {
        Navigation.NavigateTo($"/leaderboard?gpu={Uri.EscapeDataString(Rtx3090)}&model=sd15&active=true&sort=jobs");
        var page = Render<LeaderboardPage>();

        Assert.Equal(new LeaderboardQuery(LeaderboardSort.Jobs, true, Rtx3090, "sd15", true, 1, 25), Assert.Single(_stats.Queries));
        Assert.Empty(MinerIds(page));
        var empty = page.Find("[data-testid='leaderboard-empty']");
        Assert.Contains("No miners match these filters", empty.TextContent, StringComparison.Ordinal);

        await empty.QuerySelector("button")!.ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(["rig-b", "rig-c", "rig-a", "cpu-d"], MinerIds(page)));
        Assert.Equal(new LeaderboardQuery(LeaderboardSort.Jobs, true, null, null, null, 1, 25), _stats.Queries[^1]);
        Assert.Equal("http://localhost/leaderboard?sort=jobs&desc=true", Navigation.Uri);
        Assert.Empty(page.FindAll("[data-testid='leaderboard-empty']"));
    }

    [Fact]
    public void With_no_miner_at_all_the_empty_table_does_not_blame_the_filters()
    {
        _stats.Rows.Clear();

        var page = Render<LeaderboardPage>();

        Assert.Equal("No miner has joined the network yet.", page.Find("[data-testid='leaderboard-empty']").TextContent.Trim());
        Assert.Empty(page.FindAll("button:contains('Clear filters')"));
    }

    [Fact]
    public async Task The_pager_asks_for_the_next_page_and_a_new_page_size_starts_again_from_page_one()
    {
        AddMiners(30);
        var page = Render<LeaderboardPage>();
        Assert.Equal(25, MinerIds(page).Count);

        await page.Find("button[aria-label='Next page']").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(9, MinerIds(page).Count));
        Assert.Equal(new LeaderboardQuery(LeaderboardSort.Points, true, null, null, null, 2, 25), _stats.Queries[^1]);
        Assert.Equal("http://localhost/?page=2", Navigation.Uri);
        Assert.Equal("miner-01", MinerIds(page)[^1]);

        await page.InvokeAsync(() => page.FindComponent<MudTable<LeaderboardRow>>().Instance.SetRowsPerPage(10));

        page.WaitForAssertion(() => Assert.Equal(10, MinerIds(page).Count));
        Assert.Equal(new LeaderboardQuery(LeaderboardSort.Points, true, null, null, null, 1, 10), _stats.Queries[^1]);
        Assert.Equal("http://localhost/?pageSize=10", Navigation.Uri);
        Assert.Equal("rig-a", MinerIds(page)[0]);
    }

    [Fact]
    public void A_url_with_a_sort_and_a_page_opens_the_leaderboard_there()
    {
        AddMiners(12);
        Navigation.NavigateTo("/leaderboard?sort=jobs&desc=false&page=2&pageSize=10");

        var page = Render<LeaderboardPage>();

        Assert.Equal(new LeaderboardQuery(LeaderboardSort.Jobs, false, null, null, null, 2, 10), Assert.Single(_stats.Queries));
        // Sixteen miners by jobs, fewest first (ties by id): the second page holds the six with the most.
        Assert.Equal(["miner-10", "rig-a", "miner-11", "miner-12", "rig-c", "rig-b"], MinerIds(page));
        Assert.Equal("ascending", page.Find("th:has([data-testid='sort-jobs'])").GetAttribute("aria-sort"));
        Assert.Equal("http://localhost/leaderboard?sort=jobs&desc=false&page=2&pageSize=10", Navigation.Uri);
    }

    [Fact]
    public void A_url_out_of_range_falls_back_to_the_defaults()
    {
        Navigation.NavigateTo("/leaderboard?sort=nonsense&desc=maybe&page=-3&pageSize=1000&active=perhaps");

        var page = Render<LeaderboardPage>();

        Assert.Equal(new LeaderboardQuery(), Assert.Single(_stats.Queries));
        Assert.Equal(4, MinerIds(page).Count);
    }

    [Fact]
    public void Going_to_another_leaderboard_url_shows_that_state()
    {
        var page = Render<LeaderboardPage>();

        Navigation.NavigateTo("/leaderboard?sort=miner&desc=false&active=true");

        page.WaitForAssertion(() => Assert.Equal(["cpu-d", "rig-a", "rig-c"], MinerIds(page)));
        Assert.Equal(new LeaderboardQuery(LeaderboardSort.Miner, false, null, null, true, 1, 25), _stats.Queries[^1]);
        Assert.Equal("ascending", page.Find("th:has([data-testid='sort-miner'])").GetAttribute("aria-sort"));
        Assert.Equal("active", Select(page, "Status").Instance.GetState(x => x.Value));
    }

    [Fact]
    public async Task The_direction_button_turns_the_order_round()
    {
        var page = Render<LeaderboardPage>();

        await page.Find("button:contains('Highest first')").ClickAsync(new MouseEventArgs());

        page.WaitForAssertion(() => Assert.Equal(["cpu-d", "rig-b", "rig-c", "rig-a"], MinerIds(page)));
        Assert.Contains("Lowest first", page.Find("button:contains('Lowest first')").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_from_the_portal_is_shown_as_a_message_without_a_stack_trace()
    {
        _stats.Failure = new HttpRequestException("The portal answered 503 Service Unavailable.");

        var page = Render<LeaderboardPage>();

        var alert = page.Find(".mud-alert-text-error").TextContent.Trim();
        Assert.Equal("Could not load the leaderboard: The portal answered 503 Service Unavailable.", alert);
        Assert.Empty(MinerIds(page));
        Assert.Empty(page.FindAll("[data-testid='leaderboard-empty']"));

        _stats.Failure = null;
        Navigation.NavigateTo("/leaderboard?sort=jobs");

        page.WaitForAssertion(() => Assert.Equal(4, MinerIds(page).Count));
        Assert.Empty(page.FindAll(".mud-alert-text-error"));
    }

    private void AddMiners(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            // Below every named miner on points; miner-NN has done NN jobs.
            _stats.Rows.Add(InMemoryNetworkStatsClient.Row($"miner-{i:00}", 10 + i, jobs: i));
        }
    }

    private static List<string?> MinerIds(IRenderedComponent<LeaderboardPage> page)
        => [.. page.FindAll("[data-testid='leaderboard-row']").Select(cell => cell.GetAttribute("data-miner-id"))];

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<LeaderboardPage> page, string minerId)
        => page.Find($"tr:has([data-miner-id='{minerId}'])");

    private static string Cell(AngleSharp.Dom.IElement row, string column) => row.QuerySelector($"[data-label='{column}']")!.TextContent.Trim();

    private static IRenderedComponent<MudSelect<string>> Select(IRenderedComponent<LeaderboardPage> page, string label)
        => page.FindComponents<MudSelect<string>>().Single(select => select.Find("[role='combobox']").GetAttribute("aria-label") == label);
}
