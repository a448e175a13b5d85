using System.Globalization;
using Heurist.Portal.Client.Features.Staking;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Stats;
using Heurist.Portal.Client.Shared;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Heurist.Portal.Client.Features.Miners;

public sealed partial class MinerPage : IDisposable
{
    private static readonly TimeSpan TimelineWindow = TimeSpan.FromDays(7);

    private readonly StackedBarChartOptions _pointsOptions = new() { ShowLegend = true, XAxisLines = false };
    private readonly BarChartOptions _jobsOptions = new() { ShowLegend = false, XAxisLines = false };
    private readonly BarChartOptions _latencyOptions = new() { ShowLegend = false, XAxisLines = false };
    private CancellationTokenSource? _loading;
    private string? _shownMinerId;
    private bool _notFound;
    private string? _error;
    private List<TimelineSegment> _segments = [];
    private List<TimelineTick> _ticks = [];
    private string _timelineSummary = "";
    private string[] _dayLabels = [];
    private List<ChartSeries<double>> _pointsSeries = [];
    private List<ChartSeries<double>> _jobsSeries = [];
    private bool _quietMonth;
    private string[] _latencyLabels = [];
    private List<ChartSeries<double>> _latencySeries = [];
    private List<StakerStake> _stakers = [];
    private List<BribeHistoryEntry> _bribes = [];

    [Parameter]
    public string MinerId { get; set; } = "";

    [Inject]
    private INetworkStatsClient StatsClient { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    // Filled while prerendering and carried to the interactive render, so the page does not load twice.
    [PersistentState]
    public MinerDetails? Miner { get; set; }

    private DateTimeOffset Now => Clock.GetUtcNow();

    protected override async Task OnParametersSetAsync()
    {
        if (_shownMinerId == MinerId)
        {
            return;
        }
        _shownMinerId = MinerId;
        if (Miner is not null && Miner.Summary.MinerId == MinerId)
        {
            Prepare(Miner);
            return;
        }

        if (_loading is not null)
        {
            await _loading.CancelAsync();
            _loading.Dispose();
        }
        _loading = new CancellationTokenSource();
        var cancellationToken = _loading.Token;
        Miner = null;
        _notFound = false;
        _error = null;
        try
        {
            var miner = await StatsClient.GetMinerAsync(MinerId, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            Miner = miner;
            _notFound = miner is null;
            if (miner is not null)
            {
                Prepare(miner);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException or OperationCanceledException)
        {
            _error = $"Could not load this miner: {ex.Message}";
        }
    }

    private void Prepare(MinerDetails miner)
    {
        PrepareTimeline(miner);
        PrepareDays(miner.Days);
        PrepareLatency(miner.Latency);
        _stakers = [.. miner.Stakers.OrderByDescending(s => s.Heu + s.EsHeu).ThenBy(s => s.Staker, StringComparer.Ordinal)];
        _bribes = [.. miner.Bribes.OrderByDescending(b => b.ChangedAt)];
    }

    private void PrepareTimeline(MinerDetails miner)
    {
        var end = miner.AsOf;
        var start = end - TimelineWindow;
        _segments = [];
        foreach (var span in miner.Uptime.OrderBy(s => s.From))
        {
            var from = span.From > start ? span.From : start;
            var to = span.To < end ? span.To : end;
            if (to > from)
            {
                _segments.Add(new TimelineSegment(
                    Position(from - start),
                    Position(to - from),
                    $"{Formatting.Timestamp(span.From)} – {Formatting.Timestamp(span.To)}"));
            }
        }

        _ticks = [];
        var midnight = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        for (; midnight < end; midnight = midnight.AddDays(1))
        {
            _ticks.Add(new TimelineTick(Position(midnight - start), Formatting.Day(DateOnly.FromDateTime(midnight.UtcDateTime))));
        }

        _timelineSummary = $"Uptime over the last 7 days: {Formatting.Percent(miner.Summary.Uptime7d)}, in {_segments.Count} stretch{(_segments.Count == 1 ? "" : "es")} of heartbeats";
    }

    private static string Position(TimeSpan offset)
        => string.Create(CultureInfo.InvariantCulture, $"{offset / TimelineWindow * 100:0.###}%");

    private void PrepareDays(IReadOnlyList<DailyActivity> days)
    {
        // A label every week, counted back from the last day, so the newest bar is always named.
        _dayLabels = [.. days.Select((d, i) => (days.Count - 1 - i) % 7 == 0 ? Formatting.Day(d.Day) : "")];
        _pointsSeries =
        [
            new ChartSeries<double> { Name = "Waifu points", Data = days.Select(d => (double)d.WaifuPoints).ToArray() },
            new ChartSeries<double> { Name = "Llama points", Data = days.Select(d => (double)d.LlamaPoints).ToArray() },
        ];
        _jobsSeries = [new ChartSeries<double> { Name = "Jobs", Data = days.Select(d => (double)d.Jobs).ToArray() }];
        _quietMonth = days.All(d => d.Jobs == 0 && d.WaifuPoints == 0 && d.LlamaPoints == 0);
    }

    private void PrepareLatency(IReadOnlyList<LatencyBucket> buckets)
    {
        var ordered = buckets.OrderBy(b => b.LowerMs).ToList();
        var first = ordered.FindIndex(b => b.Jobs > 0);
        var used = first < 0 ? [] : ordered[first..(ordered.FindLastIndex(b => b.Jobs > 0) + 1)];
        _latencyLabels = [.. used.Select(b => Formatting.LatencyRange(b.LowerMs, b.UpperMs))];
        _latencySeries = [new ChartSeries<double> { Name = "Jobs", Data = used.Select(b => (double)b.Jobs).ToArray() }];
        _latencyOptions.XAxisLabelRotation = used.Count > 6 ? 45 : 0;
    }

    private async Task StakeAsync()
    {
        if (Miner is { } miner && await StakeDialog.ShowAsync(Dialogs, miner.Summary.MinerId, miner))
        {
            await ReloadAfterChangeAsync();
        }
    }

    /// <summary>
    /// After a stake, bribe or registration reached the indexer, waits for the first network snapshot computed after
    /// that moment (they are rebuilt every Portal:StatsRefreshSeconds) and shows it, so the page's numbers include it.
    /// </summary>
    private async Task ReloadAfterChangeAsync()
    {
        var indexedAt = Now;
        var cancellationToken = _loading?.Token ?? CancellationToken.None;
        for (var attempt = 0; attempt < ReloadAttempts && !cancellationToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), Clock, cancellationToken);
                if (await StatsClient.GetMinerAsync(MinerId, cancellationToken) is { } miner && miner.AsOf >= indexedAt)
                {
                    Miner = miner;
                    Prepare(miner);
                    StateHasChanged();
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or ApiException)
            {
                // The next attempt asks again; the numbers shown stay as they were.
            }
        }
    }

    // Snapshots are at most an hour apart (Portal:StatsRefreshSeconds ≤ 3600); past two minutes the next visit shows it.
    private const int ReloadAttempts = 120;

    public void Dispose()
    {
        _loading?.Cancel();
        _loading?.Dispose();
    }

    /// <summary>A stretch of uptime on the timeline, as CSS left and width.</summary>
    private sealed record TimelineSegment(string Left, string Width, string Title);

    /// <summary>A day boundary on the timeline, as CSS left.</summary>
    private sealed record TimelineTick(string Left, string Label);
}
