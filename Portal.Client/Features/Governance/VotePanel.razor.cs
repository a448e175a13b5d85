using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using Heurist.Protocol.Rewards;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Heurist.Portal.Client.Features.Governance;

/// <summary>A choice in the ranked-choice widget, at its place in the voter's ranking (0 is the favourite).</summary>
public sealed record RankedItem(int Choice, string Label, int Position);

/// <summary>
/// The voting side of a proposal page: the viewer's power at the snapshot block, and the widget of the proposal's
/// voting type (radio buttons, checkboxes, a ranking, or weights that add up to 100 %) with an optional reason. Vote
/// signs a Snapshot vote with the wallet and posts it to the hub; a declined signature or a refusal keeps what was
/// picked.
/// </summary>
public sealed partial class VotePanel : IDisposable
{
    /// <summary>The longest reason the form takes, as Snapshot's vote schema bounds it.</summary>
    public const int MaxReasonLength = 1000;

    private readonly CancellationTokenSource _disposed = new();
    private VotingType _type;
    private string? _loadedProposal;
    private int _single;
    private readonly HashSet<int> _approved = [];
    // One list, reordered in place: the drop zone reads its container's items when refreshed, not when the page renders.
    private readonly List<RankedItem> _ranking = [];
    private int[] _weights = [];
    private string _reason = "";
    private MudDropContainer<RankedItem>? _rankContainer;
    private HubSubmissionStage _stage = HubSubmissionStage.Ready;
    private HubReceipt? _receipt;
    private string? _info;
    private string? _error;
    private VotingPowerView? _power;
    private string? _powerError;
    private (string Address, long Block)? _powerFor;
    private VoteView? _counted;
    private (string Address, string Proposal)? _countedFor;

    [Parameter, EditorRequired]
    public ProposalView Proposal { get; set; } = default!;

    /// <summary>Told the receipt once the hub has recorded a vote, so the page can read the results and voters again.</summary>
    [Parameter]
    public EventCallback<HubReceipt> OnVoted { get; set; }

    [Inject]
    private WalletService Wallet { get; set; } = default!;

