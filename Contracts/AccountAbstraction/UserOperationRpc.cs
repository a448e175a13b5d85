using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Heurist.Contracts.Bindings;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Heurist.Contracts.AccountAbstraction;

/// <summary>
/// The JSON-RPC form of a v0.7/v0.8 user operation (ERC-7769): the packed fields spread out, hex quantities, and
/// factory/paymaster omitted when there is none. Bundlers take and give operations only in this form.
/// </summary>
public static class UserOperationRpc
{
    public static JsonObject ToJson(PackedUserOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var (verificationGasLimit, callGasLimit) = UnpackUInt128Pair(operation.AccountGasLimits);
        var (maxPriorityFeePerGas, maxFeePerGas) = UnpackUInt128Pair(operation.GasFees);
        var json = new JsonObject
        {
            ["sender"] = operation.Sender,
            ["nonce"] = Quantity(operation.Nonce),
            ["callData"] = operation.CallData.ToHex(true),
            ["callGasLimit"] = Quantity(callGasLimit),
            ["verificationGasLimit"] = Quantity(verificationGasLimit),
            ["preVerificationGas"] = Quantity(operation.PreVerificationGas),
            ["maxFeePerGas"] = Quantity(maxFeePerGas),
            ["maxPriorityFeePerGas"] = Quantity(maxPriorityFeePerGas),
            ["signature"] = operation.Signature.ToHex(true),
        };
        if (operation.InitCode.Length >= 20)
        {
            json["factory"] = operation.InitCode.AsSpan(0, 20).ToArray().ToHex(true);
            json["factoryData"] = operation.InitCode.AsSpan(20).ToArray().ToHex(true);
        }
        if (operation.PaymasterAndData.Length >= 52)
        {
            var data = operation.PaymasterAndData;
            var (paymasterVerificationGasLimit, paymasterPostOpGasLimit) = UnpackUInt128Pair(data.AsSpan(20, 32).ToArray());
            json["paymaster"] = data.AsSpan(0, 20).ToArray().ToHex(true);
            json["paymasterVerificationGasLimit"] = Quantity(paymasterVerificationGasLimit);
            json["paymasterPostOpGasLimit"] = Quantity(paymasterPostOpGasLimit);
            json["paymasterData"] = data.AsSpan(52).ToArray().ToHex(true);
        }
        return json;
    }

    /// <summary>The high and low halves of a packed bytes32 (accountGasLimits, gasFees, the paymaster's gas limits).</summary>
    public static (BigInteger High, BigInteger Low) UnpackUInt128Pair(byte[] packed)
    {
        ArgumentNullException.ThrowIfNull(packed);
        if (packed.Length != 32)
        {
            throw new ArgumentException($"A packed pair is 32 bytes, not {packed.Length}.", nameof(packed));
        }
        return (new BigInteger(packed.AsSpan(0, 16), isUnsigned: true, isBigEndian: true),
            new BigInteger(packed.AsSpan(16, 16), isUnsigned: true, isBigEndian: true));
    }

    public static string Quantity(BigInteger value) => value.IsZero ? "0x0" : "0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');

    /// <summary>Reads a hex quantity ("0x1a"); a missing or malformed one is an error of the bundler's answer.</summary>
    public static BigInteger ParseQuantity(JsonNode? node, string field)
    {
        var text = node?.GetValue<string>();
        if (text is null || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            || !BigInteger.TryParse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"The bundler's answer has no hex quantity in '{field}' (got '{text}').");
        }
        return value;
    }
}
