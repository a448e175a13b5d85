using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Stats;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Heurist.Portal.Client.Features.Stats;

public sealed partial class Stats : IAsyncDisposable
{
    internal static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);
    private const int TopDeviceCount = 10;

    private readonly CancellationTokenSource _disposed = new();
    private readonly LineChartOptions _hourlyOptions = new() { ShowLegend = false, XAxisLines = false, ShowDataMarkers = false };
    private readonly DonutChartOptions _modelOptions = new() { ShowLegend = true };
    private readonly BarChartOptions _deviceOptions = new() { ShowLegend = false, XAxisLines = false };
    private DateTimeOffset? _lastRefresh;
    private string? _loadError;
    private string? _refreshError;
    private List<ChartSeries<double>> _hourlySeries = [];
    private string[] _hourlyLabels = [];
    private long _requestsLastWeek;
    private long _busiestHour;
    private List<ChartSeries<double>> _modelSeries = [];
    private string[] _modelLabels = [];
    private List<DeviceCount> _topDevices = [];
    private List<ChartSeries<double>> _deviceSeries = [];
    private string[] _deviceLabels = [];

    [Inject]
    private INetworkStatsClient StatsClient { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    // Filled while prerendering and carried to the interactive render, so the page does not load twice.
    [PersistentState]
    public NetworkStats? Snapshot { get; set; }

    private DateTimeOffset Now => Clock.GetUtcNow();

    protected override async Task OnInitializedAsync()
    {
        if (Snapshot is null)
        {
            await RefreshAsync();
        }
        else
        {
            Prepare(Snapshot);
            _lastRefresh = Now;
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

    private async Task RefreshAsync()
    {
        try
        {
            var snapshot = await StatsClient.GetStatsAsync(_disposed.Token);
            Prepare(snapshot);
            Snapshot = snapshot;
            _lastRefresh = Now;
            _loadError = null;
            _refreshError = null;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException || ex is TaskCanceledException && !_disposed.IsCancellationRequested)
        {
            if (Snapshot is null)
            {
                _loadError = $"Could not load the network stats: {ex.Message}";
            }
            else
            {
                _refreshError = "Could not reach the portal; showing the last known numbers.";
            }
        }
    }

    private string? Show(Func<NetworkStats, string> write) => Snapshot is null ? null : write(Snapshot);

    // Chart inputs are built once per snapshot rather than on every render, so the charts redraw only when the numbers change.
    private void Prepare(NetworkStats snapshot)
    {
        _hourlySeries = [new ChartSeries<double>
        {
            Name = "Requests",
            Data = snapshot.RequestsPerHour.Select(h => (double)h.Requests).ToArray(),
            TooltipTitleFormat = "{{Y_VALUE}} requests",
        }];
        // One label a day, at midnight UTC: 168 hourly labels would run into each other.
        _hourlyLabels = [.. snapshot.RequestsPerHour.Select(h => h.Hour.UtcDateTime.Hour == 0 ? Formatting.Day(DateOnly.FromDateTime(h.Hour.UtcDateTime)) : "")];
        _requestsLastWeek = snapshot.RequestsPerHour.Sum(h => h.Requests);
        _busiestHour = snapshot.RequestsPerHour.Count == 0 ? 0 : snapshot.RequestsPerHour.Max(h => h.Requests);

        _modelSeries = [new ChartSeries<double> { Name = "Requests", Data = snapshot.ModelShares.Select(m => (double)m.Requests).ToArray() }];
        _modelLabels = [.. snapshot.ModelShares.Select(m => m.ModelId)];

        _topDevices = [.. snapshot.TopDevices.OrderByDescending(d => d.ActiveWorkers).ThenBy(d => d.DeviceName, StringComparer.Ordinal).Take(TopDeviceCount)];
        _deviceSeries = [new ChartSeries<double> { Name = "Active workers", Data = _topDevices.Select(d => (double)d.ActiveWorkers).ToArray() }];
        _deviceLabels = [.. _topDevices.Select(d => d.DeviceName)];
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        _disposed.Dispose();
    }
}
