using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Heurist.Protocol.Governance;

/// <summary>What every signed Snapshot message carries.</summary>
/// <param name="From">The message's <c>from</c>: the address that signed it.</param>
/// <param name="Space">The space it is for.</param>
/// <param name="Timestamp">When the client made it, in unix seconds.</param>
public abstract record SnapshotMessage(string From, string Space, long Timestamp);

/// <summary>A proposal, with every member of snapshot.js's Proposal struct.</summary>
public sealed record ProposalMessage(
    string From,
    string Space,
    long Timestamp,
    string Type,
    string Title,
    string Body,
    string Discussion,
    IReadOnlyList<string> Choices,
    IReadOnlyList<string> Labels,
    long Start,
    long End,
    long Snapshot,
    string Plugins,
    string Privacy,
    string App) : SnapshotMessage(From, Space, Timestamp);

/// <summary>A vote; <paramref name="Choice"/> is read from whichever of the three forms it was signed in.</summary>
public sealed record VoteMessage(
    string From,
    string Space,
    long Timestamp,
    string Proposal,
    VoteChoice Choice,
    string Reason,
    string App,
    string Metadata) : SnapshotMessage(From, Space, Timestamp);

/// <summary>A proposal's author withdrawing it.</summary>
public sealed record CancelProposalMessage(string From, string Space, long Timestamp, string Proposal) : SnapshotMessage(From, Space, Timestamp);

/// <summary>Why a message is refused: the sequencer's short reason, and a sentence that names the field.</summary>
/// <param name="Error">Snapshot's reason, such as "wrong envelope format", "wrong domain", "wrong types" or "wrong from".</param>
/// <param name="Description">What exactly is wrong.</param>
public sealed record SnapshotRefusal(string Error, string Description)
{
    public override string ToString() => $"{Error}: {Description}";
}

/// <summary>
/// A signed message as snapshot.js posts it: <c>{ address, sig, data: { domain, types, message } }</c>. Reading it
/// checks its shape only: the domain is Snapshot's, the types are exactly one of the structs snapshot.js signs
/// (EIP712Domain aside), the message has every member of that struct with a value of its type, and <c>from</c> is the
/// <c>address</c>. The signature, the space, the time and the proposal are checked by the hub.
/// </summary>
/// <param name="Address">The signer, as the envelope's <c>address</c> gives it.</param>
/// <param name="Signature">The signature's bytes as 0x-hex: 65 for an EOA, any length for an ERC-1271 wallet.</param>
/// <param name="Kind">Which struct was signed.</param>
/// <param name="Message">The message, typed.</param>
/// <param name="TypedData">The signed data as eth_signTypedData_v4 takes it (the sent domain, types and message, with the
/// primary type), to hash: the hash is the message's id.</param>
public sealed record SnapshotEnvelope(string Address, string Signature, SnapshotMessageKind Kind, SnapshotMessage Message, string TypedData)
{
    /// <summary>The longest envelope taken, in characters, as Snapshot's sequencer bounds it.</summary>
    public const int MaxLength = 100_000;

    /// <summary>The longest signature taken, in bytes: room for multisig and passkey wallets' ERC-1271 signatures.</summary>
    public const int MaxSignatureBytes = 16 * 1024;

    private const string WrongFormat = "wrong envelope format";

    /// <summary>Reads <paramref name="json"/>; on failure <paramref name="refusal"/> says why.</summary>
    public static bool TryParse(string json, [NotNullWhen(true)] out SnapshotEnvelope? envelope, [NotNullWhen(false)] out SnapshotRefusal? refusal)
    {
        ArgumentNullException.ThrowIfNull(json);
        envelope = null;
        if (json.Length > MaxLength)
        {
            refusal = new SnapshotRefusal("too large message", $"the envelope is {json.Length:N0} characters; the most taken is {MaxLength:N0}");
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            return TryRead(document.RootElement, out envelope, out refusal);
        }
        catch (JsonException ex)
        {
            refusal = new SnapshotRefusal(WrongFormat, $"the body is not JSON ({ex.Message})");
            return false;
        }
    }

