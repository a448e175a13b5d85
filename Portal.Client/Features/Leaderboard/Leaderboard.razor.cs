using System.Globalization;
using Heurist.Portal.Client.Features.Staking;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Stats;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace Heurist.Portal.Client.Features.Leaderboard;

/// <summary>
/// The leaderboard. Its state (sort, filters, page) lives in the URL: the table reports what it shows there, and a URL
/// the table did not write (a link, a reload, a filter) starts a new table from it.
/// </summary>
public sealed partial class Leaderboard
{
    internal static readonly int[] PageSizes = [10, 25, 50, 100];

    // MudSelect needs a value for "no filter"; no GPU or model id is empty.
    private const string AllValues = "";
    private const string ActiveValue = "active";
    private const string InactiveValue = "inactive";

    private static readonly Dictionary<string, object> TableAttributes = new(StringComparer.Ordinal) { ["aria-label"] = "Leaderboard" };

    private readonly Dictionary<LeaderboardSort, MudTableSortLabel<LeaderboardRow>> _sortLabels = [];
    private LeaderboardQuery _query = new();
    private int _tableGeneration;
    private LeaderboardPage? _page;
    private string? _error;

    [Inject]
    private INetworkStatsClient StatsClient { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    // Read as text and parsed here, so that a hand-edited URL falls back to defaults instead of failing the page.
    [SupplyParameterFromQuery(Name = "sort")]
    public string? SortParameter { get; set; }

    [SupplyParameterFromQuery(Name = "desc")]
    public string? DescendingParameter { get; set; }

    [SupplyParameterFromQuery(Name = "gpu")]
    public string? GpuParameter { get; set; }

    [SupplyParameterFromQuery(Name = "model")]
    public string? ModelParameter { get; set; }

    [SupplyParameterFromQuery(Name = "active")]
    public string? ActiveParameter { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public string? PageParameter { get; set; }

    [SupplyParameterFromQuery(Name = "pageSize")]
    public string? PageSizeParameter { get; set; }

    private bool HasFilters => _query.Gpu is not null || _query.Model is not null || _query.Active is not null;

    private string ActivityValue => _query.Active switch
    {
        true => ActiveValue,
        false => InactiveValue,
        null => AllValues,
    };

    protected override void OnParametersSet()
    {
        var fromUrl = FromUrl();
        if (fromUrl != _query)
        {
            _query = fromUrl;
            _tableGeneration++;
            _sortLabels.Clear();
        }
    }

    private LeaderboardQuery FromUrl()
    {
        var page = int.TryParse(PageParameter, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;
        var pageSize = int.TryParse(PageSizeParameter, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && PageSizes.Contains(size)
            ? size
            : LeaderboardQuery.DefaultPageSize;
        return new LeaderboardQuery(
            ParseSort(SortParameter),
            !bool.TryParse(DescendingParameter, out var descending) || descending,
            NullIfEmpty(GpuParameter),
            NullIfEmpty(ModelParameter),
            bool.TryParse(ActiveParameter, out var active) ? active : null,
            page,
            pageSize);
    }

    private string UrlFor(LeaderboardQuery query)
    {
        var defaults = new LeaderboardQuery();
        var defaultOrder = query.Sort == defaults.Sort && query.Descending == defaults.Descending;
        return Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["sort"] = defaultOrder ? null : LeaderboardQueryRules.SortName(query.Sort),
            ["desc"] = defaultOrder ? null : query.Descending ? "true" : "false",
            ["gpu"] = query.Gpu,
            ["model"] = query.Model,
            ["active"] = query.Active switch { true => "true", false => "false", null => null },
            ["page"] = query.Page == 1 ? null : query.Page.ToString(CultureInfo.InvariantCulture),
            ["pageSize"] = query.PageSize == defaults.PageSize ? null : query.PageSize.ToString(CultureInfo.InvariantCulture),
        });
    }

    private async Task<TableData<LeaderboardRow>> LoadAsync(TableState state, CancellationToken cancellationToken)
    {
        var generation = _tableGeneration;
        var query = _query with
        {
            Sort = ParseSort(state.SortLabel),
            Descending = state.SortDirection != SortDirection.Ascending,
            Page = state.Page + 1,
            PageSize = state.PageSize,
        };
        try
        {
            var page = await StatsClient.GetLeaderboardAsync(query, cancellationToken);
            // A table replaced while it waited must not write its state over the new one's.
            if (generation != _tableGeneration)
            {
                return new TableData<LeaderboardRow> { Items = [], TotalItems = 0 };
            }
            _page = page;
            _error = null;
            if (query != _query)
            {
                _query = query;
                // Replace, so that Back leaves the leaderboard instead of stepping through every sort and page.
                Navigation.NavigateTo(UrlFor(query), replace: true);
            }
            StateHasChanged();
            return new TableData<LeaderboardRow> { Items = page.Rows, TotalItems = page.TotalCount };
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            if (generation == _tableGeneration)
            {
                _error = $"Could not load the leaderboard: {ex.Message}";
                StateHasChanged();
            }
            return new TableData<LeaderboardRow> { Items = [], TotalItems = 0 };
        }
    }

    private async Task StakeAsync(string minerId)
    {
        if (await StakeDialog.ShowAsync(Dialogs, minerId))
        {
            // The stake shows once the next snapshot has it; a new table reads the page again.
            _tableGeneration++;
            _sortLabels.Clear();
        }
    }

    private SortDirection InitialDirection(LeaderboardSort sort) => sort != _query.Sort
        ? SortDirection.None
        : _query.Descending ? SortDirection.Descending : SortDirection.Ascending;

    private string? AriaSort(LeaderboardSort sort) => sort != _query.Sort ? null : _query.Descending ? "descending" : "ascending";

    // MudTableSortLabel is a span that only listens to clicks; this lets the keyboard sort too.
    private Task SortWithKeyAsync(KeyboardEventArgs e, LeaderboardSort sort)
        => e.Key is "Enter" or " " && _sortLabels.TryGetValue(sort, out var label) ? label.ToggleSortDirection() : Task.CompletedTask;

    private void FilterByGpu(string? gpu) => Show(_query with { Gpu = NullIfEmpty(gpu), Page = 1 });

    private void FilterByModel(string? model) => Show(_query with { Model = NullIfEmpty(model), Page = 1 });

    private void FilterByActivity(string? value) => Show(_query with
    {
        Active = value switch
        {
            ActiveValue => true,
            InactiveValue => false,
            _ => null,
        },
        Page = 1,
    });

    private void ClearFilters() => Show(_query with { Gpu = null, Model = null, Active = null, Page = 1 });

    private void FlipDirection() => Show(_query with { Descending = !_query.Descending, Page = 1 });

    // The new URL comes back through OnParametersSet, which starts a table from it.
    private void Show(LeaderboardQuery query)
    {
        if (query != _query)
        {
            Navigation.NavigateTo(UrlFor(query));
        }
    }

    /// <summary>The filter's choices, with the current one kept even when the page no longer lists it.</summary>
    private static IEnumerable<string> Options(IReadOnlyList<string>? known, string? current)
        => current is null || known?.Contains(current) == true ? known ?? [] : [current, .. known ?? []];

    private static LeaderboardSort ParseSort(string? value)
        => LeaderboardQueryRules.TryParseSort(value, out var sort) ? sort : LeaderboardSort.Points;

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
