using System.Globalization;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Charts;

namespace Heurist.Portal.Client.Features.Stats;

/// <summary>
/// The Stats page's "Model allocation": each model's voted, demand, target and actual share and its workers now, and
/// per model a chart of target against actual share over the chosen span.
/// </summary>
public sealed partial class AllocationPanel : IAsyncDisposable
{
    /// <summary>How often the panel reads the allocation again while it is shown.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>The history spans offered, in hours.</summary>
    private static readonly (int Hours, string Label)[] Spans = [(6, "6 hours"), (24, "24 hours"), (GovernanceRoutes.MaxAllocationHours, "7 days")];

    /// <summary>The colour of the target line; the actual share is a filled area in <see cref="ActualColor"/>, and the legend names both.</summary>
    public const string TargetColor = "#594ae2";

    /// <summary>The colour of the actual share's area.</summary>
    public const string ActualColor = "#00a884";

    /// <summary>The legend's name of the target series.</summary>
    public const string TargetSeries = "Target share";

    /// <summary>The legend's name of the actual series.</summary>
    public const string ActualSeries = "Actual share (workers serving it)";

    private const int LabelCount = 6;

    private readonly CancellationTokenSource _disposed = new();
    private List<ModelChart> _charts = [];
    private string? _loadError;
    private string? _refreshError;

    [Inject]
    private IAllocationClient Allocation { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    // Filled while prerendering and carried to the interactive render, so the panel does not load twice.
    [PersistentState]
    public AllocationStatus? Status { get; set; }

    /// <summary>The span of history shown, in hours; the default until the viewer picks another.</summary>
    [PersistentState]
    public int? ChosenHours { get; set; }

    private int Hours => ChosenHours ?? ModelAllocationHistory.DefaultHours;

    private DateTimeOffset Now => Clock.GetUtcNow();

    protected override async Task OnInitializedAsync()
    {
        if (Status is null)
        {
            await RefreshAsync();
        }
        else
        {
            Prepare(Status);
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            _ = PeriodicRefresh.RunAsync(RefreshInterval, Clock, async () =>
            {
                await RefreshAsync();
                await InvokeAsync(StateHasChanged);
            }, _disposed.Token);
        }
    }

    private async Task ChangeHoursAsync(int hours)
    {
        ChosenHours = hours;
        await RefreshAsync();
    }

    private async Task RefreshAsync()
    {
        try
        {
            var status = await Allocation.GetAllocationAsync(Hours, _disposed.Token);
            Prepare(status);
            Status = status;
            _loadError = null;
            _refreshError = null;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException || ex is TaskCanceledException && !_disposed.IsCancellationRequested)
        {
            if (Status is null)
            {
                _loadError = $"Could not load the model allocation: {ex.Message}";
            }
            else
            {
                _refreshError = "Could not reach the portal; showing the last known allocation.";
            }
        }
    }

    // Chart inputs are built once per answer rather than on every render, so the charts redraw only when the numbers change.
    private void Prepare(AllocationStatus status)
    {
        var span = TimeSpan.FromHours(Hours);
        _charts = [.. status.Models
            .Select(model => (model.ModelId, Points: status.History.Where(p => p.ModelId == model.ModelId).OrderBy(p => p.At).ToList()))
            // A line needs two samples; one alone draws empty axes.
            .Where(m => m.Points.Count > 1)
            .Select(m => ModelChart.Build(m.ModelId, m.Points, span))];
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        _disposed.Dispose();
    }

    /// <summary>One model's chart: target and actual share in percent over time.</summary>
    internal sealed record ModelChart(string ModelId, List<ChartSeries<double>> Series, string[] Labels, LineChartOptions Options, string Description)
    {
        public static ModelChart Build(string modelId, List<AllocationSamplePoint> points, TimeSpan span)
        {
            var target = new ChartSeries<double>
            {
                Name = TargetSeries,
                Data = points.Select(p => Math.Round(p.TargetShare * 100, 1)).ToArray(),
                TooltipTitleFormat = "target {{Y_VALUE}}%",
            };
            var actual = new ChartSeries<double>
            {
                Name = ActualSeries,
                Data = points.Select(p => Math.Round(p.ActualShare * 100, 1)).ToArray(),
                TooltipTitleFormat = "actual {{Y_VALUE}}%",
            };
            var options = new LineChartOptions
            {
                ShowLegend = true,
                ShowDataMarkers = false,
                XAxisLines = false,
                ChartPalette = [TargetColor, ActualColor],
                YAxisSuggestedMax = 100,
                YAxisRequireZeroPoint = true,
                YAxisToStringFunc = v => string.Create(CultureInfo.InvariantCulture, $"{v:0}%"),
                SeriesDisplayOverrides = new Dictionary<IChartSeries, SeriesDisplayOverride>
                {
                    [target] = new() { LineDisplayType = LineDisplayType.Line },
                    [actual] = new() { LineDisplayType = LineDisplayType.Area, FillOpacity = 0.25 },
                },
            };
            // A few labels spread over the span; every point's label would run into the next.
            var every = Math.Max(1, points.Count / LabelCount);
            var format = span > TimeSpan.FromDays(1) ? "MMM d HH:mm" : "HH:mm";
            var labels = points.Select((p, i) => i % every == 0 ? p.At.UtcDateTime.ToString(format, CultureInfo.InvariantCulture) : "").ToArray();
            var last = points[^1];
            var description = $"{modelId}: target {Formatting.Percent(last.TargetShare)} and actual {Formatting.Percent(last.ActualShare)} "
                + $"at the latest of {points.Count} {(points.Count == 1 ? "sample" : "samples")}, UTC";
            return new ModelChart(modelId, [target, actual], labels, options, description);
        }
    }
}
