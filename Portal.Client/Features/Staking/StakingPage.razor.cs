using System.Globalization;
using System.Numerics;
using Heurist.Portal.Client.Features.Transactions;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Rewards;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Chain;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Heurist.Portal.Client.Features.Staking;

/// <summary>
/// My staking: the account's positions from the portal's indexer, its HEU unstakes counting down by the chain's clock,
/// and the forms that unstake, move and withdraw through the one transaction flow.
/// </summary>
public sealed partial class StakingPage : IDisposable
{
    private static readonly Dictionary<string, object> AmountAttributes = new(StringComparer.Ordinal) { ["data-testid"] = "action-amount" };
    private static readonly Dictionary<string, object> TargetAttributes = new(StringComparer.Ordinal) { ["data-testid"] = "move-target" };

    private readonly CancellationTokenSource _disposed = new();
    private StakingAccount? _account;
    private string? _loadedFor;
    private string? _error;
    // The chain's time when it was read, and the browser's at that moment: the countdown runs on the chain's clock.
    private DateTimeOffset? _chainTime;
    private DateTimeOffset _chainTimeReadAt;
    private ITimer? _ticker;
    private PositionAction? _action;
    private string _amountText = "";
    private string? _amountError;
    private LeaderboardRow? _target;
    private string? _targetError;
    private TransactionStatus? _status;
    private TransactionStatus? _withdrawStatus;
    private string? _withdrawError;
    private bool _running;
    private string[] _chartLabels = [];
    private List<ChartSeries<double>> _chartSeries = [];
    private readonly LineChartOptions _chartOptions = new() { MaxNumYAxisTicks = 6, ShowDataMarkers = false };

    [Inject]
    private WalletService Wallet { get; set; } = default!;

    [Inject]
    private IStakingClient Staking { get; set; } = default!;

    [Inject]
    private IRewardsClient Rewards { get; set; } = default!;

    [Inject]
    private INetworkStatsClient Stats { get; set; } = default!;

    [Inject]
    private ContractReader Reader { get; set; } = default!;

