using System.Numerics;
using Heurist.Contracts.Rpc;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;

namespace Heurist.Contracts.Bindings;

/// <summary>
/// What every generated contract service does with Nethereum's contract handlers: query, send from a signing
/// <see cref="IWeb3"/> and wait for the receipt, read the contract's events from a receipt, deploy; and turn every
/// revert into a <see cref="ContractRevertedException"/> that names the custom error from our ABIs.
/// </summary>
public abstract class ContractService(IWeb3 web3, string address, string contractName)
{
    /// <summary>The contract's address, EIP-55 checksummed.</summary>
    public string Address { get; } = AddressUtil.Current.ConvertToChecksumAddress(address);

    /// <summary>The client reads go through.</summary>
    public IWeb3 Web3 => web3;

    protected async Task<TOutput> QueryAsync<TFunction, TOutput>(TFunction function, BlockParameter? block)
        where TFunction : FunctionMessage, new()
    {
        try
        {
            return await web3.Eth.GetContractQueryHandler<TFunction>().QueryAsync<TOutput>(Address, function, block).ConfigureAwait(false);
        }
        catch (Exception ex) when (ChainRpc.TryGetRevertData(ex, out var data))
        {
            throw Reverted<TFunction>(data, null, ex);
        }
    }

    protected async Task<TOutput> QueryDtoAsync<TFunction, TOutput>(TFunction function, BlockParameter? block)
        where TFunction : FunctionMessage, new()
        where TOutput : IFunctionOutputDTO, new()
    {
        try
        {
            return await web3.Eth.GetContractQueryHandler<TFunction>().QueryDeserializingToObjectAsync<TOutput>(function, Address, block).ConfigureAwait(false);
        }
        catch (Exception ex) when (ChainRpc.TryGetRevertData(ex, out var data))
        {
            throw Reverted<TFunction>(data, null, ex);
        }
    }

    /// <summary>
    /// Sends <paramref name="function"/> from <paramref name="sender"/>'s account and returns the receipt once mined with
    /// status 1. A gas limit set on the message skips estimation.
    /// </summary>
    /// <exception cref="ContractRevertedException">Gas estimation reverted, or the mined transaction has status 0.</exception>
    public async Task<TransactionReceipt> SendAsync<TFunction>(IWeb3 sender, TFunction function, CancellationToken cancellationToken = default)
        where TFunction : FunctionMessage, new()
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(function);
        var handler = sender.Eth.GetContractTransactionHandler<TFunction>();
        TransactionReceipt receipt;
        try
        {
            // Nethereum sends the bare estimate; a fifth more keeps calls whose gas use depends on the gas left
            // (the EntryPoint's 63/64 checks) from failing on the margin.
            function.Gas ??= WithMargin(await handler.EstimateGasAsync(Address, function).ConfigureAwait(false));
            receipt = await handler.SendRequestAndWaitForReceiptAsync(Address, function, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ChainRpc.TryGetRevertData(ex, out var data))
        {
            throw Reverted<TFunction>(data, null, ex);
        }
        if (receipt.Status?.Value != 1)
        {
            var callInput = function.CreateCallInput(Address);
            callInput.From = sender.TransactionManager.Account.Address;
            throw Reverted<TFunction>(await ReplayAsync(callInput, receipt).ConfigureAwait(false), receipt, null);
        }
        return receipt;
    }

    /// <summary>The events of type <typeparamref name="TEvent"/> that this contract emitted in the transaction.</summary>
    protected IReadOnlyList<TEvent> Events<TEvent>(TransactionReceipt receipt) where TEvent : IEventDTO, new()
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return [.. receipt.DecodeAllEvents<TEvent>()
            .Where(e => AddressUtil.Current.AreAddressesTheSame(e.Log.Address, Address))
            .Select(e => e.Event)];
    }

    /// <summary>Deploys a contract and returns its address once mined.</summary>
    protected static async Task<string> DeployCoreAsync<TDeployment>(IWeb3 sender, TDeployment deployment, string contractName, CancellationToken cancellationToken)
        where TDeployment : ContractDeploymentMessage, new()
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(deployment);
        var handler = sender.Eth.GetContractDeploymentHandler<TDeployment>();
        try
        {
            deployment.Gas ??= WithMargin(await handler.EstimateGasAsync(deployment).ConfigureAwait(false));
            var receipt = await handler.SendRequestAndWaitForReceiptAsync(deployment, cancellationToken).ConfigureAwait(false);
            if (receipt.Status?.Value != 1 || receipt.ContractAddress is null)
            {
                throw new ContractRevertedException(contractName, "constructor", ContractArtifacts.DecodeError([]), receipt, null);
            }
            return AddressUtil.Current.ConvertToChecksumAddress(receipt.ContractAddress);
        }
        catch (Exception ex) when (ChainRpc.TryGetRevertData(ex, out var data))
        {
            throw new ContractRevertedException(contractName, "constructor", ContractArtifacts.DecodeError(data), null, ex);
        }
    }

    private static HexBigInteger WithMargin(HexBigInteger estimate) => new(estimate.Value + (estimate.Value + 4) / 5);

    // A receipt has no revert data, so the transaction is replayed as a call on the state before its block, which is
    // exactly its pre-state when it was the block's first transaction (always so with anvil's automine).
    private async Task<byte[]> ReplayAsync(CallInput call, TransactionReceipt receipt)
    {
        try
        {
            await web3.Eth.Transactions.Call.SendRequestAsync(call, new BlockParameter(new HexBigInteger(receipt.BlockNumber.Value - BigInteger.One))).ConfigureAwait(false);
            return [];
        }
        catch (Exception ex) when (ChainRpc.TryGetRevertData(ex, out var data))
        {
            return data;
        }
    }

    private ContractRevertedException Reverted<TFunction>(byte[] data, TransactionReceipt? receipt, Exception? inner)
        where TFunction : FunctionMessage, new()
        => new(contractName, ABITypedRegistry.GetFunctionABI<TFunction>().Name, ContractArtifacts.DecodeError(data), receipt, inner);
}
