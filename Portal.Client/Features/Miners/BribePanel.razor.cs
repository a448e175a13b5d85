using System.Globalization;
using Heurist.Portal.Client.Features.Transactions;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Chain;
using Microsoft.AspNetCore.Components;

namespace Heurist.Portal.Client.Features.Miners;

public sealed partial class BribePanel
{
    public const int MaxBasisPoints = 10_000;

    private static readonly Dictionary<string, object> BpsAttributes = new(StringComparer.Ordinal) { ["data-testid"] = "bribe-bps" };

    private readonly CancellationTokenSource _disposed = new();
    private string? _owner;
    private EpochClock? _epochs;
    private string? _loadError;
    private string _bpsText = "";
    private string? _bpsError;
    private string? _formError;
    private TransactionStatus? _status;
    private bool _running;

    [Parameter, EditorRequired]
    public MinerDetails Miner { get; set; } = default!;

    /// <summary>Called when a bribe or a registration is confirmed and indexed.</summary>
    [Parameter]
    public EventCallback OnChanged { get; set; }

    [Inject]
    private WalletService Wallet { get; set; } = default!;

    [Inject]
    private ContractReader Reader { get; set; } = default!;

    [Inject]
    private TransactionRunner Transactions { get; set; } = default!;

    private bool Busy => _running;

    private bool IsOwner => _owner is not null && string.Equals(Wallet.Account, _owner, StringComparison.OrdinalIgnoreCase);

    private bool IsRewardAddress => Wallet.Account is { } account && string.Equals(account, Miner.Summary.RewardAddress, StringComparison.OrdinalIgnoreCase);

    private string PercentText => ParseBps(out _) is { } bps ? $"= {Shared.Formatting.BasisPoints(bps)} of the miner's rewards" : "0 to 10,000 (100 bps = 1 %)";

    protected override async Task OnInitializedAsync()
    {
        Wallet.Changed += OnWalletChanged;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _owner = await Reader.MinerOwnerAsync(Miner.MinerChainId, _disposed.Token);
        _epochs = await Reader.EpochClockAsync(_disposed.Token);
        _loadError = _owner is null ? "Could not read the miner's owner from the chain; try again in a moment." : null;
    }

    private void BpsChanged(string? text)
    {
        _bpsText = text ?? "";
        ParseBps(out _bpsError);
    }

    private int? ParseBps(out string? error)
    {
        error = null;
        if (!int.TryParse(_bpsText.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var bps))
        {
            error = "New bribe: enter a whole number of basis points from 0 to 10,000.";
            return null;
        }
        if (bps is < 0 or > MaxBasisPoints)
        {
            error = "New bribe must be between 0 and 10,000 basis points (0 % to 100 %).";
            return null;
        }
        return bps;
    }

    private async Task SetBribeAsync()
    {
        _formError = null;
        if (ParseBps(out _bpsError) is not { } bps)
        {
            return;
        }
        if (!IsOwner)
        {
            _formError = $"Only the miner's owner ({_owner}) can set its bribe.";
            return;
        }
        if (await RunAsync(r => new TransactionRequest($"Set the bribe to {Shared.Formatting.BasisPoints(bps)}", r.Contracts.MinerStaking, ContractCalls.SetBribe(Miner.MinerChainId, bps))))
        {
            await OnChanged.InvokeAsync();
        }
    }

    private async Task RegisterAsync()
    {
        _formError = null;
        if (await RunAsync(r => new TransactionRequest($"Register {Miner.Summary.MinerId} on chain", r.Contracts.MinerStaking, ContractCalls.RegisterMiner(Miner.MinerChainId))))
        {
            await LoadAsync();
            await OnChanged.InvokeAsync();
        }
    }

    private async Task<bool> RunAsync(Func<Protocol.Api.Chain.ChainInfo, TransactionRequest> request)
    {
        if (await Reader.ChainAsync(_disposed.Token) is not { } chain)
        {
            _formError = "Could not learn the portal's chain; try again in a moment.";
            return false;
        }
        _running = true;
        try
        {
            var status = await Transactions.RunAsync(request(chain), s =>
            {
                _status = s;
                _ = InvokeAsync(StateHasChanged);
            }, _disposed.Token);
            return status.Stage == TransactionStage.Indexed;
        }
        finally
        {
            _running = false;
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
