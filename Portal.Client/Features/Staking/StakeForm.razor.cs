using System.Numerics;
using Heurist.Portal.Client.Features.Transactions;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Chain;
using Heurist.Protocol.Rewards;
using Microsoft.AspNetCore.Components;

namespace Heurist.Portal.Client.Features.Staking;

public sealed partial class StakeForm
{
    public const string NotRegisteredMessage = "This miner is not registered on chain yet; it cannot take stake.";

    private static readonly Dictionary<string, object> AmountAttributes = new(StringComparer.Ordinal) { ["data-testid"] = "stake-amount", ["autocomplete"] = "off" };

    private readonly CancellationTokenSource _disposed = new();
    private string? _chainId;
    private bool _notRegistered;
    private (BigInteger Heu, BigInteger EsHeu) _minerStake;
    private string? _loadError;
    private TokenKind _kind = TokenKind.Heu;
    private string _amountText = "";
    private string? _amountError;
    private bool _touched;
    private string? _formError;
    private string? _step;
    private TransactionStatus? _status;
    private StakeEstimate? _estimate;
    private bool _running;

    /// <summary>The worker's miner id.</summary>
    [Parameter, EditorRequired]
    public string MinerId { get; set; } = "";

    /// <summary>The miner's details when the page has them already (the miner page); otherwise they are read.</summary>
    [Parameter]
    public MinerDetails? Miner { get; set; }

    /// <summary>Called once a stake is confirmed and indexed.</summary>
    [Parameter]
    public EventCallback OnStaked { get; set; }

    [Inject]
    private WalletService Wallet { get; set; } = default!;

    [Inject]
    private INetworkStatsClient Stats { get; set; } = default!;

    [Inject]
    private ContractReader Reader { get; set; } = default!;

    [Inject]
    private TransactionRunner Transactions { get; set; } = default!;

    [Inject]
    private IStakeEstimates Estimates { get; set; } = default!;

    private bool Busy => _running;

    private string Symbol => _kind == TokenKind.Heu ? "HEU" : "esHEU";

    private BigInteger? Balance => (_kind == TokenKind.Heu ? Wallet.Heu : Wallet.EsHeu).Amount;

    private BigInteger MinerTotal => _minerStake.Heu + _minerStake.EsHeu;

    private decimal EfficiencyNow => StakeEfficiencyWei.ToDecimal(StakeEfficiencyWei.Numerator(MinerTotal));

    private decimal? EfficiencyAfter => QuietAmount() is { } amount ? StakeEfficiencyWei.ToDecimal(StakeEfficiencyWei.Numerator(MinerTotal + amount)) : null;

    protected override async Task OnInitializedAsync()
    {
        Wallet.Changed += OnWalletChanged;
        var cancellationToken = _disposed.Token;
        try
        {
            var miner = Miner ?? await Stats.GetMinerAsync(MinerId, cancellationToken);
            if (miner is null)
            {
                _loadError = $"There is no miner {MinerId}.";
                return;
            }
            var owner = await Reader.MinerOwnerAsync(miner.MinerChainId, cancellationToken);
            if (owner is null)
            {
                _loadError = "Could not read the miner from the chain; try again in a moment.";
                return;
            }
            _notRegistered = owner == ContractCalls.ZeroAddress;
            _minerStake = await Reader.MinerStakeAsync(miner.MinerChainId, cancellationToken) ?? default;
            _chainId = miner.MinerChainId;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            _loadError = $"Could not load this miner: {ex.Message}";
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task KindChangedAsync(TokenKind kind)
    {
        _kind = kind;
        await AmountChangedAsync(_amountText);
    }

    private async Task AmountChangedAsync(string? text)
    {
        _amountText = text ?? "";
        _touched = true;
        var amount = Validate();
        _estimate = amount is { } wei ? await Estimates.EstimateAsync(MinerId, _kind, wei, _disposed.Token) : null;
    }

    private Task MaxAsync() => Balance is { } balance ? AmountChangedAsync(TokenAmountInput.ToText(balance)) : Task.CompletedTask;

    private BigInteger? Validate()
    {
        var amount = TokenAmountInput.TryParse(_amountText, "Amount", Balance, $"your {Symbol} balance", out var error);
        _amountError = _touched ? error : null;
        return amount;
    }

    private BigInteger? QuietAmount() => TokenAmountInput.TryParse(_amountText, "Amount", Balance, "", out _);

    private async Task StakeAsync()
    {
        _formError = null;
        _touched = true;
        if (Validate() is not { } amount || _chainId is not { } chainId || _notRegistered)
        {
            return;
        }
        if (Wallet.State != WalletState.Connected || Wallet.Account is not { } account)
        {
            _formError = "Connect a wallet (top right) to stake.";
            return;
        }
        if (Wallet.IsWrongNetwork)
        {
            _formError = $"Your wallet is on another network. Switch to {Wallet.Chain?.ChainName ?? "the portal's chain"} (see the banner above), then stake.";
            return;
        }
        if (await Reader.ChainAsync(_disposed.Token) is not { } chain)
        {
            _formError = "Could not learn the portal's chain; try again in a moment.";
            return;
        }
        _running = true;
        _status = null;
        try
        {
            var allowance = await Reader.StakingAllowanceAsync(_kind, account, _disposed.Token);
            if (allowance is null)
            {
                _formError = $"Could not read your {Symbol} approval from the chain; try again in a moment.";
                return;
            }
            var needsApproval = allowance < amount;
            if (needsApproval)
            {
                _step = "Step 1 of 2: approve";
                var approve = new TransactionRequest($"Approve {TokenAmounts.Format(amount)} {Symbol}",
                    ContractReader.TokenAddress(chain, _kind), ContractCalls.Approve(chain.Contracts.MinerStaking, amount), WaitForIndexer: false);
                if (!(await RunAsync(approve)).Succeeded)
                {
                    return;
                }
            }
            _step = needsApproval ? "Step 2 of 2: stake" : null;
            var stake = new TransactionRequest($"Stake {TokenAmounts.Format(amount)} {Symbol} on {MinerId}",
                chain.Contracts.MinerStaking, ContractCalls.Stake(chainId, _kind, amount));
            var staked = await RunAsync(stake);
            if (staked.Stage == TransactionStage.Indexed)
            {
                _minerStake = await Reader.MinerStakeAsync(chainId, _disposed.Token) ?? _minerStake;
                await OnStaked.InvokeAsync();
            }
        }
        finally
        {
            _running = false;
        }
    }

    private Task<TransactionStatus> RunAsync(TransactionRequest request) => Transactions.RunAsync(request, status =>
    {
        _status = status;
        _ = InvokeAsync(StateHasChanged);
    }, _disposed.Token);

    /// <summary>"≈ 12.3 HEU + 12.3 esHEU per epoch · APR 14.2%".</summary>
    private static string EstimateText(StakeEstimate estimate)
        => $"≈ {TokenAmounts.Format(estimate.HeuPerEpochWei)} HEU + {TokenAmounts.Format(estimate.EsHeuPerEpochWei)} esHEU per epoch"
            + (estimate.Apr is { } apr ? $" · APR {Shared.Formatting.Percent(apr)}" : "");

    private static string EfficiencyText(decimal? efficiency) => efficiency is { } e ? Shared.Formatting.Percent(e) : "—";

    private void OnWalletChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        Wallet.Changed -= OnWalletChanged;
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
