using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Network;
using Heurist.Protocol.Jobs;
using Microsoft.AspNetCore.Components;

namespace Heurist.Portal.Client.Features.Home;

public sealed partial class Home : IAsyncDisposable
{
    internal static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ProbePollInterval = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource _disposed = new();
    private DateTimeOffset? _lastRefresh;
    private string? _refreshError;
    private bool _probeRunning;
    private ProbeStatus? _probe;
    private string? _probeError;

    [Inject]
    private INetworkClient Network { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    // Filled while prerendering and carried to the interactive render, so the page does not load twice.
    [PersistentState]
    public List<OnlineWorker>? Workers { get; set; }

    [PersistentState]
    public List<QueueStatus>? Queues { get; set; }

    private DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>The models the worker serves now: its queues that are models it holds, in queue order (the primary first).</summary>
    internal static IEnumerable<string> ServedModels(OnlineWorker worker) => worker.Queues.Where(q => worker.Models.Contains(q, StringComparer.Ordinal));

    /// <summary>The models the worker holds but does not serve now: the allocation gave it others.</summary>
    internal static IEnumerable<string> IdleModels(OnlineWorker worker) => worker.Models.Where(m => !worker.Queues.Contains(m, StringComparer.Ordinal));

    /// <summary>Its queues that are not models it holds: the default queue, probes.</summary>
    internal static IEnumerable<string> OtherQueues(OnlineWorker worker) => worker.Queues.Where(q => !worker.Models.Contains(q, StringComparer.Ordinal));

    protected override async Task OnInitializedAsync()
    {
        if (Workers is null || Queues is null)
        {
            await RefreshAsync();
        }
        else
        {
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
            var workers = Network.GetOnlineWorkersAsync(_disposed.Token);
            var queues = Network.GetQueuesAsync(_disposed.Token);
            Workers = [.. await workers];
            Queues = [.. await queues];
            _lastRefresh = Now;
            _refreshError = null;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException or TaskCanceledException && !_disposed.IsCancellationRequested)
        {
            _refreshError = "Could not reach the portal; showing the last known state.";
        }
    }

    private async Task SendProbeAsync()
    {
        _probeRunning = true;
        _probeError = null;
        _probe = null;
        try
        {
            var probe = await Network.StartProbeAsync(new StartProbeRequest(JobQueues.Default), _disposed.Token);
            var deadline = Now + ProbeTimeout;
            while (!probe.IsCompleted && Now < deadline)
            {
                await Task.Delay(ProbePollInterval, Clock, _disposed.Token);
                probe = await Network.GetProbeAsync(probe.Id, _disposed.Token) ?? probe;
            }
            if (probe.IsCompleted)
            {
                _probe = probe;
            }
            else
            {
                _probeError = $"No worker ran the job within {ProbeTimeout.TotalSeconds:0} s. Is a worker serving the '{JobQueues.Default}' queue online?";
            }
        }
        catch (ApiException ex)
        {
            _probeError = ex.Message;
        }
        catch (HttpRequestException)
        {
            _probeError = "Could not reach the portal. Check your connection and try again.";
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        finally
        {
            _probeRunning = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        _disposed.Dispose();
    }
}
