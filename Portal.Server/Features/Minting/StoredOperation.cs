using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Heurist.Contracts.Bindings;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Heurist.Portal.Server.Features.Minting;

/// <summary>A prepared user operation as the mint_requests row keeps it: every field as 0x-hex, the signature left out.</summary>
public static class StoredOperation
{
    private sealed record Fields(
        string Sender, string Nonce, string InitCode, string CallData, string AccountGasLimits,
        string PreVerificationGas, string GasFees, string PaymasterAndData);

    public static string ToJson(PackedUserOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return JsonSerializer.Serialize(new Fields(
            operation.Sender,
            "0x" + operation.Nonce.ToString("x", CultureInfo.InvariantCulture),
            operation.InitCode.ToHex(true),
            operation.CallData.ToHex(true),
            operation.AccountGasLimits.ToHex(true),
            "0x" + operation.PreVerificationGas.ToString("x", CultureInfo.InvariantCulture),
            operation.GasFees.ToHex(true),
            operation.PaymasterAndData.ToHex(true)));
    }

    public static PackedUserOperation FromJson(string json)
    {
        var fields = JsonSerializer.Deserialize<Fields>(json) ?? throw new InvalidOperationException("A stored operation is empty.");
        return new PackedUserOperation
        {
            Sender = fields.Sender,
            Nonce = Quantity(fields.Nonce),
            InitCode = fields.InitCode.HexToByteArray(),
            CallData = fields.CallData.HexToByteArray(),
            AccountGasLimits = fields.AccountGasLimits.HexToByteArray(),
            PreVerificationGas = Quantity(fields.PreVerificationGas),
            GasFees = fields.GasFees.HexToByteArray(),
            PaymasterAndData = fields.PaymasterAndData.HexToByteArray(),
        };
    }

    private static BigInteger Quantity(string hex) => BigInteger.Parse("0" + hex[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
