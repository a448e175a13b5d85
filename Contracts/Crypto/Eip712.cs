using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Heurist.Contracts.Abi;

namespace Heurist.Contracts.Crypto;

/// <summary>One member of an EIP-712 struct type: its name and type ("address", "uint256", "Person", "Person[]").</summary>
public sealed record TypedDataField(string Name, string Type);

/// <summary>Typed data that cannot be hashed: an unknown type, a missing member, or a value that does not fit its type.</summary>
public sealed class TypedDataException : FormatException
{
    public TypedDataException(string message, Exception? inner = null) : base(message, inner) { }
}

/// <summary>
/// The EIP-712 domain. Members left null are left out of the EIP712Domain type, in the order the EIP lists them:
/// name, version, chainId, verifyingContract, salt.
/// </summary>
public sealed record Eip712Domain
{
    public string? Name { get; init; }
    public string? Version { get; init; }
    public BigInteger? ChainId { get; init; }
    public EthereumAddress? VerifyingContract { get; init; }

    /// <summary>32 bytes when set.</summary>
    public byte[]? Salt { get; init; }

    internal IReadOnlyList<TypedDataField> Fields()
    {
        var fields = new List<TypedDataField>();
        if (Name is not null) { fields.Add(new("name", "string")); }
        if (Version is not null) { fields.Add(new("version", "string")); }
        if (ChainId is not null) { fields.Add(new("chainId", "uint256")); }
        if (VerifyingContract is not null) { fields.Add(new("verifyingContract", "address")); }
        if (Salt is not null) { fields.Add(new("salt", "bytes32")); }
        return fields;
    }

    internal JsonObject ToJson()
    {
        var json = new JsonObject();
        if (Name is not null) { json["name"] = Name; }
        if (Version is not null) { json["version"] = Version; }
        if (ChainId is { } chainId) { json["chainId"] = TypedData.ToJsonNode(chainId); }
        if (VerifyingContract is { } contract) { json["verifyingContract"] = contract.ToString(); }
        if (Salt is not null) { json["salt"] = Hex.Encode(Salt); }
        return json;
    }
}

/// <summary>
/// EIP-712 typed structured data: the object that eth_signTypedData_v4 takes ({types, primaryType, domain, message}),
/// and its hashes. Numbers may be JSON numbers, decimal strings or 0x-hex strings; bytes are 0x-hex strings.
/// </summary>
public sealed class TypedData
{
    private const string DomainType = "EIP712Domain";
    private static readonly string[] DomainFieldOrder = ["name", "version", "chainId", "verifyingContract", "salt"];

    private readonly Dictionary<string, IReadOnlyList<TypedDataField>> _types;
    private readonly JsonObject _domain;
    private readonly JsonObject _message;

    private TypedData(Dictionary<string, IReadOnlyList<TypedDataField>> types, string primaryType, JsonObject domain, JsonObject message)
    {
        _types = types;
        PrimaryType = primaryType;
        _domain = domain;
        _message = message;
        Validate();
    }

    /// <summary>The struct types, EIP712Domain included (derived from the domain's members when the JSON left it out).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> Types => _types;

    public string PrimaryType { get; }

    /// <summary>A copy of the domain object.</summary>
    public JsonObject Domain => (JsonObject)_domain.DeepClone();

    /// <summary>A copy of the message object.</summary>
    public JsonObject Message => (JsonObject)_message.DeepClone();

