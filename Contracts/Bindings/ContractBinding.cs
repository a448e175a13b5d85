using System.Numerics;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Rpc;

namespace Heurist.Contracts.Bindings;

/// <summary>
/// What every generated binding does underneath: encode a call with the contract's ABI, send it or read it,
/// decode the result, and turn a revert into a <see cref="ContractRevertedException"/> that names the error.
/// </summary>
public abstract class ContractBinding(EthereumRpcClient rpc, EthereumAddress address, ContractArtifact artifact)
{
    public EthereumAddress Address => address;

    public EthereumRpcClient Rpc => rpc;

    protected async Task<object?[]> CallAsync(string signature, object?[] args, string blockTag, CancellationToken cancellationToken)
    {
        var function = artifact.Abi.Function(signature);
        try
        {
            var output = await rpc.CallAsync(new CallRequest { To = address, Data = function.EncodeCall(args) }, blockTag, cancellationToken).ConfigureAwait(false);
            return function.DecodeOutput(output);
        }
        catch (ContractRevertException revert)
        {
            throw Reverted(function.Name, revert);
        }
    }

    protected async Task<TransactionReceipt> SendAsync(TransactionSender sender, string signature, object?[] args, BigInteger value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var function = artifact.Abi.Function(signature);
        try
        {
            return await sender.SendAsync(new TransactionRequest { To = address, Data = function.EncodeCall(args), Value = value }, cancellationToken).ConfigureAwait(false);
        }
        catch (ContractRevertException revert)
        {
            throw Reverted(function.Name, revert);
        }
    }

    /// <summary>The decoded arguments of each log of this contract, in the receipt, that is the event with this signature.</summary>
    protected IEnumerable<IReadOnlyDictionary<string, object?>> DecodeEvents(TransactionReceipt receipt, string signature)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var abiEvent = artifact.Abi.Event(signature);
        var topic0 = abiEvent.Topic0;
        return receipt.Logs
            .Where(log => log.Address == address && log.Topics.Count > 0 && log.Topics[0].AsSpan().SequenceEqual(topic0))
            .Select(log => abiEvent.DecodeLog(log.Topics, log.Data));
    }

    protected static async Task<EthereumAddress> DeployCoreAsync(
        TransactionSender sender, ContractArtifact artifact, object?[] args, BigInteger value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(artifact);
        var data = artifact.Abi.EncodeDeployment(artifact.Bytecode, args);
        try
        {
            var receipt = await sender.SendAsync(new TransactionRequest { Data = data, Value = value }, cancellationToken).ConfigureAwait(false);
            return receipt.ContractAddress
                ?? throw new InvalidOperationException($"Deploying {artifact.Name} produced no contract address (transaction {Hex.Encode(receipt.TransactionHash)}).");
        }
        catch (ContractRevertException revert)
        {
            throw new ContractRevertedException(artifact.Name, "constructor", ContractArtifacts.DecodeError(revert.RevertData, artifact.Abi), revert);
        }
    }

    private ContractRevertedException Reverted(string function, ContractRevertException revert)
        => new(artifact.Name, function, ContractArtifacts.DecodeError(revert.RevertData, artifact.Abi), revert);
}