    [Inject]
    private TransactionRunner Transactions { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    /// <summary>The connected wallet's account, or the signed-in one while no wallet is connected.</summary>
    private string? Account => Wallet.Account ?? Wallet.SignedInAddress;

    private bool Busy => _running;

    private BigInteger TotalHeu => Sum(TokenKind.Heu);

    private BigInteger TotalEsHeu => Sum(TokenKind.EsHeu);

    private BigInteger TotalCoolingDown => _account?.Unstakes.Aggregate(BigInteger.Zero, (sum, u) => sum + u.Amount) ?? 0;

    private enum ActionKind
    {
        Unstake,
        Move,
    }

    private sealed record PositionAction(ActionKind Kind, StakePosition Position);

    protected override async Task OnInitializedAsync()
    {
        Wallet.Changed += OnWalletChanged;
        _ticker = Clock.CreateTimer(_ => _ = InvokeAsync(StateHasChanged), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (Account is not { } account)
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
            var chainTime = Reader.LatestBlockTimeAsync(_disposed.Token);
            var rewards = RewardsAsync(account);
            var loaded = await Staking.GetAccountAsync(account, _disposed.Token);
            _chainTime = await chainTime;
            _chainTimeReadAt = Clock.GetUtcNow();
            var rewarded = await rewards;
            if (string.Equals(_loadedFor, account, StringComparison.OrdinalIgnoreCase))
            {
                _account = loaded;
                PrepareChart(loaded.History, rewarded);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _error = $"Could not load your stake: {ex.Message}";
        }
        catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
        {
        }
    }

    // The rewards only add a series to the chart, so failing to read them leaves the chart without it rather than the page.
    private async Task<RewardAccount?> RewardsAsync(string account)
    {
        try
        {
            return await Rewards.GetAccountAsync(account, _disposed.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            return null;
        }
    }

    /// <summary>The chain's time now: the latest block's, moved on by the browser's clock since it was read.</summary>
    private DateTimeOffset ChainNow => _chainTime is { } read ? read + (Clock.GetUtcNow() - _chainTimeReadAt) : Clock.GetUtcNow();

    private TimeSpan? TimeLeft(PendingUnstake unstake) => unstake.AvailableAt > ChainNow ? unstake.AvailableAt - ChainNow : null;

    private BigInteger Sum(TokenKind kind)
        => _account?.Positions.Where(p => p.Kind == kind).Aggregate(BigInteger.Zero, (sum, p) => sum + p.Amount) ?? 0;

    private void Open(ActionKind kind, StakePosition position)
    {
        _action = new PositionAction(kind, position);
        _amountText = "";
        _amountError = null;
        _target = null;
        _targetError = null;
        _status = null;
    }

    private void CloseAction() => _action = null;

    // The last unstake or move that went through, shown after its form closed.
    private TransactionStatus? _lastDone;

    private void Max()
    {
        if (_action is { } action)
        {
            AmountChanged(TokenAmountInput.ToText(action.Position.Amount));
        }
    }

    private void AmountChanged(string? text)
    {
        _amountText = text ?? "";
        ParseAmount();
    }

    private BigInteger? ParseAmount()
    {
        if (_action is not { } action)
        {
            return null;
        }
        var amount = TokenAmountInput.TryParse(_amountText, "Amount", action.Position.Amount, "your stake on this miner", out var error);
        _amountError = error;
        return amount;
    }

    private async Task<IEnumerable<LeaderboardRow>> SearchMinersAsync(string? text, CancellationToken cancellationToken)
    {
        try
        {
            var page = await Stats.GetLeaderboardAsync(new LeaderboardQuery(PageSize: 10, Search: string.IsNullOrWhiteSpace(text) ? null : text.Trim()), cancellationToken);
            return page.Rows;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _targetError = $"Could not search the miners: {ex.Message}";
            return [];
        }
    }

    private async Task SubmitActionAsync()
    {
        if (_action is not { } action || ParseAmount() is not { } amount)
        {
            return;
        }
        if (await Reader.ChainAsync(_disposed.Token) is not { } chain)
        {
            _amountError = "Could not learn the portal's chain; try again in a moment.";
            return;
        }
        var position = action.Position;
        TransactionRequest request;
        if (action.Kind == ActionKind.Unstake)
        {
            request = new TransactionRequest($"Unstake {TokenAmounts.Format(amount)} {KindName(position.Kind)} from {Name(position)}",
                chain.Contracts.MinerStaking, ContractCalls.Unstake(position.MinerChainId, position.Kind, amount));
        }
        else
        {
            if (await MoveTargetAsync(position) is not { } target)
            {
                return;
            }
            request = new TransactionRequest($"Move {TokenAmounts.Format(amount)} {KindName(position.Kind)} from {Name(position)} to {target.MinerId}",
                chain.Contracts.MinerStaking, ContractCalls.TransferStake(position.MinerChainId, target.ChainId, position.Kind, amount));
        }
        _running = true;
        try
        {
            var status = await Transactions.RunAsync(request, s =>
            {
                _status = s;
                _ = InvokeAsync(StateHasChanged);
            }, _disposed.Token);
            if (status.Stage == TransactionStage.Indexed)
            {
                // The form closes; its outcome stays on the page until the next action opens.
                _action = null;
                _lastDone = status;
                await LoadAsync();
            }
        }
        finally
        {
            _running = false;
        }
    }

    /// <summary>The miner picked to move to, with its chain id, once it is checked: another miner, and registered on chain.</summary>
    private async Task<(string MinerId, string ChainId)?> MoveTargetAsync(StakePosition from)
    {
        _targetError = null;
        if (_target is not { } target)
        {
            _targetError = "Move to miner: pick the miner to move the stake to.";
            return null;
        }
        var details = await Stats.GetMinerAsync(target.MinerId, _disposed.Token);
        if (details is null)
        {
            _targetError = $"Move to miner: there is no miner {target.MinerId}.";
            return null;
        }
        if (string.Equals(details.MinerChainId, from.MinerChainId, StringComparison.OrdinalIgnoreCase))
        {
            _targetError = $"Move to miner: the stake is already on {target.MinerId}; pick another miner.";
            return null;
        }
        var owner = await Reader.MinerOwnerAsync(details.MinerChainId, _disposed.Token);
        if (owner is null)
        {
            _targetError = "Could not read that miner from the chain; try again in a moment.";
            return null;
        }
        if (owner == ContractCalls.ZeroAddress)
        {
            _targetError = $"{target.MinerId} is not registered on chain yet; it cannot take stake.";
            return null;
        }
        return (target.MinerId, details.MinerChainId);
    }

    private async Task WithdrawAsync(PendingUnstake unstake)
    {
        _withdrawError = null;
        if (TimeLeft(unstake) is not null)
        {
            _withdrawError = $"Request #{unstake.RequestId} is still cooling down; it can be withdrawn from {Formatting.Timestamp(unstake.AvailableAt)}.";
            return;
        }
        if (await Reader.ChainAsync(_disposed.Token) is not { } chain)
        {
            _withdrawError = "Could not learn the portal's chain; try again in a moment.";
            return;
        }
        _running = true;
        try
        {
            var status = await Transactions.RunAsync(
                new TransactionRequest($"Withdraw {TokenAmounts.Format(unstake.Amount)} HEU (request #{unstake.RequestId})", chain.Contracts.MinerStaking, ContractCalls.Withdraw(unstake.RequestId)),
                s =>
                {
                    _withdrawStatus = s;
                    _ = InvokeAsync(StateHasChanged);
                },
                _disposed.Token);
            if (status.Stage == TransactionStage.Indexed)
            {
                await LoadAsync();
            }
        }
        finally
        {
            _running = false;
        }
    }

    private void PrepareChart(StakeHistory history, RewardAccount? rewards)
    {
        var epochs = history.Epochs;
        // Markers show a short history (a single epoch is one point, no line); a long one reads better as lines.
        _chartOptions.ShowDataMarkers = epochs.Count < 30;
        // A label every few epochs, so a long history stays readable at 390 px.
        var every = Math.Max(1, epochs.Count / 6);
        _chartLabels = [.. epochs.Select((e, i) => (epochs.Count - 1 - i) % every == 0 ? e.Epoch.ToString(CultureInfo.InvariantCulture) : "")];
        _chartSeries =
        [
            new ChartSeries<double> { Name = "HEU", Data = epochs.Select(e => Tokens(e.Heu)).ToArray() },
            new ChartSeries<double> { Name = "esHEU", Data = epochs.Select(e => Tokens(e.EsHeu)).ToArray() },
        ];
        AddRewardSeries(_chartSeries, history, rewards);
    }

    /// <summary>
    /// The account's rewards (HEU and esHEU together, in tokens) on the stake's epochs axis: 0 for an epoch without a
    /// leaf. No series when the rewards could not be read or there are none.
    /// </summary>
    private static void AddRewardSeries(List<ChartSeries<double>> series, StakeHistory history, RewardAccount? rewards)
    {
        if (rewards is not { Epochs.Count: > 0 })
        {
            return;
        }
        var byEpoch = rewards.Epochs.ToDictionary(r => r.Epoch, r => Wei.Parse(r.Heu) + Wei.Parse(r.EsHeu));
        series.Add(new ChartSeries<double>
        {
            Name = "Rewards (HEU + esHEU)",
            Data = history.Epochs.Select(e => byEpoch.TryGetValue(e.Epoch, out var wei) ? Tokens(wei) : 0).ToArray(),
        });
    }

    private static double Tokens(BigInteger wei) => (double)wei / 1e18;

    internal static string Countdown(TimeSpan left) => left.TotalDays >= 1
        ? $"{(int)left.TotalDays}d {left.Hours}h {left.Minutes}m"
        : left.TotalHours >= 1 ? $"{(int)left.TotalHours}h {left.Minutes}m {left.Seconds}s" : $"{left.Minutes}m {left.Seconds}s";

    private static string KindName(TokenKind kind) => kind == TokenKind.Heu ? "HEU" : "esHEU";

    private static string Name(StakePosition position) => position.MinerId ?? Formatting.ShortAddress(position.MinerChainId);

    private void OnWalletChanged() => _ = InvokeAsync(async () =>
    {
        if (!string.Equals(_loadedFor, Account, StringComparison.OrdinalIgnoreCase))
        {
            await LoadAsync();
        }
        StateHasChanged();
    });

    public void Dispose()
    {
        Wallet.Changed -= OnWalletChanged;
        _ticker?.Dispose();
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
