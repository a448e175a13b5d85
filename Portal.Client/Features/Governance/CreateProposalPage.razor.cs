using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using Microsoft.AspNetCore.Components;

namespace Heurist.Portal.Client.Features.Governance;

/// <summary>
/// /governance/new: the form of a new proposal (type, title, Markdown body with a preview, choices, window, snapshot
/// block, discussion link), the proposer's power against the space's threshold, and the signed Proposal message sent
/// to the hub. It opens the new proposal's page; on a refusal or a declined signature everything typed stays.
/// </summary>
public sealed partial class CreateProposalPage : IDisposable
{
    /// <summary>The longest title, as Snapshot's proposal schema allows.</summary>
    public const int MaxTitleLength = 256;

    /// <summary>How long voting runs unless the author says otherwise.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromDays(3);

    internal const string TitleField = "title";
    internal const string BodyField = "body";
    internal const string ChoicesField = "choices";
    internal const string StartField = "start";
    internal const string EndField = "end";
    internal const string SnapshotField = "snapshot";
    internal const string DiscussionField = "discussion";

    private readonly CancellationTokenSource _disposed = new();
    private readonly Dictionary<string, string> _errors = [];
    private GovernanceSpace? _space;
    private string? _spaceError;
    private VotingType _type = VotingType.SingleChoice;
    private bool _allocation;
    private string _title = "";
    private string _body = "";
    private int _bodyTab;
    private string? _previewHtml;
    private string? _previewError;
    private bool _previewing;
    private readonly List<ChoiceEntry> _choices = [new(), new()];
    private DateTime? _startDate;
    private TimeSpan? _startTime;
    private DateTime? _endDate;
    private TimeSpan? _endTime;
    private long? _snapshot;
    private string _discussion = "";
    private VotingPowerView? _power;
    private string? _powerError;
    private (string Address, long Block)? _powerFor;
    private HubSubmissionStage _stage = HubSubmissionStage.Ready;
    private string? _info;
    private string? _error;

    [Inject]
    private IGovernanceClient Governance { get; set; } = default!;

