using System.Text;
using Heurist.Contracts.Crypto;

namespace Heurist.Contracts.Abi;

/// <summary>A contract function from an ABI.</summary>
public sealed class AbiFunction
{
    private readonly byte[] _selector;

    public AbiFunction(string name, IReadOnlyList<AbiParameter> inputs, IReadOnlyList<AbiParameter> outputs, string stateMutability = "nonpayable")
    {
        Name = name;
        Inputs = inputs;
        Outputs = outputs;
        StateMutability = stateMutability;
        Signature = AbiSignatures.Of(name, inputs);
        _selector = Keccak256.Hash(Encoding.ASCII.GetBytes(Signature))[..4];
    }

    public string Name { get; }
    public IReadOnlyList<AbiParameter> Inputs { get; }
    public IReadOnlyList<AbiParameter> Outputs { get; }

    /// <summary>"pure", "view", "nonpayable" or "payable".</summary>
    public string StateMutability { get; }

    /// <summary>The canonical signature, e.g. "transfer(address,uint256)".</summary>
    public string Signature { get; }

    /// <summary>The first 4 bytes of keccak256(<see cref="Signature"/>).</summary>
    public byte[] Selector => (byte[])_selector.Clone();

    /// <summary>Call data: the selector followed by the ABI encoding of <paramref name="args"/>.</summary>
    /// <exception cref="AbiEncodingException">An argument does not fit its parameter, or the count is wrong.</exception>
    public byte[] EncodeCall(params object?[] args) => [.. _selector, .. AbiEncoder.Encode(Inputs, args)];

    /// <summary>Decodes the arguments of call data that starts with this function's selector.</summary>
    public object?[] DecodeCall(ReadOnlySpan<byte> callData)
        => callData.Length >= 4 && callData[..4].SequenceEqual(_selector)
            ? AbiDecoder.Decode(Inputs, callData[4..])
            : throw new AbiDecodingException($"The call data does not start with the selector of {Signature} (0x{Convert.ToHexStringLower(_selector)}).");

    /// <summary>Decodes what eth_call returned for this function, in the order of <see cref="Outputs"/>.</summary>
    public object?[] DecodeOutput(ReadOnlySpan<byte> returnData) => AbiDecoder.Decode(Outputs, returnData);

    public override string ToString() => Signature;
}

/// <summary>A contract event from an ABI.</summary>
public sealed class AbiEvent
{
    private readonly byte[] _topic0;

    public AbiEvent(string name, IReadOnlyList<AbiParameter> parameters, bool anonymous = false)
    {
        Name = name;
        Parameters = parameters;
        Anonymous = anonymous;
        Signature = AbiSignatures.Of(name, parameters);
        _topic0 = Keccak256.Hash(Encoding.ASCII.GetBytes(Signature));
    }

    public string Name { get; }
    public IReadOnlyList<AbiParameter> Parameters { get; }

    /// <summary>An anonymous event has no topic 0; its topics are its indexed parameters only.</summary>
    public bool Anonymous { get; }

    /// <summary>The canonical signature, e.g. "Transfer(address,address,uint256)".</summary>
    public string Signature { get; }

    /// <summary>keccak256(<see cref="Signature"/>): the first topic of a non-anonymous event's logs.</summary>
    public byte[] Topic0 => (byte[])_topic0.Clone();

    /// <summary>
    /// Decodes a log of this event into its parameters by name (by position, "0", "1", …, where a parameter has no name).
    /// Indexed parameters come from the topics: value types decode, while strings, bytes, arrays and tuples give the
    /// 32-byte keccak hash that the topic holds. The others are decoded from <paramref name="data"/>.
    /// </summary>
    /// <exception cref="AbiDecodingException">Topic 0 is another event's, the topic count is wrong, or the data does not decode.</exception>
    public IReadOnlyDictionary<string, object?> DecodeLog(IReadOnlyList<byte[]> topics, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(data);
        var first = 0;
        if (!Anonymous)
        {
            if (topics.Count == 0 || !topics[0].AsSpan().SequenceEqual(_topic0))
            {
                throw new AbiDecodingException($"The log is not a {Signature} event: its topic 0 is {(topics.Count == 0 ? "missing" : Hex.Encode(topics[0]))}.");
            }
            first = 1;
        }
        var indexed = Parameters.Where(p => p.Indexed).ToList();
        if (topics.Count - first != indexed.Count)
        {
            throw new AbiDecodingException($"{Signature} has {indexed.Count} indexed parameter(s), but the log has {topics.Count - first} topic(s) for them.");
        }
        var dataValues = AbiDecoder.Decode(Parameters.Where(p => !p.Indexed).ToList(), data);
        var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        int topic = first, dataIndex = 0;
        for (var i = 0; i < Parameters.Count; i++)
        {
            var parameter = Parameters[i];
            object? value;
            if (!parameter.Indexed)
            {
                value = dataValues[dataIndex++];
            }
            else
            {
                var word = topics[topic++];
                if (word.Length != 32)
                {
                    throw new AbiDecodingException($"Topic {topic - 1} of the log has {word.Length} bytes, not 32.");
                }
                value = AbiSignatures.IsValueType(parameter.Type) ? AbiDecoder.DecodeWord(parameter.Type, word) : word.ToArray();
            }
            result[AbiSignatures.KeyOf(parameter, i)] = value;
        }
        return result;
    }

