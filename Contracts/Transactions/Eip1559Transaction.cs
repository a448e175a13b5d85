using System.Numerics;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Rlp;

namespace Heurist.Contracts.Transactions;

/// <summary>An address and the storage slots of it that a transaction declares it will touch (EIP-2930).</summary>
public sealed record AccessListEntry(EthereumAddress Address, IReadOnlyList<byte[]> StorageKeys);

/// <summary>A signed transaction ready for eth_sendRawTransaction, and its hash.</summary>
public sealed record SignedTransaction(byte[] Raw, byte[] Hash);

/// <summary>A signed transaction taken apart: the transaction, who signed it, and the signature.</summary>
public sealed record DecodedTransaction(Eip1559Transaction Transaction, EthereumAddress Sender, EthereumSignature Signature);

/// <summary>Bytes that are not a well-formed signed type-2 transaction.</summary>
public sealed class TransactionFormatException : FormatException
{
    public TransactionFormatException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>An EIP-1559 (type 0x02) transaction.</summary>
public sealed record Eip1559Transaction
{
    /// <summary>The EIP-2718 type byte of EIP-1559 transactions.</summary>
    public const byte Type = 0x02;

    public required ulong ChainId { get; init; }
    public required ulong Nonce { get; init; }
    public required BigInteger MaxPriorityFeePerGas { get; init; }
    public required BigInteger MaxFeePerGas { get; init; }
    public required ulong GasLimit { get; init; }

    /// <summary>The recipient; null creates a contract from <see cref="Data"/>.</summary>
    public EthereumAddress? To { get; init; }

    public BigInteger Value { get; init; }

    public byte[] Data { get; init; } = [];

    public IReadOnlyList<AccessListEntry> AccessList { get; init; } = [];

    /// <summary>keccak256(0x02 ‖ rlp([chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList])).</summary>
    public byte[] SigningHash() => Keccak256.Hash([Type, .. RlpCodec.Encode(new RlpList(Fields()))]);

    /// <summary>Signs with <paramref name="key"/> and returns the type-2 envelope and its transaction hash.</summary>
    public SignedTransaction Sign(EthereumKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WithSignature(key.Sign(SigningHash()));
    }

    /// <summary>The type-2 envelope with a signature made elsewhere (a wallet, a remote signer).</summary>
    public SignedTransaction WithSignature(EthereumSignature signature)
    {
        var fields = Fields();
        fields.Add(RlpString.FromInteger(signature.RecoveryId));
        fields.Add(RlpString.FromInteger(signature.R));
        fields.Add(RlpString.FromInteger(signature.S));
        byte[] raw = [Type, .. RlpCodec.Encode(new RlpList(fields))];
        return new SignedTransaction(raw, Keccak256.Hash(raw));
    }

    /// <summary>Decodes a signed type-2 transaction and recovers its sender.</summary>
    /// <exception cref="TransactionFormatException">Not a type-2 transaction, malformed RLP, or an invalid signature.</exception>
    public static DecodedTransaction DecodeSigned(ReadOnlySpan<byte> raw)
    {
        if (raw.Length == 0 || raw[0] != Type)
        {
            throw new TransactionFormatException($"Not an EIP-1559 transaction: the first byte must be 0x02, got {(raw.Length == 0 ? "nothing" : $"0x{raw[0]:x2}")}.");
        }
        try
        {
            var fields = RlpCodec.Decode(raw[1..]).AsList();
            if (fields.Count != 12)
            {
                throw new TransactionFormatException($"A signed EIP-1559 transaction has 12 fields, got {fields.Count}.");
            }
            var to = fields[5].AsBytes();
            if (to.Length is not (0 or EthereumAddress.Length))
            {
                throw new TransactionFormatException($"The 'to' field has {to.Length} bytes; expected 20, or none for a contract creation.");
            }
            var transaction = new Eip1559Transaction
            {
                ChainId = fields[0].AsUInt64(),
                Nonce = fields[1].AsUInt64(),
                MaxPriorityFeePerGas = fields[2].AsInteger(),
                MaxFeePerGas = fields[3].AsInteger(),
                GasLimit = fields[4].AsUInt64(),
                To = to.Length == 0 ? null : new EthereumAddress(to),
                Value = fields[6].AsInteger(),
                Data = fields[7].AsBytes(),
                AccessList = fields[8].AsList().Select(DecodeAccessListEntry).ToList(),
            };
            var yParity = fields[9].AsInteger();
            if (yParity > 1)
            {
                throw new TransactionFormatException($"The y parity must be 0 or 1, got {yParity}.");
            }
            var signature = new EthereumSignature(fields[10].AsInteger(), fields[11].AsInteger(), 27 + (int)yParity);
            return new DecodedTransaction(transaction, Signer.Recover(transaction.SigningHash(), signature), signature);
        }
        catch (RlpException ex)
        {
            throw new TransactionFormatException($"Malformed EIP-1559 transaction: {ex.Message}", ex);
        }
        catch (InvalidSignatureException ex)
        {
            throw new TransactionFormatException($"EIP-1559 transaction with an invalid signature: {ex.Message}", ex);
        }
    }

    private List<RlpItem> Fields() =>
    [
        RlpString.FromInteger(ChainId),
        RlpString.FromInteger(Nonce),
        RlpString.FromInteger(MaxPriorityFeePerGas),
        RlpString.FromInteger(MaxFeePerGas),
        RlpString.FromInteger(GasLimit),
        new RlpString(To is { } to ? to.Bytes : []),
        RlpString.FromInteger(Value),
        new RlpString(Data),
        new RlpList(AccessList.Select(entry => new RlpList(
            new RlpString(entry.Address.Bytes),
            new RlpList(entry.StorageKeys.Select(key => key.Length == 32
                ? new RlpString(key)
                : throw new ArgumentException($"A storage key has 32 bytes, got {key.Length}."))))))
    ];

    private static AccessListEntry DecodeAccessListEntry(RlpItem item)
    {
        var parts = item.AsList();
        if (parts.Count != 2)
        {
            throw new TransactionFormatException("An access list entry must be [address, [storageKeys]].");
        }
        var address = parts[0].AsBytes();
        if (address.Length != EthereumAddress.Length)
        {
            throw new TransactionFormatException($"An access list address has {address.Length} bytes, not 20.");
        }
        var keys = parts[1].AsList().Select(k => k.AsBytes()).ToList();
        if (keys.Any(k => k.Length != 32))
        {
            throw new TransactionFormatException("An access list storage key is not 32 bytes.");
        }
        return new AccessListEntry(new EthereumAddress(address), keys);
    }
}
