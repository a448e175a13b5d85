using Heurist.Portal.Client.Features.Transactions;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Protocol.Chain;
using Microsoft.AspNetCore.Components;

namespace Heurist.Portal.Client.Features.Vesting;

/// <summary>
/// Vesting: start a position from esHEU, and claim what has vested, read straight from esHEU on chain (positions are
/// not in the portal's tables). Progress runs on the chain's clock.
/// </summary>
public sealed partial class VestingPage : IDisposable
{
    private static readonly Dictionary<string, object> AmountAttributes = new(StringComparer.Ordinal) { ["data-testid"] = "vest-amount" };

    private readonly CancellationTokenSource _disposed = new();
    private IReadOnlyList<VestingPosition>? _positions;
    private string? _loadedFor;
    private string? _error;
    private DateTimeOffset? _chainTime;
    private DateTimeOffset _chainTimeReadAt;
    private string _amountText = "";
    private string? _amountError;
    private TransactionStatus? _vestStatus;
    private TransactionStatus? _claimStatus;
    private bool _running;

    [Inject]
    private WalletService Wallet { get; set; } = default!;

    [Inject]
    private ContractReader Reader { get; set; } = default!;

    [Inject]
    private TransactionRunner Transactions { get; set; } = default!;

    [Inject]
    private TimeProvider Clock { get; set; } = default!;

    private bool Busy => _running;

    private DateTimeOffset ChainNow => _chainTime is { } read ? read + (Clock.GetUtcNow() - _chainTimeReadAt) : Clock.GetUtcNow();

    private List<VestingPosition> Claimable => _positions?.Where(p => !p.Claimable.IsZero).ToList() ?? [];

    protected override async Task OnInitializedAsync()
    {
        Wallet.Changed += OnWalletChanged;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        if (Wallet.Account is not { } account)
        {
            _positions = null;
            _loadedFor = null;
            return;
        }
        _loadedFor = account;
        _error = null;
        var chainTime = Reader.LatestBlockTimeAsync(_disposed.Token);
        var positions = await Reader.VestingPositionsAsync(account, _disposed.Token);
        _chainTime = await chainTime;
        _chainTimeReadAt = Clock.GetUtcNow();
        if (positions is null)
        {
            _error = "Could not read your vesting positions from the chain; try again in a moment.";
        }
        _positions = positions;
    }

    private void AmountChanged(string? text)
    {
        _amountText = text ?? "";
        TokenAmountInput.TryParse(_amountText, "Amount", Wallet.EsHeu.Amount, "your esHEU balance", out _amountError);
    }

    private void Max()
    {
        if (Wallet.EsHeu.Amount is { } balance)
        {
            AmountChanged(TokenAmountInput.ToText(balance));
        }
    }

    private async Task VestAsync()
    {
        if (TokenAmountInput.TryParse(_amountText, "Amount", Wallet.EsHeu.Amount, "your esHEU balance", out _amountError) is not { } amount
            || await ChainAsync() is not { } chain)
        {
            return;
        }
        var status = await RunAsync(new TransactionRequest($"Vest {TokenAmounts.Format(amount)} esHEU", chain.Contracts.EscrowedHeurist, ContractCalls.Vest(amount)),
            s => _vestStatus = s);
        if (status?.Succeeded == true)
        {
            _amountText = "";
            await LoadAsync();
        }
    }

    private async Task ClaimAsync(VestingPosition position)
    {
        if (await ChainAsync() is { } chain && (await ClaimOneAsync(chain, position))?.Succeeded == true)
        {
            await LoadAsync();
        }
    }

    // One transaction per position with something to claim, one after the other through the same flow; a refusal stops the rest.
    private async Task ClaimAllAsync()
    {
        if (await ChainAsync() is not { } chain)
        {
            return;
        }
        foreach (var position in Claimable)
        {
            if ((await ClaimOneAsync(chain, position))?.Succeeded != true)
            {
                break;
            }
        }
        await LoadAsync();
    }

    private Task<TransactionStatus?> ClaimOneAsync(Protocol.Api.Chain.ChainInfo chain, VestingPosition position)
        => RunAsync(new TransactionRequest($"Claim {TokenAmounts.Format(position.Claimable)} HEU from position #{position.Id}", chain.Contracts.EscrowedHeurist, ContractCalls.ClaimVested(position.Id)),
            s => _claimStatus = s);

    private async Task<Protocol.Api.Chain.ChainInfo?> ChainAsync()
    {
        var chain = await Reader.ChainAsync(_disposed.Token);
        if (chain is null)
        {
            _error = "Could not learn the portal's chain; try again in a moment.";
        }
        return chain;
    }

    private async Task<TransactionStatus?> RunAsync(TransactionRequest request, Action<TransactionStatus> show)
    {
        _running = true;
        try
        {
            return await Transactions.RunAsync(request, s =>
            {
                show(s);
                _ = InvokeAsync(StateHasChanged);
            }, _disposed.Token);
        }
        finally
        {
            _running = false;
        }
    }

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
