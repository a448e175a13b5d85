using Heurist.Contracts.Crypto;
using Heurist.Protocol.Governance;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Heurist.Contracts.Governance;

/// <summary>
/// The id of a signed Snapshot message: the EIP-712 digest of its typed data, which is also what its signer signed.
/// It equals snapshot.js's <c>utils.getHash(data)</c> and so the id Snapshot's sequencer answers with.
/// </summary>
public static class SnapshotMessageIds
{
    /// <summary>The 32-byte digest of <paramref name="envelope"/>'s typed data.</summary>
    /// <exception cref="TypedDataException">The typed data cannot be hashed (an address-typed member that breaks its checksum, say).</exception>
    public static byte[] Digest(SnapshotEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return TypedDataJson.Hash(envelope.TypedData);
    }

    /// <summary>The message id: the digest as lowercase 0x-hex (66 characters).</summary>
    /// <exception cref="TypedDataException">See <see cref="Digest"/>.</exception>
    public static string Of(SnapshotEnvelope envelope) => Digest(envelope).ToHex(true);
}
