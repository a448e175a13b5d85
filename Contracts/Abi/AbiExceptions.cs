namespace Heurist.Contracts.Abi;

/// <summary>A value cannot be encoded as its ABI type; the message names the parameter, its type and the problem.</summary>
public sealed class AbiEncodingException : ArgumentException
{
    public AbiEncodingException(string parameter, string type, string problem)
        : base($"{parameter} ({type}): {problem}")
    {
        Parameter = parameter;
        AbiType = type;
    }

    /// <summary>The path of the offending value, e.g. "order.items[2]" or "#1".</summary>
    public string Parameter { get; }

    /// <summary>The ABI type the value was to be encoded as.</summary>
    public string AbiType { get; }
}

/// <summary>Bytes that are not a valid ABI encoding of the types asked for.</summary>
public sealed class AbiDecodingException : FormatException
{
    public AbiDecodingException(string message) : base(message) { }
}
