using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Microsoft.AspNetCore.Components;

namespace Heurist.Portal.Client.Features.Governance;

/// <summary>
/// /governance: the space's proposals by state (active, pending, closed), each with its time left counting down, the
/// leading choice and the turnout.
/// </summary>
public sealed partial class GovernancePage : IDisposable
{
    /// <summary>The tabs, in order; the cancelled are left out of the list.</summary>
    internal static readonly ProposalState[] Tabs = [ProposalState.Active, ProposalState.Pending, ProposalState.Closed];

    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyList<ProposalSummary>? _proposals;
    private string? _error;
    private int _tab;
    private DateTimeOffset _now;

    [Inject]
    private IGovernanceClient Governance { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _now = Clock.GetUtcNow();
        await LoadAsync();
        if (RendererInfo.IsInteractive)
        {
            _ = PeriodicRefresh.RunAsync(TimeSpan.FromSeconds(1), Clock, TickAsync, _disposed.Token);
        }
    }

    private async Task LoadAsync()
    {
        _error = null;
        try
        {
            var proposals = await Governance.ListProposalsAsync(null, _disposed.Token);
            _proposals = [.. proposals.Where(p => p.State != ProposalState.Cancelled)];
            // The first tab with something in it, in the tabs' order.
            var first = Array.FindIndex(Tabs, state => InState(state).Count > 0);
            _tab = Math.Max(0, first);
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _error = $"Could not load the proposals: {ex.Message}";
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
    }

    private List<ProposalSummary> InState(ProposalState state) => [.. (_proposals ?? []).Where(p => p.State == state)];

    // When a proposal opens or closes, the list is read again for its new state; the countdowns tick on their own.
    private Task TickAsync() => InvokeAsync(async () =>
    {
        var before = _now;
        _now = Clock.GetUtcNow();
        if (_proposals?.Any(p => Crossed(p, before, _now)) == true)
        {
            var tab = _tab;
            await LoadAsync();
            _tab = tab;
            StateHasChanged();
        }
    });

    private static bool Crossed(ProposalSummary proposal, DateTimeOffset before, DateTimeOffset now) => proposal.State switch
    {
        ProposalState.Pending => proposal.Start > before && proposal.Start <= now,
        ProposalState.Active => proposal.End >= before && proposal.End < now,
        _ => false,
    };

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