    [Inject]
    private WalletService Wallet { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    /// <summary>A choice being edited; a class, so that its text field keeps its place when choices move.</summary>
    private sealed class ChoiceEntry
    {
        public string Text { get; set; } = "";
    }

    private VotingType Type => _allocation ? VotingType.Weighted : _type;

    private bool Busy => _stage != HubSubmissionStage.Ready;

    /// <summary>The account whose power is shown and who signs: the signed-in one.</summary>
    private string? Proposer => Wallet.SignedInAddress;

    private bool BelowThreshold => _power is { } power && _space is { } space && power.Total < space.ProposalThreshold;

    /// <summary>Why Create is disabled; null when it is not. Field problems are shown on pressing it, not before.</summary>
    private string? WhyNot =>
        HubSubmission.Signer(Wallet) is null ? "Sign in with your wallet to create a proposal."
        : BelowThreshold ? "Your voting power at the snapshot block is below the threshold."
        : null;

    /// <summary>The choices the proposal will have.</summary>
    private IReadOnlyList<string> Choices => _allocation
        ? _space?.Models ?? []
        : Type == VotingType.Basic ? GovernanceText.BasicChoices : [.. _choices.Select(c => c.Text.Trim())];

    protected override async Task OnInitializedAsync()
    {
        Wallet.Changed += OnWalletChanged;
        var now = Clock.GetUtcNow().UtcDateTime;
        // To the minute: the time pickers show minutes.
        var start = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc);
        var end = start + DefaultDuration;
        (_startDate, _startTime) = (start.Date, start.TimeOfDay);
        (_endDate, _endTime) = (end.Date, end.TimeOfDay);
        await LoadSpaceAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            await Wallet.InitializeAsync();
        }
    }

    private async Task LoadSpaceAsync()
    {
        _spaceError = null;
        try
        {
            _space = await Governance.GetSpaceAsync(_disposed.Token);
            _snapshot ??= _space.LatestBlock;
            await LoadPowerAsync();
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _spaceError = $"Could not load the space's rules: {ex.Message}";
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
    }

    private async Task LoadPowerAsync()
    {
        if (Proposer is not { } proposer || _snapshot is not { } block || block < 0)
        {
            _power = null;
            _powerError = null;
            _powerFor = null;
            return;
        }
        var key = (proposer, block);
        if (_powerFor is { } loaded && string.Equals(loaded.Address, proposer, StringComparison.OrdinalIgnoreCase) && loaded.Block == block)
        {
            return;
        }
        _powerFor = key;
        _power = null;
        _powerError = null;
        try
        {
            var power = await Governance.GetVotingPowerAsync(proposer, block, _disposed.Token);
            if (_powerFor == key)
            {
                _power = power;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _powerError = $"Could not read your voting power at block {block}: {ex.Message}";
            _powerFor = null;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
    }

    private async Task SetSnapshotAsync(long? block)
    {
        _snapshot = block;
        await LoadPowerAsync();
    }

    private void SetAllocation(bool on)
    {
        _allocation = on;
        _errors.Remove(ChoicesField);
    }

    private void SetType(VotingType type)
    {
        _type = type;
        _errors.Remove(ChoicesField);
    }

    private async Task BodyTabChangedAsync(int tab)
    {
        _bodyTab = tab;
        if (tab != 1 || string.IsNullOrWhiteSpace(_body))
        {
            return;
        }
        _previewing = true;
        _previewError = null;
        StateHasChanged();
        try
        {
            _previewHtml = await Governance.PreviewBodyAsync(_body, _disposed.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _previewError = $"Could not render the preview: {ex.Message}";
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
        finally
        {
            _previewing = false;
        }
    }

    private void AddChoice() => _choices.Add(new ChoiceEntry());

    private void RemoveChoice(int index)
    {
        if (_choices.Count > 1)
        {
            _choices.RemoveAt(index);
        }
    }

    private void MoveChoice(int index, int by)
    {
        var target = index + by;
        if (target >= 0 && target < _choices.Count)
        {
            (_choices[index], _choices[target]) = (_choices[target], _choices[index]);
        }
    }

    private bool HasError(string field) => _errors.ContainsKey(field);

    private string? ErrorFor(string field) => _errors.GetValueOrDefault(field);

    private static string FieldName(string field) => field switch
    {
        TitleField => "the title",
        BodyField => "the body",
        ChoicesField => "the choices",
        StartField => "the start",
        EndField => "the end",
        SnapshotField => "the snapshot block",
        DiscussionField => "the discussion link",
        _ => field,
    };

    private static DateTimeOffset? Moment(DateTime? date, TimeSpan? time)
        => date is { } d && time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(d.Date, DateTimeKind.Utc) + t, TimeSpan.Zero) : null;

    /// <summary>Checks every field as the hub will, so that a mistake is named before the wallet is asked.</summary>
    private void Validate(GovernanceSpace space)
    {
        _errors.Clear();
        var title = _title.Trim();
        if (title.Length == 0)
        {
            _errors[TitleField] = "Give the proposal a title.";
        }
        else if (title.Length > MaxTitleLength)
        {
            _errors[TitleField] = $"The title is {title.Length} characters; at most {MaxTitleLength} are allowed.";
        }
        if (_body.Length > space.MaxBodyLength)
        {
            _errors[BodyField] = $"The body is {Formatting.Count(_body.Length)} characters; at most {Formatting.Count(space.MaxBodyLength)} are allowed.";
        }
        if (_allocation && space.Models.Count == 0)
        {
            _errors[ChoicesField] = "The catalog has no models to allocate.";
        }
        else if (ProposalChoices.Validate(Type, [.. Choices]) is { } choicesProblem)
        {
            _errors[ChoicesField] = $"Choices: {choicesProblem}.";
        }
        var start = Moment(_startDate, _startTime);
        var end = Moment(_endDate, _endTime);
        if (start is null)
        {
            _errors[StartField] = "Give the start date and time.";
        }
        if (end is null)
        {
            _errors[EndField] = "Give the end date and time.";
        }
        else if (end <= Clock.GetUtcNow())
        {
            _errors[EndField] = "The end must be in the future.";
        }
        else if (start is { } s && end <= s)
        {
            _errors[EndField] = $"The end must be after the start ({Formatting.Timestamp(s)}).";
        }
        if (_snapshot is not { } block || block < 0)
        {
            _errors[SnapshotField] = "Give the snapshot block: a block number, 0 or more.";
        }
        else if (block > space.LatestBlock)
        {
            _errors[SnapshotField] = $"Block {block} has not been mined yet; the latest is {space.LatestBlock}.";
        }
        var discussion = _discussion.Trim();
        if (discussion.Length > 0 && !(Uri.TryCreate(discussion, UriKind.Absolute, out var link) && (link.Scheme == Uri.UriSchemeHttps || link.Scheme == Uri.UriSchemeHttp)))
        {
            _errors[DiscussionField] = "The discussion link must be an http or https address.";
        }
    }

    private async Task CreateAsync()
    {
        if (Busy || _space is not { } space || WhyNot is not null || HubSubmission.Signer(Wallet) is not { } from)
        {
            return;
        }
        _info = null;
        _error = null;
        Validate(space);
        if (_errors.Count > 0)
        {
            return;
        }
        var draft = new ProposalDraft(Type, _title.Trim(), _body, _discussion.Trim(), Choices,
            Moment(_startDate, _startTime)!.Value, Moment(_endDate, _endTime)!.Value, _snapshot!.Value, _allocation);
        var message = GovernanceMessages.Proposal(from, space.Id, Clock.GetUtcNow(), draft);
        var outcome = await HubSubmission.SignAndSubmitAsync(Wallet, Governance, SnapshotMessageKind.Proposal, message, stage =>
        {
            _stage = stage;
            StateHasChanged();
        }, _disposed.Token);
        switch (outcome.Result)
        {
            case HubSubmissionResult.Recorded:
                _stage = HubSubmissionStage.Recorded;
                Navigation.NavigateTo(GovernanceLinks.Proposal(outcome.Receipt!.Id));
                break;
            case HubSubmissionResult.Declined:
                _stage = HubSubmissionStage.Ready;
                _info = "You declined the signature; nothing was created. Your proposal is still here.";
                break;
            default:
                _stage = HubSubmissionStage.Ready;
                _error = outcome.Result == HubSubmissionResult.Refused ? $"The hub refused the proposal: {outcome.Message}" : outcome.Message;
                break;
        }
    }

    private void OnWalletChanged() => _ = InvokeAsync(async () =>
    {
        StateHasChanged();
        await LoadPowerAsync();
        StateHasChanged();
    });

    public void Dispose()
    {
        Wallet.Changed -= OnWalletChanged;
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
