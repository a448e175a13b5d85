using System.Text.Json;
using System.Text.Json.Nodes;
using System.Globalization;
using System.Text.RegularExpressions;
using Nethereum.ABI.EIP712;
using Nethereum.Util;

namespace Heurist.Contracts.Crypto;

/// <summary>
/// EIP-712 digests of the JSON that eth_signTypedData_v4 takes ({types, primaryType, domain, message}), hashed by
/// Nethereum after two guards for JSON from outside. Without an EIP712Domain type Nethereum would hash a fixed
/// four-field domain; we derive it from the domain's members, as wallets do. Nethereum takes a struct whose name
/// contains an integer or bytes type name ("Point3d" holds "int3") for that atomic type when it is a member's type,
/// so such a struct is refused by name rather than hashed wrongly. Nethereum also hashes a fixed-size array of the
/// wrong length and an address whose mixed case breaks its EIP-55 checksum; both are refused, naming the member.
/// </summary>
public static partial class TypedDataJson
{
    private const string DomainType = "EIP712Domain";

    private static readonly (string Name, string Type)[] DomainFields =
        [("name", "string"), ("version", "string"), ("chainId", "uint256"), ("verifyingContract", "address"), ("salt", "bytes32")];

    /// <summary>The digest to sign: keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message)).</summary>
    /// <exception cref="TypedDataException">Not typed-data JSON, a refused struct name, or a value that does not fit its type.</exception>
    public static byte[] Hash(string json)
    {
        var normalized = Normalize(json);
        try
        {
            return Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(normalized);
        }
        catch (Exception ex) when (ex is not TypedDataException and not OutOfMemoryException)
        {
            throw new TypedDataException($"The typed data cannot be hashed: {ex.Message}", ex);
        }
    }

    /// <summary>The JSON with EIP712Domain in its types (derived from the domain's members when it was left out), after the guards.</summary>
    /// <exception cref="TypedDataException">See <see cref="Hash"/>.</exception>
    public static string Normalize(string json)
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
        var types = root["types"] as JsonObject ?? throw new TypedDataException("Typed data has no \"types\" object.");
        var domain = root["domain"] as JsonObject ?? throw new TypedDataException("Typed data has no \"domain\" object.");
        var primaryType = root["primaryType"] is JsonValue primary && primary.TryGetValue<string>(out var name)
            ? name
            : throw new TypedDataException("Typed data has no \"primaryType\".");
        if (primaryType == DomainType || !types.ContainsKey(primaryType))
        {
            throw new TypedDataException($"The primary type '{primaryType}' is not one of the struct types.");
        }
        if (root["message"] is not JsonObject message)
        {
            throw new TypedDataException("Typed data has no \"message\" object.");
        }
        if (!types.ContainsKey(DomainType))
        {
            types[DomainType] = new JsonArray([.. DomainFields.Where(f => domain.ContainsKey(f.Name))
                .Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["type"] = f.Type })]);
        }
        foreach (var (typeName, fields) in types)
        {
            if (fields is not JsonArray members)
            {
                throw new TypedDataException($"Type {typeName} is not an array of fields.");
            }
            foreach (var member in members)
            {
                var memberType = member?["type"] is JsonValue value && value.TryGetValue<string>(out var text)
                    ? text
                    : throw new TypedDataException($"A field of {typeName} has no type.");
                var element = memberType.Split('[')[0];
                if (types.ContainsKey(element) && LooksAtomic(element))
                {
                    throw new TypedDataException(
                        $"The struct type '{element}' (a member of {typeName}) has a name that contains an integer or bytes type, which the EIP-712 encoder would read as that type; rename the struct.");
                }
            }
        }
        Validate(types, DomainType, domain, DomainType);
        Validate(types, primaryType, message, primaryType);
        return root.ToJsonString();
    }

    /// <summary>Walks a value against its type: members present, fixed arrays of their length, known types, checksummed addresses.</summary>
    private static void Validate(JsonObject types, string type, JsonNode? value, string path)
    {
        if (type.EndsWith(']'))
        {
            var open = type.LastIndexOf('[');
            var size = type[(open + 1)..^1];
            if (value is not JsonArray items)
            {
                throw new TypedDataException($"{path}: expected an array for {type}.");
            }
            if (size.Length > 0 && (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || items.Count != count))
            {
                throw new TypedDataException($"{path}: {type} needs exactly {size} element(s), got {items.Count}.");
            }
            for (var i = 0; i < items.Count; i++)
            {
                Validate(types, type[..open], items[i], $"{path}[{i}]");
            }
            return;
        }
        if (types[type] is JsonArray members)
        {
            if (value is not JsonObject fields)
            {
                throw new TypedDataException($"{path}: expected an object for the struct {type}.");
            }
            foreach (var member in members)
            {
                var name = member?["name"]?.GetValue<string>() ?? throw new TypedDataException($"A field of {type} has no name.");
                if (!fields.TryGetPropertyValue(name, out var field))
                {
                    throw new TypedDataException($"{path}.{name}: missing.");
                }
                Validate(types, member!["type"]!.GetValue<string>(), field, $"{path}.{name}");
            }
            return;
        }
        if (!AtomicType().IsMatch(type))
        {
            throw new TypedDataException($"{path}: unknown type '{type}'.");
        }
        if (type == "address")
        {
            var text = value is JsonValue v && v.TryGetValue<string>(out var t) ? t : throw new TypedDataException($"{path}: expected an address string.");
            var addresses = AddressUtil.Current;
            var digits = text.Length > 2 ? text[2..] : "";
            if (!addresses.IsValidEthereumAddressHexFormat(text)
                || (digits.Any(char.IsAsciiLetterLower) && digits.Any(char.IsAsciiLetterUpper) && !addresses.IsChecksumAddress(text)))
            {
                throw new TypedDataException($"{path}: '{text}' is not an address, or its mixed-case hex does not match its EIP-55 checksum ({(addresses.IsValidEthereumAddressHexFormat(text) ? addresses.ConvertToChecksumAddress(text) : "not 40 hex digits")}).");
            }
        }
    }

    [GeneratedRegex(@"^(address|bool|string|bytes|bytes([1-9]|[12][0-9]|3[0-2])|u?int(8|16|24|32|40|48|56|64|72|80|88|96|104|112|120|128|136|144|152|160|168|176|184|192|200|208|216|224|232|240|248|256))$", RegexOptions.CultureInvariant)]
    private static partial Regex AtomicType();

    // The patterns Nethereum 6.1 uses, unanchored, to tell atomic types from structs.
    private static bool LooksAtomic(string typeName) => AtomicPattern().IsMatch(typeName) || typeName is "bytes" or "string" or "bool" or "address";

    [GeneratedRegex(@"bytes\d+|int\d+", RegexOptions.CultureInvariant)]
    private static partial Regex AtomicPattern();
}
