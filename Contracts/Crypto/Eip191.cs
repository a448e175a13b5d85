using System.Globalization;
using System.Text;

namespace Heurist.Contracts.Crypto;

/// <summary>EIP-191 version 0x45 ("personal_sign") message hashes.</summary>
public static class Eip191
{
    /// <summary>keccak256("\x19Ethereum Signed Message:\n" + decimal length + message).</summary>
    public static byte[] HashMessage(ReadOnlySpan<byte> message)
    {
        var prefix = Encoding.ASCII.GetBytes("\u0019Ethereum Signed Message:\n" + message.Length.ToString(CultureInfo.InvariantCulture));
        var buffer = new byte[prefix.Length + message.Length];
        prefix.CopyTo(buffer, 0);
        message.CopyTo(buffer.AsSpan(prefix.Length));
        return Keccak256.Hash(buffer);
    }

    /// <summary>The hash of the message's UTF-8 bytes; the length in the prefix counts bytes, not characters.</summary>
    public static byte[] HashMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return HashMessage(Encoding.UTF8.GetBytes(message));
    }
}