    /// <summary>Parses the JSON object that eth_signTypedData_v4 takes.</summary>
    /// <exception cref="TypedDataException">Not such an object, or types that refer to unknown types.</exception>
    public static TypedData Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new TypedDataException("Typed data must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new TypedDataException($"Typed data is not JSON: {ex.Message}", ex);
        }
        var typesNode = root["types"] as JsonObject ?? throw new TypedDataException("Typed data has no \"types\" object.");
        var types = new Dictionary<string, IReadOnlyList<TypedDataField>>(StringComparer.Ordinal);
        foreach (var (name, fields) in typesNode)
        {
            if (fields is not JsonArray array)
            {
                throw new TypedDataException($"Type {name} is not an array of fields.");
            }
            types[name] = array.Select(f => new TypedDataField(
                f?["name"]?.GetValue<string>() ?? throw new TypedDataException($"A field of {name} has no name."),
                f["type"]?.GetValue<string>() ?? throw new TypedDataException($"The field {name}.{f["name"]} has no type."))).ToList();
        }
        var primaryType = root["primaryType"]?.GetValue<string>() ?? throw new TypedDataException("Typed data has no \"primaryType\".");
        var domain = root["domain"] as JsonObject ?? throw new TypedDataException("Typed data has no \"domain\" object.");
        var message = root["message"] as JsonObject ?? (primaryType == DomainType ? [] : throw new TypedDataException("Typed data has no \"message\" object."));
        if (!types.ContainsKey(DomainType))
        {
            // As wallets do: the domain type is the domain's members present, in the EIP's order.
            types[DomainType] = DomainFieldOrder.Where(domain.ContainsKey)
                .Select(f => new TypedDataField(f, DomainFieldType(f)))
                .ToList();
        }
        return new TypedData(types, primaryType, (JsonObject)domain.DeepClone(), (JsonObject)message.DeepClone());
    }

    /// <summary>
    /// Typed data from C# values. The message is a dictionary by member name whose values are <see cref="EthereumAddress"/>,
    /// integers (int, long, BigInteger…), bool, string, byte[], lists, and nested dictionaries for structs.
    /// </summary>
    /// <param name="domain">The domain; EIP712Domain is derived from its members that are set.</param>
    /// <param name="primaryType">The message's type.</param>
    /// <param name="types">The struct types, without EIP712Domain.</param>
    /// <param name="message">The message's members by name.</param>
    public static TypedData Create(
        Eip712Domain domain, string primaryType, IReadOnlyDictionary<string, IReadOnlyList<TypedDataField>> types, IReadOnlyDictionary<string, object?> message)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(primaryType);
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(message);
        var allTypes = new Dictionary<string, IReadOnlyList<TypedDataField>>(StringComparer.Ordinal) { [DomainType] = domain.Fields() };
        foreach (var (name, fields) in types)
        {
            if (name == DomainType)
            {
                throw new TypedDataException("EIP712Domain is derived from the domain; leave it out of the types.");
            }
            allTypes[name] = [.. fields];
        }
        return new TypedData(allTypes, primaryType, domain.ToJson(), (JsonObject)ToJsonNode(message)!);
    }

    /// <summary>The digest to sign: keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message)).</summary>
    public byte[] Hash()
    {
        var domainSeparator = DomainSeparator();
        // With the domain itself as the primary type there is no message, so the digest covers the domain only.
        byte[] payload = PrimaryType == DomainType
            ? [0x19, 0x01, .. domainSeparator]
            : [0x19, 0x01, .. domainSeparator, .. HashStruct(PrimaryType, _message)];
        return Keccak256.Hash(payload);
    }

    /// <summary>hashStruct(EIP712Domain, domain).</summary>
    public byte[] DomainSeparator() => HashStruct(DomainType, _domain);

    /// <summary>keccak256(typeHash ‖ encodeData(data)) for a struct type of this typed data.</summary>
    public byte[] HashStruct(string typeName, JsonObject data)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        ArgumentNullException.ThrowIfNull(data);
        return HashStruct(typeName, data, typeName);
    }

    /// <summary>hashStruct of C# values; see <see cref="Create"/> for the values accepted.</summary>
    public byte[] HashStruct(string typeName, IReadOnlyDictionary<string, object?> data)
        => HashStruct(typeName, (JsonObject)ToJsonNode(data)!);

    /// <summary>encodeType: "Mail(Person from,Person to,string contents)Person(string name,address wallet)".</summary>
    public string EncodeType(string typeName)
    {
        if (!_types.ContainsKey(typeName))
        {
            throw new TypedDataException($"Unknown struct type '{typeName}'.");
        }
        var dependencies = new SortedSet<string>(StringComparer.Ordinal);
        CollectDependencies(typeName, dependencies);
        dependencies.Remove(typeName);
        var builder = new StringBuilder();
        foreach (var name in dependencies.Prepend(typeName))
        {
            builder.Append(name).Append('(').AppendJoin(',', _types[name].Select(f => $"{f.Type} {f.Name}")).Append(')');
        }
        return builder.ToString();
    }

    /// <summary>keccak256(encodeType(typeName)).</summary>
    public byte[] TypeHash(string typeName) => Keccak256.Hash(Encoding.UTF8.GetBytes(EncodeType(typeName)));

    /// <summary>The object to hand to a wallet's eth_signTypedData_v4, EIP712Domain included in the types.</summary>
    public string ToJson()
    {
        var types = new JsonObject { [DomainType] = FieldsJson(_types[DomainType]) };
        foreach (var (name, fields) in _types)
        {
            if (name != DomainType)
            {
                types[name] = FieldsJson(fields);
            }
        }
        var root = new JsonObject
        {
            ["types"] = types,
            ["primaryType"] = PrimaryType,
            ["domain"] = _domain.DeepClone(),
            ["message"] = _message.DeepClone(),
        };
        return root.ToJsonString();
    }

    internal static JsonNode? ToJsonNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        EthereumAddress address => JsonValue.Create(address.ToString()),
        byte[] bytes => JsonValue.Create(Hex.Encode(bytes)),
        IReadOnlyDictionary<string, object?> map => new JsonObject(map.Select(kv => KeyValuePair.Create(kv.Key, ToJsonNode(kv.Value)))),
        IDictionary<string, object?> map => new JsonObject(map.Select(kv => KeyValuePair.Create(kv.Key, ToJsonNode(kv.Value)))),
        IEnumerable items => new JsonArray(items.Cast<object?>().Select(ToJsonNode).ToArray()),
        _ when AbiWords.TryToBigInteger(value, out var integer) => IntegerNode(integer),
        _ => throw new TypedDataException($"A {value.GetType().Name} cannot be a typed-data value."),
    };

    // JavaScript numbers lose precision above 2^53, so larger integers travel as decimal strings.
    private static JsonValue IntegerNode(BigInteger value)
        => BigInteger.Abs(value) <= (BigInteger.One << 53) - 1
            ? JsonValue.Create((long)value)
            : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    private static JsonArray FieldsJson(IReadOnlyList<TypedDataField> fields)
        => new(fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["type"] = f.Type }).ToArray());

    private static string DomainFieldType(string field) => field switch
    {
        "name" or "version" => "string",
        "chainId" => "uint256",
        "verifyingContract" => "address",
        _ => "bytes32",
    };

    private void Validate()
    {
        if (!_types.ContainsKey(PrimaryType))
        {
            throw new TypedDataException($"The primary type {PrimaryType} is not among the types.");
        }
        foreach (var (name, fields) in _types)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var field in fields)
            {
                if (!seen.Add(field.Name))
                {
                    throw new TypedDataException($"{name} has two fields named {field.Name}.");
                }
                var baseType = BaseType(field.Type);
                if (!_types.ContainsKey(baseType) && !IsAtomicOrDynamic(baseType))
                {
                    throw new TypedDataException($"{name}.{field.Name}: unknown type '{field.Type}'.");
                }
            }
        }
    }

    private static bool IsAtomicOrDynamic(string type)
    {
        if (type is "string" or "bytes")
        {
            return true;
        }
        try
        {
            // Only canonical names: an alias such as "uint" would put a type hash in the digest that no wallet computes.
            var parsed = AbiType.Parse(type);
            return parsed.Kind is AbiTypeKind.Address or AbiTypeKind.Bool or AbiTypeKind.UInt or AbiTypeKind.Int or AbiTypeKind.FixedBytes
                && parsed.CanonicalName == type;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string BaseType(string type)
    {
        var bracket = type.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? type : type[..bracket];
    }

    private void CollectDependencies(string typeName, ISet<string> found)
    {
        if (!_types.TryGetValue(typeName, out var fields) || !found.Add(typeName))
        {
            return;
        }
        foreach (var field in fields)
        {
            CollectDependencies(BaseType(field.Type), found);
        }
    }

    private byte[] HashStruct(string typeName, JsonObject data, string path)
    {
        if (!_types.TryGetValue(typeName, out var fields))
        {
            throw new TypedDataException($"{path}: unknown struct type '{typeName}'.");
        }
        var encoded = new List<byte>(32 * (fields.Count + 1));
        encoded.AddRange(TypeHash(typeName));
        foreach (var field in fields)
        {
            var fieldPath = $"{path}.{field.Name}";
            if (!data.TryGetPropertyValue(field.Name, out var value))
            {
                throw new TypedDataException($"{fieldPath}: missing ({field.Type}).");
            }
            encoded.AddRange(EncodeValue(field.Type, value, fieldPath));
        }
        return Keccak256.Hash([.. encoded]);
    }

    private byte[] EncodeValue(string type, JsonNode? value, string path)
    {
        if (type.EndsWith(']'))
        {
            var open = type.LastIndexOf('[');
            var element = type[..open];
            var lengthText = type[(open + 1)..^1];
            if (value is not JsonArray items)
            {
                throw new TypedDataException($"{path}: expected an array for {type}.");
            }
            if (lengthText.Length > 0 && int.Parse(lengthText, CultureInfo.InvariantCulture) != items.Count)
            {
                throw new TypedDataException($"{path}: {type} needs exactly {lengthText} element(s), got {items.Count}.");
            }
            var concatenated = new List<byte>(32 * items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                concatenated.AddRange(EncodeValue(element, items[i], $"{path}[{i}]"));
            }
            return Keccak256.Hash([.. concatenated]);
        }
        if (_types.ContainsKey(type))
        {
            return value is JsonObject nested
                ? HashStruct(type, nested, path)
                : throw new TypedDataException($"{path}: expected an object for {type}.");
        }
        switch (type)
        {
            case "string":
                return Keccak256.Hash(Encoding.UTF8.GetBytes(AsString(value, path, type)));
            case "bytes":
                return Keccak256.Hash(AsHexBytes(value, path, type));
        }
        var abiType = AbiType.Parse(type);
        object? abiValue = abiType.Kind switch
        {
            AbiTypeKind.Bool => value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? v.GetValue<bool>()
                : throw new TypedDataException($"{path}: expected true or false for bool."),
            AbiTypeKind.FixedBytes => AsHexBytes(value, path, type),
            AbiTypeKind.Address => AsString(value, path, type),
            _ => AsInteger(value, path, type),
        };
        try
        {
            return AbiEncoder.Encode([abiType], [abiValue]);
        }
        catch (AbiEncodingException ex)
        {
            throw new TypedDataException($"{path}: {ex.Message[(ex.Message.IndexOf(':', StringComparison.Ordinal) + 2)..]}", ex);
        }
    }

    private static string AsString(JsonNode? value, string path, string type)
        => value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new TypedDataException($"{path}: expected a string for {type}.");

    private static byte[] AsHexBytes(JsonNode? value, string path, string type)
    {
        var text = AsString(value, path, type);
        return Hex.HasPrefix(text) && Hex.TryDecode(text, out var bytes)
            ? bytes
            : throw new TypedDataException($"{path}: expected 0x-hex for {type}, got '{Hex.Shorten(text)}'.");
    }

    private static BigInteger AsInteger(JsonNode? value, string path, string type)
    {
        if (value is JsonValue v)
        {
            switch (v.GetValueKind())
            {
                case JsonValueKind.Number:
                    if (BigInteger.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number))
                    {
                        return number;
                    }
                    break;
                case JsonValueKind.String:
                    var text = v.GetValue<string>();
                    if (Hex.HasPrefix(text) && text.Length > 2
                        && BigInteger.TryParse("0" + text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
                    {
                        return hex;
                    }
                    if (BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var decimalValue))
                    {
                        return decimalValue;
                    }
                    break;
            }
        }
        throw new TypedDataException($"{path}: expected an integer for {type} (a JSON number, a decimal string or a 0x-hex string), got {value?.ToJsonString() ?? "null"}.");
    }
}

/// <summary>Builds <see cref="TypedData"/> from C# values, type by type.</summary>
public sealed class TypedDataBuilder(Eip712Domain domain)
{
    private readonly Dictionary<string, IReadOnlyList<TypedDataField>> _types = new(StringComparer.Ordinal);

    /// <summary>Declares a struct type: <c>.Type("Person", ("name", "string"), ("wallet", "address"))</c>.</summary>
    public TypedDataBuilder Type(string name, params (string Name, string Type)[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _types[name] = fields.Select(f => new TypedDataField(f.Name, f.Type)).ToList();
        return this;
    }

    /// <summary>The typed data with <paramref name="primaryType"/> as the message's type.</summary>
    public TypedData Build(string primaryType, IReadOnlyDictionary<string, object?> message)
        => TypedData.Create(domain, primaryType, _types, message);
}
