using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Heurist.Portal.Client.Features.Governance;

/// <summary>
/// /governance/{id}: a proposal with its body, the viewer's vote, the results and the voters. Its author can cancel it
/// while it is pending or active.
/// </summary>
public sealed partial class ProposalPage : IDisposable
{
    /// <summary>How often an active proposal's results are read again.</summary>
    internal static readonly TimeSpan ResultsInterval = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _disposed = new();
    private ProposalView? _proposal;
    private bool _notFound;
    private string? _error;
    private string? _loadedId;
    private int _revision;
    private DateTimeOffset _now;
    private DateTimeOffset _lastLoad;
    private bool _cancelling;
    private HubSubmissionStage _cancelStage;
    private (Severity Severity, string Text)? _cancelMessage;

    [Parameter]
    public string Id { get; set; } = "";

    [Inject]
    private IGovernanceClient Governance { get; set; } = default!;

    [Inject]
    private WalletService Wallet { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    /// <summary>Only the author sees Cancel, and only while the proposal can still take votes.</summary>
    private bool CanCancel => _proposal?.Summary is { State: ProposalState.Pending or ProposalState.Active } summary
        && string.Equals(Wallet.SignedInAddress, summary.Author, StringComparison.OrdinalIgnoreCase);

    protected override void OnInitialized()
    {
        Wallet.Changed += OnWalletChanged;
        _now = Clock.GetUtcNow();
        if (RendererInfo.IsInteractive)
        {
            _ = PeriodicRefresh.RunAsync(TimeSpan.FromSeconds(1), Clock, TickAsync, _disposed.Token);
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedId != Id)
        {
            _loadedId = Id;
            _proposal = null;
            _notFound = false;
            _cancelMessage = null;
            await LoadAsync();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            await Wallet.InitializeAsync();
        }
    }

    private async Task LoadAsync()
    {
        _error = null;
        _lastLoad = Clock.GetUtcNow();
        try
        {
            var proposal = await Governance.GetProposalAsync(Id, _disposed.Token);
            _notFound = proposal is null;
            _proposal = proposal;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _error = $"Could not load the proposal: {ex.Message}";
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
    }

    // An active proposal's live results are read again now and then, and once more when it opens or closes, for its
    // new state and frozen result. The countdown ticks on its own.
    private Task TickAsync() => InvokeAsync(async () =>
    {
        var before = _now;
        _now = Clock.GetUtcNow();
        if (_proposal?.Summary is { } summary
            && ((summary.State == ProposalState.Pending && summary.Start > before && summary.Start <= _now)
                || (summary.State == ProposalState.Active && ((summary.End >= before && summary.End < _now) || _now - _lastLoad >= ResultsInterval))))
        {
            await LoadAsync();
            _revision++;
            StateHasChanged();
        }
    });

    private async Task VotedAsync(HubReceipt receipt)
    {
        await LoadAsync();
        _revision++;
    }

    private async Task CancelAsync()
    {
        if (_proposal is not { } proposal || _cancelling)
        {
            return;
        }
        _cancelMessage = null;
        if (HubSubmission.Signer(Wallet) is not { } from || !string.Equals(from, proposal.Summary.Author, StringComparison.OrdinalIgnoreCase))
        {
            _cancelMessage = (Severity.Info, $"Connect the wallet of {Formatting.ShortAddress(proposal.Summary.Author)}, the author, to sign the cancellation.");
            return;
        }
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Cancel this proposal?",
            "It will take no more votes, its votes will not count, and a model allocation will steer nothing. This cannot be undone.",
            yesText: "Cancel proposal",
            cancelText: "Keep it");
        if (confirmed != true)
        {
            return;
        }
        _cancelling = true;
        try
        {
            var message = GovernanceMessages.CancelProposal(from, proposal.Space, Clock.GetUtcNow(), proposal.Summary.Id);
            var outcome = await HubSubmission.SignAndSubmitAsync(Wallet, Governance, SnapshotMessageKind.CancelProposal, message, stage =>
            {
                _cancelStage = stage;
                StateHasChanged();
            }, _disposed.Token);
            _cancelMessage = outcome.Result switch
            {
                HubSubmissionResult.Recorded => (Severity.Success, "The proposal is cancelled."),
                HubSubmissionResult.Declined => (Severity.Info, "You declined the signature; the proposal stays open."),
                HubSubmissionResult.Refused => (Severity.Error, $"The hub refused the cancellation: {outcome.Message}"),
                _ => (Severity.Error, outcome.Message ?? "The cancellation failed."),
            };
            if (outcome.Result == HubSubmissionResult.Recorded)
            {
                await LoadAsync();
                _revision++;
            }
        }
        finally
        {
            _cancelling = false;
            _cancelStage = HubSubmissionStage.Ready;
        }
    }

    private void OnWalletChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        Wallet.Changed -= OnWalletChanged;
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
