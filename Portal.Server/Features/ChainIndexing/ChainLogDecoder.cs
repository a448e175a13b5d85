using Heurist.Contracts.Abi;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.Rpc;

namespace Heurist.Portal.Server.Features.ChainIndexing;

/// <summary>Decodes the logs of the contracts in a deployment manifest with their ABIs.</summary>
public sealed class ChainLogDecoder
{
    private readonly Dictionary<EthereumAddress, (string Contract, Dictionary<string, AbiEvent> EventsByTopic)> _contracts = [];

    public ChainLogDecoder(DeploymentManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (var (name, address) in manifest.Contracts.All())
        {
            var abi = ContractArtifacts.Get(name).Abi;
            _contracts[EthereumAddress.Parse(address)] = (name, abi.Events
                .Where(e => !e.Anonymous)
                .ToDictionary(e => Convert.ToHexStringLower(e.Topic0), e => e, StringComparer.Ordinal));
        }
        Addresses = [.. _contracts.Keys];
    }

    /// <summary>Every contract address, for the eth_getLogs filter.</summary>
    public IReadOnlyList<EthereumAddress> Addresses { get; }

    /// <summary>The decoded log, or null when it is not an event of a known contract (an event added in a later ABI).</summary>
    public DecodedChainEvent? Decode(LogEntry log, DateTimeOffset blockTime)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.Topics.Count == 0
            || !_contracts.TryGetValue(log.Address, out var contract)
            || !contract.EventsByTopic.TryGetValue(Convert.ToHexStringLower(log.Topics[0]), out var abiEvent))
        {
            return null;
        }
        return new DecodedChainEvent(
            contract.Contract,
            abiEvent.Name,
            abiEvent.DecodeLog(log.Topics, log.Data),
            checked((long)log.BlockNumber),
            checked((int)log.LogIndex),
            Heurist.Contracts.Hex.Encode(log.TransactionHash),
            blockTime);
    }
}
