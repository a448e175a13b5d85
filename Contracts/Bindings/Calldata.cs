using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Heurist.Contracts.Bindings;

/// <summary>Calldata from outside that does not encode exactly one call of the expected function.</summary>
public sealed class CalldataException(string message, Exception? inner = null) : FormatException(message, inner);

/// <summary>
/// Decodes calldata that users supply. Nethereum's decoder reads short input as zeros and ignores trailing bytes, so the
/// decoded call is encoded again and must give back exactly the input.
/// </summary>
public static class Calldata
{
    /// <exception cref="CalldataException">Another function's selector, too short, trailing bytes, or non-canonical encoding.</exception>
    public static TFunction Decode<TFunction>(ReadOnlySpan<byte> calldata) where TFunction : FunctionMessage, new()
    {
        var function = ABITypedRegistry.GetFunctionABI<TFunction>();
        if (calldata.Length < 4 || Convert.ToHexStringLower(calldata[..4]) != function.Sha3Signature)
        {
            throw new CalldataException($"The calldata is not a call of {function.Signature}: it does not start with the selector 0x{function.Sha3Signature}.");
        }
        TFunction decoded;
        try
        {
            decoded = new TFunction().DecodeInput(calldata.ToArray().ToHex(true));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new CalldataException($"The calldata of {function.Signature} does not decode: {ex.Message}", ex);
        }
        var encoded = decoded.GetCallData();
        if (!calldata.SequenceEqual(encoded))
        {
            throw new CalldataException(
                $"The calldata of {function.Signature} has {calldata.Length} bytes, but its arguments encode to {encoded.Length}: short, trailing or non-canonical input is refused.");
        }
        return decoded;
    }
}