    private static bool TryRead(JsonElement root, [NotNullWhen(true)] out SnapshotEnvelope? envelope, [NotNullWhen(false)] out SnapshotRefusal? refusal)
    {
        envelope = null;
        refusal = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            refusal = Format("the body must be a JSON object { address, sig, data }");
            return false;
        }
        if (!TryString(root, "address", out var address) || !IsAddress(address))
        {
            refusal = Format("address must be a 0x-prefixed 20-byte hex address");
            return false;
        }
        if (!TryString(root, "sig", out var signature) || !IsSignatureHex(signature))
        {
            refusal = Format($"sig must be 0x-prefixed hex of 1 to {MaxSignatureBytes:N0} bytes");
            return false;
        }
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            refusal = Format("data must be an object { domain, types, message }");
            return false;
        }
        if (!data.TryGetProperty("domain", out var domain) || domain.ValueKind != JsonValueKind.Object)
        {
            refusal = Format("data.domain must be an object");
            return false;
        }
        if (!TryString(domain, "name", out var name) || name != SnapshotTypes.DomainName
            || !TryString(domain, "version", out var version) || version != SnapshotTypes.DomainVersion)
        {
            refusal = new SnapshotRefusal("wrong domain", $"data.domain must be {{ name: \"{SnapshotTypes.DomainName}\", version: \"{SnapshotTypes.DomainVersion}\" }}");
            return false;
        }
        if (!data.TryGetProperty("types", out var types) || types.ValueKind != JsonValueKind.Object)
        {
            refusal = Format("data.types must be an object");
            return false;
        }
        if (!TryKind(types, out var kind, out var structName))
        {
            refusal = new SnapshotRefusal("wrong types",
                "data.types must be exactly one of the structs snapshot.js signs: Proposal, Vote (choice uint32, uint32[] or string) or CancelProposal, with their members in order");
            return false;
        }
        if (!data.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            refusal = Format("data.message must be an object");
            return false;
        }
        if (!TryMessage(kind, message, out var typed, out var problem))
        {
            refusal = Format(problem);
            return false;
        }
        if (!string.Equals(typed.From, address, StringComparison.OrdinalIgnoreCase))
        {
            refusal = new SnapshotRefusal("wrong from", $"data.message.from ({typed.From}) is not the envelope's address ({address})");
            return false;
        }

        var signed = JsonNode.Parse(data.GetRawText())!.AsObject();
        signed["primaryType"] = structName;
        envelope = new SnapshotEnvelope(address, signature.ToLowerInvariant(), kind, typed, signed.ToJsonString());
        return true;
    }

    private static bool TryKind(JsonElement types, out SnapshotMessageKind kind, out string structName)
    {
        kind = default;
        structName = "";
        JsonProperty? only = null;
        foreach (var type in types.EnumerateObject())
        {
            if (type.Name == SnapshotTypes.DomainType)
            {
                continue;
            }
            if (only is not null)
            {
                return false;
            }
            only = type;
        }
        if (only is not { } declared || declared.Value.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        foreach (var candidate in Enum.GetValues<SnapshotMessageKind>())
        {
            if (SnapshotTypes.StructName(candidate) == declared.Name && SameFields(declared.Value, SnapshotTypes.Fields(candidate)))
            {
                kind = candidate;
                structName = declared.Name;
                return true;
            }
        }
        return false;
    }

    private static bool SameFields(JsonElement declared, IReadOnlyList<TypedField> expected)
    {
        if (declared.GetArrayLength() != expected.Count)
        {
            return false;
        }
        var i = 0;
        foreach (var field in declared.EnumerateArray())
        {
            if (field.ValueKind != JsonValueKind.Object
                || !TryString(field, "name", out var name) || name != expected[i].Name
                || !TryString(field, "type", out var type) || type != expected[i].Type)
            {
                return false;
            }
            i++;
        }
        return true;
    }

    private static bool TryMessage(SnapshotMessageKind kind, JsonElement m, [NotNullWhen(true)] out SnapshotMessage? message, [NotNullWhen(false)] out string? problem)
    {
        message = null;
        foreach (var field in SnapshotTypes.Fields(kind))
        {
            if (!m.TryGetProperty(field.Name, out var value) || !HasType(value, field.Type))
            {
                problem = $"data.message.{field.Name} must be {Describe(field.Type)}";
                return false;
            }
        }
        var from = m.GetProperty("from").GetString()!;
        if (!IsAddress(from))
        {
            problem = "data.message.from must be a 0x-prefixed 20-byte hex address";
            return false;
        }
        var space = m.GetProperty("space").GetString()!;
        var timestamp = Unsigned(m.GetProperty("timestamp"));
        switch (kind)
        {
            case SnapshotMessageKind.Proposal:
                message = new ProposalMessage(from, space, timestamp, Text(m, "type"), Text(m, "title"), Text(m, "body"), Text(m, "discussion"),
                    Strings(m, "choices"), Strings(m, "labels"), Unsigned(m.GetProperty("start")), Unsigned(m.GetProperty("end")),
                    Unsigned(m.GetProperty("snapshot")), Text(m, "plugins"), Text(m, "privacy"), Text(m, "app"));
                break;
            case SnapshotMessageKind.CancelProposal:
                message = new CancelProposalMessage(from, space, timestamp, Text(m, "proposal"));
                break;
            default:
                var choiceElement = m.GetProperty("choice");
                if (!TryChoice(kind, choiceElement, out var choice, out var choiceProblem))
                {
                    problem = $"data.message.choice: {choiceProblem}";
                    return false;
                }
                message = new VoteMessage(from, space, timestamp, Text(m, "proposal"), choice, Text(m, "reason"), Text(m, "app"), Text(m, "metadata"));
                break;
        }
        problem = null;
        return true;
    }

    private static bool TryChoice(SnapshotMessageKind kind, JsonElement element, [NotNullWhen(true)] out VoteChoice? choice, [NotNullWhen(false)] out string? problem)
    {
        if (kind == SnapshotMessageKind.VoteString)
        {
            // Weighted and quadratic votes sign their weights as a string of JSON: {"1":2,"3":1}.
            try
            {
                using var weights = JsonDocument.Parse(element.GetString()!);
                if (weights.RootElement.ValueKind != JsonValueKind.Object)
                {
                    choice = null;
                    problem = """a string choice must hold a JSON object of weights by choice number, such as {"1":2,"3":1}""";
                    return false;
                }
                return VoteChoice.TryParse(weights.RootElement, out choice, out problem);
            }
            catch (JsonException)
            {
                choice = null;
                problem = """a string choice must hold JSON weights by choice number, such as {"1":2,"3":1}""";
                return false;
            }
        }
        return VoteChoice.TryParse(element, out choice, out problem);
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "string" => value.ValueKind == JsonValueKind.String,
        "string[]" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String),
        "uint64" => IsUnsigned(value, long.MaxValue),
        "uint32" => IsUnsigned(value, uint.MaxValue),
        "uint32[]" => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => IsUnsigned(e, uint.MaxValue)),
        _ => false,
    };

    private static string Describe(string type) => type switch
    {
        "string" => "a string",
        "string[]" => "an array of strings",
        "uint64" => "a whole number from 0 to 2^63 − 1",
        "uint32" => "a whole number from 0 to 4,294,967,295",
        "uint32[]" => "an array of whole numbers from 0 to 4,294,967,295",
        _ => type,
    };

    // EIP-712 hashers take an integer as a JSON number or a string of decimal digits.
    private static bool IsUnsigned(JsonElement value, long max) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetDecimal(out var d) && d == decimal.Truncate(d) && d >= 0 && d <= max,
        JsonValueKind.String => value.GetString() is { Length: > 0 and <= 20 } digits && digits.All(char.IsAsciiDigit)
                                && decimal.Parse(digits, CultureInfo.InvariantCulture) <= max,
        _ => false,
    };

    private static long Unsigned(JsonElement value) => value.ValueKind == JsonValueKind.Number
        ? (long)value.GetDecimal()
        : long.Parse(value.GetString()!, CultureInfo.InvariantCulture);

    private static string Text(JsonElement message, string name) => message.GetProperty(name).GetString()!;

    private static string[] Strings(JsonElement message, string name) => [.. message.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    private static bool TryString(JsonElement element, string name, out string value)
    {
        value = element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString()! : "";
        return property.ValueKind == JsonValueKind.String;
    }

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private static bool IsAddress(string text)
        => text.Length == 42 && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !text.AsSpan(2).ContainsAnyExcept(HexDigits);

    private static bool IsSignatureHex(string text)
        => text.Length >= 4 && text.Length % 2 == 0 && text.Length <= 2 + (2 * MaxSignatureBytes)
           && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !text.AsSpan(2).ContainsAnyExcept(HexDigits);

    private static SnapshotRefusal Format(string description) => new(WrongFormat, description);
}
