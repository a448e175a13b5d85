using Heurist.Contracts.Bindings;
using Heurist.Contracts.Deployment;
using Nethereum.ABI.Model;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;

namespace Heurist.Portal.Server.Features.ChainIndexing;

/// <summary>
/// Decodes the logs of the contracts in a deployment manifest with Nethereum's event ABIs from our artifacts. The event
/// history keeps every event's arguments by name, so one generic decoding covers every event of every contract.
/// </summary>
public sealed class ChainLogDecoder
{
    private readonly Dictionary<string, (string Contract, Dictionary<string, EventABI> EventsByTopic)> _contracts = new(StringComparer.OrdinalIgnoreCase);

    public ChainLogDecoder(DeploymentManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        foreach (var (name, address) in manifest.Contracts.All())
        {
            var abi = ContractArtifacts.Get(name).Abi;
            _contracts[address] = (name, abi.Events
                .Where(e => !e.IsAnonymous)
                .ToDictionary(e => "0x" + e.Sha3Signature, e => e, StringComparer.OrdinalIgnoreCase));
        }
        Addresses = [.. _contracts.Keys];
    }

    /// <summary>Every contract address, for the eth_getLogs filter.</summary>
    public string[] Addresses { get; }

    /// <summary>The decoded log, or null when it is not an event of a known contract (an event added in a later ABI).</summary>
    public DecodedChainEvent? Decode(FilterLog log, DateTimeOffset blockTime)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.Topics is not { Length: > 0 }
            || !_contracts.TryGetValue(log.Address, out var contract)
            || !contract.EventsByTopic.TryGetValue(log.Topics[0].ToString()!, out var abiEvent))
        {
            return null;
        }
        var arguments = abiEvent.DecodeEventDefaultTopics(log).Event
            .ToDictionary(p => p.Parameter.Name, p => (object?)p.Result, StringComparer.Ordinal);
        return new DecodedChainEvent(
            contract.Contract,
            abiEvent.Name,
            arguments,
            checked((long)log.BlockNumber.Value),
            checked((int)log.LogIndex.Value),
            log.TransactionHash.HexToByteArray().ToHex(true),
            blockTime);
    }
}
