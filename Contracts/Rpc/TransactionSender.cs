using System.Numerics;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Transactions;

namespace Heurist.Contracts.Rpc;

/// <summary>What to send; members left null are filled in by <see cref="TransactionSender"/>.</summary>
public sealed record TransactionRequest
{
    /// <summary>The recipient; null deploys <see cref="Data"/> as a contract.</summary>
    public EthereumAddress? To { get; init; }

    public BigInteger Value { get; init; }

    public byte[] Data { get; init; } = [];

    /// <summary>When null: eth_estimateGas × 1.2.</summary>
    public ulong? GasLimit { get; init; }

    /// <summary>When null: the account's pending transaction count.</summary>
    public ulong? Nonce { get; init; }

    /// <summary>When null: eth_maxPriorityFeePerGas.</summary>
    public BigInteger? MaxPriorityFeePerGas { get; init; }

    /// <summary>When null: twice the latest base fee plus the priority fee.</summary>
    public BigInteger? MaxFeePerGas { get; init; }

    public IReadOnlyList<AccessListEntry> AccessList { get; init; } = [];
}

/// <summary>
/// Sends EIP-1559 transactions from one key: fills nonce, fees and gas, signs, sends, and waits for the receipt.
/// A revert, at estimation or once mined, surfaces as <see cref="ContractRevertException"/> with the revert data.
/// </summary>
public sealed class TransactionSender
{
    private readonly EthereumRpcClient _client;
    private readonly EthereumKey _key;
    private ulong? _chainId;

    public TransactionSender(EthereumRpcClient client, EthereumKey key)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(key);
        _client = client;
        _key = key;
    }

    /// <summary>The sending account.</summary>
    public EthereumAddress Address => _key.Address;

    /// <summary>How long to wait between receipt polls.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long to wait for the receipt before giving up with a <see cref="TimeoutException"/>.</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Deploys a contract from its deployment data (bytecode and encoded constructor arguments).</summary>
    public Task<TransactionReceipt> DeployAsync(byte[] deploymentData, CancellationToken cancellationToken = default)
        => SendAsync(new TransactionRequest { Data = deploymentData }, cancellationToken);

    /// <summary>Fills, signs and sends the transaction and returns its receipt once mined with status 1.</summary>
    /// <exception cref="ContractRevertException">Gas estimation reverted, or the mined transaction has status 0.</exception>
    /// <exception cref="TimeoutException">No receipt within <see cref="ReceiptTimeout"/>.</exception>
    public async Task<TransactionReceipt> SendAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        var signed = await SignAsync(request, cancellationToken).ConfigureAwait(false);
        await _client.SendRawTransactionAsync(signed.Signed.Raw, cancellationToken).ConfigureAwait(false);
        var receipt = await WaitForReceiptAsync(signed.Signed.Hash, cancellationToken).ConfigureAwait(false);
        if (!receipt.Succeeded)
        {
            throw await ExplainFailureAsync(signed.Transaction, signed.Signed.Hash, receipt, cancellationToken).ConfigureAwait(false);
        }
        return receipt;
    }

    /// <summary>Fills in and signs the transaction without sending it.</summary>
    public async Task<(Eip1559Transaction Transaction, SignedTransaction Signed)> SignAsync(TransactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        _chainId ??= await _client.GetChainIdAsync(cancellationToken).ConfigureAwait(false);
        var nonce = request.Nonce ?? await _client.GetTransactionCountAsync(Address, BlockTag.Pending, cancellationToken).ConfigureAwait(false);
        var priorityFee = request.MaxPriorityFeePerGas ?? await _client.MaxPriorityFeePerGasAsync(cancellationToken).ConfigureAwait(false);
        var maxFee = request.MaxFeePerGas;
        if (maxFee is null)
        {
            var latest = await _client.GetBlockAsync(BlockTag.Latest, cancellationToken).ConfigureAwait(false);
            // Twice the base fee keeps the transaction includable through several full blocks of base-fee increases.
            maxFee = latest?.BaseFeePerGas is { } baseFee
                ? 2 * baseFee + priorityFee
                : await _client.GasPriceAsync(cancellationToken).ConfigureAwait(false);
        }
        var gasLimit = request.GasLimit;
        if (gasLimit is null)
        {
            var estimate = await _client.EstimateGasAsync(new CallRequest
            {
                From = Address,
                To = request.To,
                Data = request.Data,
                Value = request.Value,
            }, cancellationToken).ConfigureAwait(false);
            gasLimit = estimate + (estimate + 4) / 5;
        }
        var transaction = new Eip1559Transaction
        {
            ChainId = _chainId.Value,
            Nonce = nonce,
            MaxPriorityFeePerGas = priorityFee,
            MaxFeePerGas = BigInteger.Max(maxFee.Value, priorityFee),
            GasLimit = gasLimit.Value,
            To = request.To,
            Value = request.Value,
            Data = request.Data,
            AccessList = request.AccessList,
        };
        return (transaction, transaction.Sign(_key));
    }

    /// <summary>Polls eth_getTransactionReceipt until the transaction is mined.</summary>
    /// <exception cref="TimeoutException">No receipt within <see cref="ReceiptTimeout"/>.</exception>
    public async Task<TransactionReceipt> WaitForReceiptAsync(byte[] transactionHash, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReceiptTimeout);
        try
        {
            while (true)
            {
                var receipt = await _client.GetTransactionReceiptAsync(transactionHash, timeout.Token).ConfigureAwait(false);
                if (receipt is not null)
                {
                    return receipt;
                }
                await Task.Delay(PollInterval, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Transaction {Hex.Encode(transactionHash)} was not mined within {ReceiptTimeout.TotalSeconds:0} s.");
        }
    }

    // A receipt has no revert data, so the transaction is replayed as a call on the state before its block, which is
    // exactly its pre-state when it was the block's first transaction (always so with anvil's automine).
    private async Task<ContractRevertException> ExplainFailureAsync(
        Eip1559Transaction transaction, byte[] hash, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        var operation = $"transaction {Hex.Encode(hash)}";
        var replay = new CallRequest
        {
            From = Address,
            To = transaction.To,
            Data = transaction.Data,
            Value = transaction.Value,
            Gas = transaction.GasLimit,
        };
        try
        {
            await _client.CallAsync(replay, BlockTag.Number(receipt.BlockNumber - 1), cancellationToken).ConfigureAwait(false);
            return new ContractRevertException(operation, [], "status 0; replaying it as a call did not revert, so the revert data is unknown", hash, receipt);
        }
        catch (ContractRevertException revert)
        {
            return new ContractRevertException(operation, revert.RevertData, null, hash, receipt, revert);
        }
        catch (JsonRpcErrorException error)
        {
            return new ContractRevertException(operation, [], $"status 0; replaying it failed with: {error.RpcMessage}", hash, receipt, error);
        }
    }
}
