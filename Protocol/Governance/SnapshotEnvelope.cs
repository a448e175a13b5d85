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
/// checks its shape only, as Snapshot's sequencer does before it looks anything up:
/// <list type="bullet">
/// <item>the envelope and its data have no members but those (data may also name its <c>primaryType</c>);</item>
/// <item>the domain is Snapshot's (<c>{ name: "snapshot", version: "0.1.4" }</c>, plus the <c>chainId</c> snapshot.js
/// adds for some wallets);</item>
/// <item>the types are exactly one of the structs snapshot.js signs, each member <c>{ name, type }</c> in order, beside an
/// optional EIP712Domain that must be the one the domain's members make;</item>
/// <item>the message has every member of that struct with a value of its type (integers as JSON numbers or strings of
/// decimal digits, within the type's range), and <c>from</c> is the <c>address</c>.</item>
/// </list>
/// The signature, the space, the time and the proposal are the hub's to check.
/// </summary>
/// <param name="Address">The signer, as the envelope's <c>address</c> gives it.</param>
/// <param name="Signature">The signature's bytes as lowercase 0x-hex: 65 for an EOA, any length for an ERC-1271 wallet.</param>
/// <param name="Kind">Which struct was signed.</param>
/// <param name="Message">The message, typed.</param>
/// <param name="TypedData">
/// The signed data as eth_signTypedData_v4 takes it: the domain, the struct and the EIP712Domain its members make, the
/// primary type, and the message's members in the struct's order with every integer as a JSON number. Its EIP-712 hash
/// is the message's id, the same as snapshot.js's <c>getHash</c> of the posted data.
/// </param>
public sealed record SnapshotEnvelope(string Address, string Signature, SnapshotMessageKind Kind, SnapshotMessage Message, string TypedData)
{
    /// <summary>The longest envelope taken, in characters, as Snapshot's sequencer bounds it.</summary>
    public const int MaxLength = 100_000;

    /// <summary>The longest signature taken, in bytes: room for multisig and passkey wallets' ERC-1271 signatures.</summary>
    public const int MaxSignatureBytes = 16 * 1024;

    /// <summary>The sequencer's reason for an envelope it cannot read.</summary>
    public const string WrongFormat = "wrong envelope format";

    /// <summary>The sequencer's reason for an envelope over <see cref="MaxLength"/>.</summary>
    public const string TooLarge = "too large message";

    /// <summary>The sequencer's reason for a domain other than Snapshot's.</summary>
    public const string WrongDomain = "wrong domain";

    /// <summary>The sequencer's reason for types that are not one of snapshot.js's structs.</summary>
    public const string WrongTypes = "wrong types";

    /// <summary>The sequencer's reason for a message whose <c>from</c> is not the envelope's address.</summary>
    public const string WrongFrom = "wrong from";

    private static readonly string[] EnvelopeMembers = ["address", "sig", "data"];

    private static readonly string[] DataMembers = ["domain", "types", "message", "primaryType"];

