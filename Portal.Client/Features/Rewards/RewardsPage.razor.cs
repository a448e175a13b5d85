using Heurist.Portal.Client.Features.Transactions;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Chain;
using Heurist.Protocol.Api.Rewards;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Chain;
using Microsoft.AspNetCore.Components;

namespace Heurist.Portal.Client.Features.Rewards;

/// <summary>
/// Rewards: the connected account's leaf in each settled epoch, from the portal's settlement tables, and the claims
/// through the one transaction flow. The data is public, so the connected wallet is enough; no sign-in is needed.
/// </summary>
public sealed partial class RewardsPage : IDisposable
{
    private readonly CancellationTokenSource _disposed = new();
    private RewardAccount? _account;
    private ChainInfo? _chain;
    private string? _loadedFor;
    private string? _error;
    // Why a claim stopped before the wallet opened (or where claim all stopped), and claim all's "2 of 5".
    private string? _claimMessage;
    private string? _progress;
    private TransactionStatus? _status;
    private bool _running;

    [Inject]
    private WalletService Wallet { get; set; } = default!;

    [Inject]
    private IRewardsClient Rewards { get; set; } = default!;

    [Inject]
    private ContractReader Reader { get; set; } = default!;

    [Inject]
    private TransactionRunner Transactions { get; set; } = default!;

    private bool Busy => _running;

    /// <summary>The signed-in account when it is not the connected wallet's, which is the one shown.</summary>
    private string? OtherSignedIn => Wallet.Account is { } connected && Wallet.SignedInAddress is { } signedIn
        && !string.Equals(connected, signedIn, StringComparison.OrdinalIgnoreCase)
            ? signedIn
            : null;

    /// <summary>The epochs claim all runs through, oldest first.</summary>
    private List<AccountEpochReward> Claimable => _account?.Epochs.Where(IsClaimable).OrderBy(e => e.Epoch).ToList() ?? [];

    private enum ClaimOutcome
    {
        Claimed,
        AlreadyClaimed,
        Stopped,
    }

