namespace Heurist.Contracts.Crypto;

/// <summary>A signature from outside is malformed, out of range, not in canonical low-s form, or recovers no public key.</summary>
public sealed class InvalidSignatureException : FormatException
{
    public InvalidSignatureException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>Typed data that cannot be hashed: not the JSON of eth_signTypedData_v4, an unknown or refused type, or a value that does not fit its type.</summary>
public sealed class TypedDataException : FormatException
{
    public TypedDataException(string message, Exception? inner = null) : base(message, inner) { }
}
