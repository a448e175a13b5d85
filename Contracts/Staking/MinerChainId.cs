using System.Text;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;

namespace Heurist.Contracts.Staking;

/// <summary>
/// A miner's id on chain: MinerStaking keys miners by bytes32, and a worker's miner id ("rig-4090-01") maps to the
/// keccak256 of its UTF-8 bytes, so anyone can stake on a miner knowing only its name.
/// </summary>
public static class MinerChainId
{
    public static byte[] Bytes(string minerId)
    {
        ArgumentNullException.ThrowIfNull(minerId);
        return Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(minerId));
    }

    /// <summary>Lowercase 0x-hex, as the indexer stores bytes32 values.</summary>
    public static string Of(string minerId) => Bytes(minerId).ToHex(true);
}
