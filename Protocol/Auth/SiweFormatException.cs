namespace Heurist.Protocol.Auth;

/// <summary>The part of an EIP-4361 message a format error is about.</summary>
public enum SiweField
{
    /// <summary>The message as a whole: its lines, blank lines, order and end.</summary>
    Message,
    Scheme,
    Domain,
    /// <summary>" wants you to sign in with your Ethereum account:" at the end of the first line.</summary>
    Preamble,
    Address,
    Statement,
    Uri,
    Version,
    ChainId,
    Nonce,
    IssuedAt,
    ExpirationTime,
    NotBefore,
    RequestId,
    Resources,
}

/// <summary>
/// A text that does not follow the EIP-4361 grammar. The message names the field and the line, for example
/// "Chain ID: '0x1' is not a decimal number (line 7)."
/// </summary>
public sealed class SiweFormatException : Exception
{
    public SiweFormatException(SiweField field, int line, string message) : base(message)
    {
        Field = field;
        Line = line;
    }

    public SiweFormatException() : this(SiweField.Message, 0, "The text is not an EIP-4361 message.") { }

    public SiweFormatException(string message) : this(SiweField.Message, 0, message) { }

    public SiweFormatException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The field that is wrong or missing.</summary>
    public SiweField Field { get; }

    /// <summary>The 1-based line it is on (or would be on, when missing); 0 when unknown.</summary>
    public int Line { get; }
}