    protected override async Task OnInitializedAsync()
    {
        Wallet.Changed += OnWalletChanged;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (Wallet.Account is not { } account)
        {
            _account = null;
            _loadedFor = null;
            return;
        }
        if (!string.Equals(_loadedFor, account, StringComparison.OrdinalIgnoreCase))
        {
            _account = null;
        }
        _loadedFor = account;
        _error = null;
        try
        {
            var chain = Reader.ChainAsync(_disposed.Token);
            var loaded = await Rewards.GetAccountAsync(account, _disposed.Token);
            _chain = await chain;
            if (string.Equals(_loadedFor, account, StringComparison.OrdinalIgnoreCase))
            {
                _account = loaded;
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _error = $"Could not load your rewards: {ex.Message}";
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
    }

    private static bool IsClaimable(AccountEpochReward reward) => reward is { Status: RewardEpochStatus.Posted, Claimed: false };

    /// <summary>Why <paramref name="reward"/> cannot be claimed, as the page knows it; null when it can.</summary>
    private static string? Refusal(AccountEpochReward reward) => reward switch
    {
        { Claimed: true, ClaimTransactionHash: { } hash } => $"Epoch {reward.Epoch} is already claimed (tx {Formatting.ShortAddress(hash)}).",
        { Claimed: true } => $"Epoch {reward.Epoch} is already claimed.",
        { Status: RewardEpochStatus.Computed } => $"Epoch {reward.Epoch}'s root is not on chain yet; it can be claimed once it is posted.",
        { Status: RewardEpochStatus.Empty } => $"Epoch {reward.Epoch} paid nothing; there is nothing to claim.",
        _ => null,
    };

    private async Task ClaimAsync(AccountEpochReward reward)
    {
        _claimMessage = null;
        _progress = null;
        _running = true;
        try
        {
            await ClaimOneAsync(reward);
        }
        finally
        {
            _running = false;
        }
    }

    // One transaction per claimable epoch, oldest first, through the same flow; a refusal stops the rest, and what was
    // claimed before it stays claimed.
    private async Task ClaimAllAsync()
    {
        _claimMessage = null;
        var claimable = Claimable;
        _running = true;
        try
        {
            for (var i = 0; i < claimable.Count; i++)
            {
                var epoch = claimable[i].Epoch;
                _progress = $"Claim {i + 1} of {claimable.Count}: epoch {epoch}";
                StateHasChanged();
                var (outcome, reason) = await ClaimOneAsync(claimable[i]);
                if (outcome == ClaimOutcome.Stopped)
                {
                    _progress = $"Stopped at claim {i + 1} of {claimable.Count} (epoch {epoch}): {reason} "
                        + (i == 0 ? "Nothing was claimed." : i == 1 ? "The epoch claimed before it is kept." : $"The {i} epochs claimed before it are kept.");
                    return;
                }
            }
            _progress = $"Claimed {claimable.Count} of {claimable.Count}.";
        }
        finally
        {
            _running = false;
        }
    }

    private async Task<(ClaimOutcome Outcome, string? Reason)> ClaimOneAsync(AccountEpochReward reward)
    {
        if (Refusal(reward) is { } refusal)
        {
            return Stop(refusal);
        }
        if (_account is not { } account || await Reader.ChainAsync(_disposed.Token) is not { } chain)
        {
            return Stop("Could not learn the portal's chain; try again in a moment.");
        }
        var distributor = chain.Contracts.RewardsDistributor;
        // The rows can be behind the chain (a claim from another tab, or the indexer lagging): ask the contract before
        // the wallet opens. A failed read goes on, since the runner's own check would catch the revert.
        if (ContractCalls.BoolWord(await Reader.CallAsync(distributor, ContractCalls.IsClaimed(reward.Epoch, account.Account), _disposed.Token)) == true)
        {
            await LoadAsync();
            var reloaded = _account?.Epochs.FirstOrDefault(e => e.Epoch == reward.Epoch);
            _claimMessage = reloaded is { Claimed: true }
                ? Refusal(reloaded)
                : $"Epoch {reward.Epoch} is already claimed on chain; the portal has not shown the claim yet.";
            return (ClaimOutcome.AlreadyClaimed, _claimMessage);
        }
        var status = await Transactions.RunAsync(
            new TransactionRequest($"Claim epoch {reward.Epoch}: {reward.HeuTokens} HEU + {reward.EsHeuTokens} esHEU", distributor,
                ContractCalls.Claim(reward.Epoch, account.Account, Wei.Parse(reward.Heu), Wei.Parse(reward.EsHeu), reward.Proof)),
            s =>
            {
                _status = s;
                _ = InvokeAsync(StateHasChanged);
            },
            _disposed.Token);
        if (!status.Succeeded)
        {
            return (ClaimOutcome.Stopped, status.Message);
        }
        // The runner refreshed the wallet's balances once the receipt came; the portal's account shows the claim once indexed.
        await LoadAsync();
        return (ClaimOutcome.Claimed, null);
    }

    private (ClaimOutcome, string?) Stop(string reason)
    {
        _claimMessage = reason;
        return (ClaimOutcome.Stopped, reason);
    }

    private string? ExplorerUrl(string hash) => _chain?.TransactionUrl(hash);

    private static (string Text, MudBlazor.Color Color) StatusChip(AccountEpochReward reward) => reward switch
    {
        { Claimed: true } => ("Claimed", MudBlazor.Color.Success),
        { Status: RewardEpochStatus.Posted } => ("Claimable", MudBlazor.Color.Primary),
        { Status: RewardEpochStatus.Computed } => ("Not posted yet", MudBlazor.Color.Default),
        _ => ("Empty", MudBlazor.Color.Default),
    };

    private void OnWalletChanged() => _ = InvokeAsync(async () =>
    {
        if (!string.Equals(_loadedFor, Wallet.Account, StringComparison.OrdinalIgnoreCase))
        {
            await LoadAsync();
        }
        StateHasChanged();
    });

    public void Dispose()
    {
        Wallet.Changed -= OnWalletChanged;
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
