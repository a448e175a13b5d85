using System.Text.Json.Serialization;

namespace Heurist.Protocol.Miners;

/// <summary>What a miner runs inference on. The API writes it as "cpu" or "cuda"; the database as its name.</summary>
[JsonConverter(typeof(DeviceKindJsonConverter))]
public enum DeviceKind
{
    [JsonStringEnumMemberName("cpu")]
    Cpu,

    [JsonStringEnumMemberName("cuda")]
    Cuda,
}

/// <summary>Names only: a number is not a device kind.</summary>
public sealed class DeviceKindJsonConverter() : JsonStringEnumConverter<DeviceKind>(namingPolicy: null, allowIntegerValues: false);
