using System.Globalization;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Minting;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Heurist.Portal.Client.Features.Minting;

/// <summary>Operators: the paymaster's EntryPoint deposit, which pays the gas of every sponsored mint, and how fast it goes.</summary>
public sealed partial class PaymasterPage : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private readonly BarChartOptions _dailyOptions = new() { ShowLegend = false, XAxisLines = false };
    private bool _loaded;
    private bool _forbidden;
    private bool _signedOut;
    private string? _error;
    private PaymasterStatus? _status;
    private List<ChartSeries<double>> _dailySeries = [];
    private string[] _dailyLabels = [];
    private int _sponsoredTotal;

    [Inject]
    private INftClient NftClient { get; set; } = default!;

    // Operators only, and read with the visitor's session: loaded once the page is interactive, not while prerendering.
    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive)
        {
            return;
        }
        await LoadAsync();
        StateHasChanged();
    }

    private async Task LoadAsync()
    {
        _error = null;
        try
        {
            _status = await NftClient.GetPaymasterStatusAsync(_disposed.Token);
            Prepare(_status);
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
            return;
        }
        catch (ApiException ex) when (ex.Status == 401)
        {
            _signedOut = true;
        }
        catch (ApiException ex) when (ex.Status == 403)
        {
            _forbidden = true;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _error = $"Could not load the paymaster's status: {ex.Message}";
        }
        _loaded = true;
    }

    private void Prepare(PaymasterStatus status)
    {
        var days = status.SponsoredPerDay.OrderBy(d => d.Day).ToList();
        _dailySeries = [new ChartSeries<double>
        {
            Name = "Sponsored mints",
            Data = days.Select(d => (double)d.Mints).ToArray(),
            TooltipTitleFormat = "{{Y_VALUE}} mints",
        }];
        _dailyLabels = [.. days.Select(d => Formatting.Day(d.Day))];
        _sponsoredTotal = days.Sum(d => d.Mints);
    }

    private static string Eth(double value) => value.ToString("0.####", CultureInfo.InvariantCulture) + " ETH";

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
