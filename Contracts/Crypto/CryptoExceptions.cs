namespace Heurist.Contracts.Crypto;

/// <summary>A text is not a valid Ethereum address; the message says what is wrong with it.</summary>
public sealed class InvalidAddressException : FormatException
{
    public InvalidAddressException(string message) : base(message) { }
}

/// <summary>A signature is malformed, out of range, not in canonical low-s form, or recovers no public key.</summary>
public sealed class InvalidSignatureException : FormatException
{
    public InvalidSignatureException(string message) : base(message) { }
}

/// <summary>Bytes or hex that are not a valid secp256k1 private key. The message never contains the key.</summary>
public sealed class InvalidPrivateKeyException : ArgumentException
{
    public InvalidPrivateKeyException(string message) : base(message) { }
}