    public override string ToString() => Signature;
}

/// <summary>A custom error from an ABI.</summary>
public sealed class AbiError
{
    private readonly byte[] _selector;

    public AbiError(string name, IReadOnlyList<AbiParameter> inputs)
    {
        Name = name;
        Inputs = inputs;
        Signature = AbiSignatures.Of(name, inputs);
        _selector = Keccak256.Hash(Encoding.ASCII.GetBytes(Signature))[..4];
    }

    /// <summary>The built-in Error(string) that require and revert with a message produce.</summary>
    public static AbiError ErrorString { get; } = new("Error", [new AbiParameter("message", AbiType.String)]);

    /// <summary>The built-in Panic(uint256) of failed asserts, overflow, division by zero and the like.</summary>
    public static AbiError Panic { get; } = new("Panic", [new AbiParameter("code", AbiType.UInt256)]);

    public string Name { get; }
    public IReadOnlyList<AbiParameter> Inputs { get; }

    /// <summary>The canonical signature, e.g. "InsufficientBalance(uint256,uint256)".</summary>
    public string Signature { get; }

    /// <summary>The first 4 bytes of keccak256(<see cref="Signature"/>): how revert data starts.</summary>
    public byte[] Selector => (byte[])_selector.Clone();

    /// <summary>Revert data for this error with the given arguments, as a contract's revert would produce.</summary>
    public byte[] Encode(params object?[] args) => [.. _selector, .. AbiEncoder.Encode(Inputs, args)];

    /// <summary>Decodes revert data of this error into its arguments by name.</summary>
    /// <exception cref="AbiDecodingException">Another error's selector, or arguments that do not decode.</exception>
    public IReadOnlyDictionary<string, object?> Decode(ReadOnlySpan<byte> revertData)
    {
        if (revertData.Length < 4 || !revertData[..4].SequenceEqual(_selector))
        {
            throw new AbiDecodingException($"The revert data does not start with the selector of {Signature}.");
        }
        var values = AbiDecoder.Decode(Inputs, revertData[4..]);
        var result = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < Inputs.Count; i++)
        {
            result[AbiSignatures.KeyOf(Inputs[i], i)] = values[i];
        }
        return result;
    }

    internal bool Matches(ReadOnlySpan<byte> revertData) => revertData.Length >= 4 && revertData[..4].SequenceEqual(_selector);

    public override string ToString() => Signature;
}

/// <summary>A contract's constructor from an ABI.</summary>
public sealed class AbiConstructor(IReadOnlyList<AbiParameter> inputs, string stateMutability = "nonpayable")
{
    public IReadOnlyList<AbiParameter> Inputs { get; } = inputs;

    public string StateMutability { get; } = stateMutability;
}

/// <summary>
/// Revert data decoded with an ABI. <see cref="IsKnown"/> is false when no error of the ABI (nor Error(string) or
/// Panic(uint256)) matches; <see cref="Name"/> and <see cref="Signature"/> are then null.
/// </summary>
public sealed record DecodedError(string? Name, string? Signature, IReadOnlyDictionary<string, object?> Arguments)
{
    /// <summary>The revert data as it came.</summary>
    public required byte[] Data { get; init; }

    public bool IsKnown => Name is not null;

    /// <summary>One line for logs and messages, e.g. Error("not the owner"), Panic(0x11: arithmetic overflow or underflow).</summary>
    public string Description { get; init; } = "";

    public override string ToString() => Description;
}

internal static class AbiSignatures
{
    public static string Of(string name, IEnumerable<AbiParameter> parameters)
        => name + "(" + string.Join(",", parameters.Select(p => p.Type.CanonicalName)) + ")";

    public static string KeyOf(AbiParameter parameter, int index)
        => parameter.Name.Length > 0 ? parameter.Name : index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // Indexed parameters of these types are stored in the topic as they are; all others are stored as a hash.
    public static bool IsValueType(AbiType type)
        => type.Kind is AbiTypeKind.Address or AbiTypeKind.Bool or AbiTypeKind.UInt or AbiTypeKind.Int or AbiTypeKind.FixedBytes;
}