    /// <summary>Reads <paramref name="json"/>; on failure <paramref name="refusal"/> says why.</summary>
    public static bool TryParse(string json, [NotNullWhen(true)] out SnapshotEnvelope? envelope, [NotNullWhen(false)] out SnapshotRefusal? refusal)
    {
        ArgumentNullException.ThrowIfNull(json);
        envelope = null;
        if (json.Length > MaxLength)
        {
            refusal = new SnapshotRefusal(TooLarge, $"the envelope is {json.Length:N0} characters; the most taken is {MaxLength:N0}");
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            return TryRead(document.RootElement, out envelope, out refusal);
        }
        catch (JsonException ex)
        {
            refusal = Format($"the body is not JSON ({ex.Message})");
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
        if (Extra(root, EnvelopeMembers) is { } extra)
        {
            refusal = Format($"the envelope has the member \"{Shorten(extra)}\"; it has only address, sig and data");
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
        if (Extra(data, DataMembers) is { } extraData)
        {
            refusal = Format($"data has the member \"{Shorten(extraData)}\"; it has only domain, types, message and primaryType");
            return false;
        }
        if (!data.TryGetProperty("domain", out var domain) || domain.ValueKind != JsonValueKind.Object)
        {
            refusal = Format("data.domain must be an object");
            return false;
        }
        if (!TryDomain(domain, out var chainId, out var domainProblem))
        {
            refusal = new SnapshotRefusal(WrongDomain, domainProblem);
            return false;
        }
        if (!data.TryGetProperty("types", out var types) || types.ValueKind != JsonValueKind.Object)
        {
            refusal = Format("data.types must be an object");
            return false;
        }
        if (!TryKind(types, chainId is not null, out var kind, out var typesProblem))
        {
            refusal = new SnapshotRefusal(WrongTypes, typesProblem);
            return false;
        }
        if (data.TryGetProperty("primaryType", out var primaryType)
            && (primaryType.ValueKind != JsonValueKind.String || primaryType.GetString() != SnapshotTypes.StructName(kind)))
        {
            refusal = new SnapshotRefusal(WrongTypes, $"data.primaryType must be \"{SnapshotTypes.StructName(kind)}\", the struct in data.types");
            return false;
        }
        if (!data.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            refusal = Format("data.message must be an object");
            return false;
        }
        if (!TryMessage(kind, message, out var typed, out var canonical, out var problem))
        {
            refusal = Format(problem);
            return false;
        }
        if (!string.Equals(typed.From, address, StringComparison.OrdinalIgnoreCase))
        {
            refusal = new SnapshotRefusal(WrongFrom, $"data.message.from ({typed.From}) is not the envelope's address ({address})");
            return false;
        }

        envelope = new SnapshotEnvelope(address, signature.ToLowerInvariant(), kind, typed, CanonicalTypedData(kind, chainId, canonical));
        return true;
    }

    private static string CanonicalTypedData(SnapshotMessageKind kind, long? chainId, JsonObject message)
    {
        var domain = SnapshotTypes.Domain();
        var domainType = new JsonArray(Field("name", "string"), Field("version", "string"));
        if (chainId is { } id)
        {
            domain["chainId"] = id;
            domainType.Add(Field("chainId", "uint256"));
        }
        return new JsonObject
        {
            ["types"] = new JsonObject
            {
                [SnapshotTypes.StructName(kind)] = new JsonArray([.. SnapshotTypes.Fields(kind).Select(f => (JsonNode)Field(f.Name, f.Type))]),
                [SnapshotTypes.DomainType] = domainType,
            },
            ["primaryType"] = SnapshotTypes.StructName(kind),
            ["domain"] = domain,
            ["message"] = message,
        }.ToJsonString();
    }

    private static JsonObject Field(string name, string type) => new() { ["name"] = name, ["type"] = type };

    /// <summary>Snapshot's name and version; the only other member taken is the chainId snapshot.js adds for Trust Wallet.</summary>
    private static bool TryDomain(JsonElement domain, out long? chainId, [NotNullWhen(false)] out string? problem)
    {
        chainId = null;
        var expected = $"data.domain must be {{ name: \"{SnapshotTypes.DomainName}\", version: \"{SnapshotTypes.DomainVersion}\" }}";
        if (!TryString(domain, "name", out var name) || name != SnapshotTypes.DomainName
            || !TryString(domain, "version", out var version) || version != SnapshotTypes.DomainVersion)
        {
            problem = expected;
            return false;
        }
        foreach (var member in domain.EnumerateObject())
        {
            if (member.Name is "name" or "version")
            {
                continue;
            }
            if (member.Name == "chainId" && IsUnsigned(member.Value, long.MaxValue) && Unsigned(member.Value) > 0)
            {
                chainId = Unsigned(member.Value);
                continue;
            }
            problem = member.Name == "chainId"
                ? "data.domain.chainId must be a positive whole number"
                : $"{expected}, optionally with a chainId; it has \"{Shorten(member.Name)}\"";
            return false;
        }
        problem = null;
        return true;
    }

    private static bool TryKind(JsonElement types, bool hasChainId, out SnapshotMessageKind kind, [NotNullWhen(false)] out string? problem)
    {
        kind = default;
        const string Expected = "data.types must be exactly one of the structs snapshot.js signs: Proposal, Vote (choice uint32, uint32[] or string) or CancelProposal, with their members in order";
        JsonProperty? only = null;
        foreach (var type in types.EnumerateObject())
        {
            if (type.Name == SnapshotTypes.DomainType)
            {
                // The sequencer drops it and hashes with the domain's own members; one that says otherwise would make
                // a wallet sign another hash than the id, so it must say the same.
                IReadOnlyList<TypedField> domainFields = hasChainId
                    ? [new("name", "string"), new("version", "string"), new("chainId", "uint256")]
                    : [new("name", "string"), new("version", "string")];
                if (!SameFields(type.Value, domainFields))
                {
                    problem = $"data.types.EIP712Domain must list the domain's members: {string.Join(", ", domainFields.Select(f => $"{f.Type} {f.Name}"))}";
                    return false;
                }
                continue;
            }
            if (only is not null)
            {
                problem = $"{Expected}; it declares both {only.Value.Name} and {Shorten(type.Name)}";
                return false;
            }
            only = type;
        }
        if (only is not { } declared)
        {
            problem = $"{Expected}; it declares none";
            return false;
        }
        foreach (var candidate in Enum.GetValues<SnapshotMessageKind>())
        {
            if (SnapshotTypes.StructName(candidate) == declared.Name && SameFields(declared.Value, SnapshotTypes.Fields(candidate)))
            {
                kind = candidate;
                problem = null;
                return true;
            }
        }
        problem = $"{Expected}; {Shorten(declared.Name)} is not one of them";
        return false;
    }

    // As the sequencer compares them: the JSON of each member is exactly { "name": …, "type": … }.
    private static bool SameFields(JsonElement declared, IReadOnlyList<TypedField> expected)
    {
        if (declared.ValueKind != JsonValueKind.Array || declared.GetArrayLength() != expected.Count)
        {
            return false;
        }
        var i = 0;
        foreach (var field in declared.EnumerateArray())
        {
            if (field.ValueKind != JsonValueKind.Object
                || Extra(field, ["name", "type"]) is not null
                || !TryString(field, "name", out var name) || name != expected[i].Name
                || !TryString(field, "type", out var type) || type != expected[i].Type)
            {
                return false;
            }
            i++;
        }
        return true;
    }

    private static bool TryMessage(
        SnapshotMessageKind kind,
        JsonElement m,
        [NotNullWhen(true)] out SnapshotMessage? message,
        [NotNullWhen(true)] out JsonObject? canonical,
        [NotNullWhen(false)] out string? problem)
    {
        message = null;
        canonical = new JsonObject();
        foreach (var field in SnapshotTypes.Fields(kind))
        {
            if (!m.TryGetProperty(field.Name, out var value) || !HasType(value, field.Type))
            {
                canonical = null;
                problem = $"data.message.{field.Name} must be {Describe(field.Type)}";
                return false;
            }
            canonical[field.Name] = Canonical(value, field.Type);
        }
        var from = Text(canonical, "from");
        if (!IsAddress(from))
        {
            problem = "data.message.from must be a 0x-prefixed 20-byte hex address";
            return false;
        }
        var space = Text(canonical, "space");
        var timestamp = Number(canonical, "timestamp");
        switch (kind)
        {
            case SnapshotMessageKind.Proposal:
                message = new ProposalMessage(from, space, timestamp, Text(canonical, "type"), Text(canonical, "title"), Text(canonical, "body"),
                    Text(canonical, "discussion"), Strings(canonical, "choices"), Strings(canonical, "labels"), Number(canonical, "start"),
                    Number(canonical, "end"), Number(canonical, "snapshot"), Text(canonical, "plugins"), Text(canonical, "privacy"), Text(canonical, "app"));
                break;
            case SnapshotMessageKind.CancelProposal:
                message = new CancelProposalMessage(from, space, timestamp, Text(canonical, "proposal"));
                break;
            default:
                using (var choiceJson = JsonDocument.Parse(canonical["choice"]!.ToJsonString()))
                {
                    if (!TryChoice(kind, choiceJson.RootElement, out var choice, out var choiceProblem))
                    {
                        problem = $"data.message.choice: {choiceProblem}";
                        return false;
                    }
                    message = new VoteMessage(from, space, timestamp, Text(canonical, "proposal"), choice, Text(canonical, "reason"),
                        Text(canonical, "app"), Text(canonical, "metadata"));
                }
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

    // Integers become JSON numbers, so the hash never depends on how the client wrote them.
    private static JsonNode Canonical(JsonElement value, string type) => type switch
    {
        "uint64" or "uint32" => JsonValue.Create(Unsigned(value)),
        "uint32[]" => new JsonArray([.. value.EnumerateArray().Select(e => (JsonNode)JsonValue.Create(Unsigned(e)))]),
        _ => JsonNode.Parse(value.GetRawText())!,
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

    private static string Text(JsonObject message, string name) => message[name]!.GetValue<string>();

    private static long Number(JsonObject message, string name) => message[name]!.GetValue<long>();

    private static string[] Strings(JsonObject message, string name) => [.. message[name]!.AsArray().Select(e => e!.GetValue<string>())];

    private static bool TryString(JsonElement element, string name, out string value)
    {
        value = element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString()! : "";
        return property.ValueKind == JsonValueKind.String;
    }

    private static string? Extra(JsonElement element, string[] allowed)
    {
        foreach (var member in element.EnumerateObject())
        {
            if (!allowed.Contains(member.Name, StringComparer.Ordinal))
            {
                return member.Name;
            }
        }
        return null;
    }

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private static bool IsAddress(string text)
        => text.Length == 42 && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !text.AsSpan(2).ContainsAnyExcept(HexDigits);

    private static bool IsSignatureHex(string text)
        => text.Length >= 4 && text.Length % 2 == 0 && text.Length <= 2 + (2 * MaxSignatureBytes)
           && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !text.AsSpan(2).ContainsAnyExcept(HexDigits);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..37] + "...";

    private static SnapshotRefusal Format(string description) => new(WrongFormat, description);
}