    [Inject]
    private IGovernanceClient Governance { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private ProposalSummary Summary => Proposal.Summary;

    /// <summary>Whose power is shown: the signed-in account, else the connected one.</summary>
    private string? Viewer => Wallet.SignedInAddress ?? Wallet.Account;

    private bool Busy => _stage is HubSubmissionStage.WaitingForSignature or HubSubmissionStage.Sending;

    private bool NoPower => _power is { Total: <= 0 };

    private bool InputsDisabled => Busy || NoPower;

    private bool CanSubmit => !Busy && WhyNot is null;

    /// <summary>Why Vote is disabled, in words; null when it is not.</summary>
    private string? WhyNot =>
        HubSubmission.Signer(Wallet) is null ? "Sign in with your wallet to vote."
        : NoPower ? $"You had no voting power at block {Summary.SnapshotBlock}."
        : _power is null ? "Reading your voting power…"
        : SelectionProblem;

    /// <summary>What is missing from the selection before it can be signed; null when it is complete.</summary>
    private string? SelectionProblem => _type switch
    {
        VotingType.SingleChoice or VotingType.Basic when _single == 0 => "Pick a choice.",
        VotingType.Approval when _approved.Count == 0 => "Approve at least one choice.",
        VotingType.Weighted or VotingType.Quadratic when WeightLeft != 0 => "The weights must add up to 100 %.",
        _ => null,
    };

    private string Instruction => _type switch
    {
        VotingType.Basic => "For, against, or abstain",
        VotingType.SingleChoice => "Pick one choice",
        VotingType.Approval => "Approve any number of choices",
        VotingType.RankedChoice => "Rank every choice, favourite first",
        VotingType.Quadratic => "Spread your power over the choices (quadratic: many small voters count for more)",
        _ => "Spread your power over the choices",
    };

    private int WeightLeft => 100 - _weights.Sum();

    private string WeightStatus => WeightLeft switch
    {
        0 => "100 % given.",
        > 0 => string.Create(CultureInfo.InvariantCulture, $"{WeightLeft} % left to give."),
        _ => string.Create(CultureInfo.InvariantCulture, $"{-WeightLeft} % too much: take some back."),
    };

    protected override void OnInitialized() => Wallet.Changed += OnWalletChanged;

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedProposal != Summary.Id)
        {
            _loadedProposal = Summary.Id;
            // An unknown type falls back to single choice, whose vote the hub then checks.
            _type = VotingTypes.TryParse(Summary.Type, out var type) ? type : VotingType.SingleChoice;
            _single = 0;
            _approved.Clear();
            _ranking.Clear();
            _ranking.AddRange(Summary.Choices.Select((label, i) => new RankedItem(i + 1, label, i)));
            _weights = new int[Summary.Choices.Count];
            _receipt = null;
            _info = null;
            _error = null;
        }
        await LoadPowerAsync();
        await LoadCountedVoteAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender && RendererInfo.IsInteractive)
        {
            await Wallet.InitializeAsync();
        }
    }

    private async Task LoadPowerAsync()
    {
        if (Viewer is not { } viewer)
        {
            _power = null;
            _powerError = null;
            _powerFor = null;
            return;
        }
        var key = (viewer, Summary.SnapshotBlock);
        if (_powerFor is { } loaded && string.Equals(loaded.Address, key.viewer, StringComparison.OrdinalIgnoreCase) && loaded.Block == key.SnapshotBlock)
        {
            return;
        }
        _powerFor = key;
        _power = null;
        _powerError = null;
        try
        {
            var power = await Governance.GetVotingPowerAsync(viewer, Summary.SnapshotBlock, _disposed.Token);
            if (_powerFor == key)
            {
                _power = power;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _powerError = $"Could not read your voting power at block {Summary.SnapshotBlock}: {ex.Message}";
            // Asked again when the wallet changes or the page is read again.
            _powerFor = null;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// The viewer's counted vote on this proposal, shown above the widget and picked in it, so that changing a vote
    /// starts from the one that counts. A failed read only leaves the widget empty: voting does not depend on it.
    /// </summary>
    private async Task LoadCountedVoteAsync()
    {
        if (Viewer is not { } viewer || Summary.State is not ProposalState.Active)
        {
            _counted = null;
            _countedFor = null;
            return;
        }
        var key = (viewer, Summary.Id);
        if (_countedFor is { } loaded && string.Equals(loaded.Address, key.viewer, StringComparison.OrdinalIgnoreCase) && loaded.Proposal == key.Id)
        {
            return;
        }
        _countedFor = key;
        _counted = null;
        try
        {
            var vote = await Governance.GetVoteAsync(Summary.Id, viewer, _disposed.Token);
            if (_countedFor == key && vote is not null && _receipt is null && !Busy)
            {
                _counted = vote;
                Pick(vote.Choice);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _countedFor = null;
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
    }

    /// <summary>Sets the widget to a stored choice; one that does not fit the proposal leaves it as it is.</summary>
    private void Pick(JsonElement stored)
    {
        if (!VoteChoice.TryParse(stored, out var choice, out _) || choice.Validate(_type, Summary.Choices.Count) is not null)
        {
            return;
        }
        switch (_type)
        {
            case VotingType.SingleChoice or VotingType.Basic:
                _single = choice.Choice;
                break;
            case VotingType.Approval:
                _approved.Clear();
                _approved.UnionWith(choice.Choices);
                break;
            case VotingType.RankedChoice:
                var labels = _ranking.ToDictionary(r => r.Choice, r => r.Label);
                _ranking.Clear();
                _ranking.AddRange(choice.Choices.Select((c, i) => new RankedItem(c, labels[c], i)));
                _rankContainer?.Refresh();
                break;
            default:
                _weights = Percentages(choice.Weights, Summary.Choices.Count);
                break;
        }
    }

    /// <summary>Weights as whole percentages that add up to 100, each within one point of its exact share.</summary>
    public static int[] Percentages(IReadOnlyList<ChoiceWeight> weights, int choiceCount)
    {
        // Snapshot weights are decimals; a millionth of a unit is finer than a slider can show.
        var scaled = new BigInteger[choiceCount];
        foreach (var weight in weights)
        {
            scaled[weight.Choice - 1] += new BigInteger(decimal.Truncate(weight.Weight * 1_000_000m));
        }
        if (scaled.All(w => w.IsZero))
        {
            return new int[choiceCount];
        }
        var keys = Enumerable.Range(1, choiceCount).Select(c => c.ToString("D3", CultureInfo.InvariantCulture)).ToArray();
        return [.. LargestRemainder.Split(100, scaled, keys).Select(part => (int)part)];
    }

    private static string PowerParts(VotingPowerView power)
    {
        var parts = new List<string>();
        void Add(decimal amount, decimal weight, string name)
        {
            if (amount != 0)
            {
                parts.Add(weight == 1 ? $"{Formatting.Amount(amount)} {name}" : $"{Formatting.Amount(amount)} {name} × {Formatting.Amount(weight)}");
            }
        }
        Add(power.Heu, power.Weights.Heu, "HEU");
        Add(power.EsHeu, power.Weights.EsHeu, "esHEU");
        Add(power.StakedHeu, power.Weights.StakedHeu, "staked HEU");
        Add(power.StakedEsHeu, power.Weights.StakedEsHeu, "staked esHEU");
        return parts.Count == 0 ? "No HEU, esHEU or stake." : string.Join(" + ", parts);
    }

    private void SelectSingle(int choice) => _single = choice;

    private void Approve(int choice, bool approved)
    {
        if (approved)
        {
            _approved.Add(choice);
        }
        else
        {
            _approved.Remove(choice);
        }
    }

    private void SetWeight(int index, int weight) => _weights[index] = Math.Clamp(weight, 0, 100);

    /// <summary>Moves the choice at <paramref name="position"/> one place up (-1) or down (+1).</summary>
    private void Move(int position, int by)
    {
        var target = position + by;
        if (Busy || target < 0 || target >= _ranking.Count)
        {
            return;
        }
        (_ranking[position], _ranking[target]) = (_ranking[target], _ranking[position]);
        Renumber();
    }

    private void Dropped(MudItemDropInfo<RankedItem> drop)
    {
        if (drop.Item is not { } item || Busy)
        {
            return;
        }
        _ranking.RemoveAll(r => r.Choice == item.Choice);
        _ranking.Insert(Math.Clamp(drop.IndexInZone, 0, _ranking.Count), item);
        Renumber();
    }

    private void Renumber()
    {
        for (var i = 0; i < _ranking.Count; i++)
        {
            _ranking[i] = _ranking[i] with { Position = i };
        }
        _rankContainer?.Refresh();
    }

    private VoteChoice Selection() => _type switch
    {
        VotingType.SingleChoice or VotingType.Basic => VoteChoice.OfChoice(_single),
        VotingType.Approval => VoteChoice.OfChoices(_approved.Order()),
        VotingType.RankedChoice => VoteChoice.OfChoices(_ranking.Select(r => r.Choice)),
        _ => VoteChoice.OfWeights(_weights.Select((weight, i) => new ChoiceWeight(i + 1, weight)).Where(w => w.Weight > 0)),
    };

    private async Task VoteAsync()
    {
        if (!CanSubmit || HubSubmission.Signer(Wallet) is not { } from)
        {
            return;
        }
        _info = null;
        _error = null;
        var choice = Selection();
        if (choice.Validate(_type, Summary.Choices.Count) is { } problem)
        {
            _error = $"This vote would be refused: {problem}.";
            return;
        }
        var (kind, message) = GovernanceMessages.Vote(_type, from, Proposal.Space, Clock.GetUtcNow(), Summary.Id, choice, _reason.Trim());
        var outcome = await HubSubmission.SignAndSubmitAsync(Wallet, Governance, kind, message, stage =>
        {
            _stage = stage;
            StateHasChanged();
        }, _disposed.Token);
        switch (outcome.Result)
        {
            case HubSubmissionResult.Recorded:
                _stage = HubSubmissionStage.Recorded;
                _receipt = outcome.Receipt;
                _counted = null;
                await OnVoted.InvokeAsync(outcome.Receipt);
                break;
            case HubSubmissionResult.Declined:
                _stage = _receipt is null ? HubSubmissionStage.Ready : HubSubmissionStage.Recorded;
                _info = "You declined the signature; your vote was not sent.";
                break;
            default:
                _stage = _receipt is null ? HubSubmissionStage.Ready : HubSubmissionStage.Recorded;
                _error = outcome.Result == HubSubmissionResult.Refused ? $"The hub refused the vote: {outcome.Message}" : outcome.Message;
                break;
        }
    }

    private void OnWalletChanged() => _ = InvokeAsync(async () =>
    {
        StateHasChanged();
        await LoadPowerAsync();
        await LoadCountedVoteAsync();
        StateHasChanged();
    });

    public void Dispose()
    {
        Wallet.Changed -= OnWalletChanged;
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
