using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Heurist.Contracts.Abi;

/// <summary>Looking up a function, event or error that an ABI does not have, or has more than one of.</summary>
public sealed class AbiLookupException : KeyNotFoundException
{
    public AbiLookupException(string message) : base(message) { }
}

/// <summary>A contract's JSON ABI: functions (overloads allowed), events, custom errors and the constructor.</summary>
public sealed class ContractAbi
{
    private ContractAbi(IReadOnlyList<AbiFunction> functions, IReadOnlyList<AbiEvent> events, IReadOnlyList<AbiError> errors, AbiConstructor? constructor)
    {
        Functions = functions;
        Events = events;
        Errors = errors;
        Constructor = constructor;
    }

    public IReadOnlyList<AbiFunction> Functions { get; }
    public IReadOnlyList<AbiEvent> Events { get; }
    public IReadOnlyList<AbiError> Errors { get; }

    /// <summary>The constructor, or null when the ABI declares none (a constructor without parameters).</summary>
    public AbiConstructor? Constructor { get; }

    /// <summary>Parses a standard JSON ABI array, or a compiler artifact object that has an "abi" member.</summary>
    /// <exception cref="FormatException">Not JSON, no ABI array, or an entry with an unknown type.</exception>
    public static ContractAbi Parse(string abiJson)
    {
        ArgumentNullException.ThrowIfNull(abiJson);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(abiJson);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The ABI is not JSON: {ex.Message}", ex);
        }
        var entries = root switch
        {
            JsonArray array => array,
            JsonObject artifact when artifact["abi"] is JsonArray array => array,
            _ => throw new FormatException("Expected a JSON ABI array, or an artifact object with an \"abi\" array."),
        };

        var functions = new List<AbiFunction>();
        var events = new List<AbiEvent>();
        var errors = new List<AbiError>();
        AbiConstructor? constructor = null;
        foreach (var node in entries)
        {
            var entry = node as JsonObject ?? throw new FormatException("An ABI entry is not an object.");
            var kind = entry["type"]?.GetValue<string>() ?? "function";
            var name = entry["name"]?.GetValue<string>() ?? "";
            switch (kind)
            {
                case "function":
                    functions.Add(new AbiFunction(name, Parameters(entry, "inputs"), Parameters(entry, "outputs"), Mutability(entry)));
                    break;
                case "event":
                    events.Add(new AbiEvent(name, Parameters(entry, "inputs"), entry["anonymous"]?.GetValue<bool>() ?? false));
                    break;
                case "error":
                    errors.Add(new AbiError(name, Parameters(entry, "inputs")));
                    break;
                case "constructor":
                    constructor = new AbiConstructor(Parameters(entry, "inputs"), Mutability(entry));
                    break;
                case "fallback" or "receive":
                    break;
                default:
                    throw new FormatException($"Unknown ABI entry type '{kind}'.");
            }
        }
        return new ContractAbi(functions, events, errors, constructor);
    }

    /// <summary>
    /// The function with this name, or with this signature when the text has parentheses ("transfer(address,uint256)").
    /// </summary>
    /// <exception cref="AbiLookupException">None, or several overloads for a bare name.</exception>
    public AbiFunction Function(string nameOrSignature) => Find(Functions, nameOrSignature, f => f.Name, f => f.Signature, "function");

    /// <summary>The overload of <paramref name="name"/> that takes <paramref name="argumentCount"/> arguments.</summary>
    /// <exception cref="AbiLookupException">None, or several with that count.</exception>
    public AbiFunction Function(string name, int argumentCount)
    {
        var matches = Functions.Where(f => f.Name == name && f.Inputs.Count == argumentCount).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new AbiLookupException($"The ABI has no function {name} with {argumentCount} argument(s)."),
            _ => throw new AbiLookupException($"The ABI has several functions {name} with {argumentCount} argument(s): {string.Join(", ", matches.Select(m => m.Signature))}; pick one by signature."),
        };
    }

    /// <summary>The event with this name or signature.</summary>
    public AbiEvent Event(string nameOrSignature) => Find(Events, nameOrSignature, e => e.Name, e => e.Signature, "event");

    /// <summary>The custom error with this name or signature.</summary>
    public AbiError Error(string nameOrSignature) => Find(Errors, nameOrSignature, e => e.Name, e => e.Signature, "error");

    /// <summary>
    /// Decodes revert data: this ABI's custom errors, the built-in Error(string) and Panic(uint256). Never throws for
    /// unknown or malformed data; the result then has <see cref="DecodedError.IsKnown"/> false and says why.
    /// </summary>
    public DecodedError DecodeError(ReadOnlySpan<byte> revertData) => DecodeError(revertData, Errors);

    /// <summary>Decodes Error(string) and Panic(uint256) only; see <see cref="DecodeError(ReadOnlySpan{byte})"/>.</summary>
    public static DecodedError DecodeBuiltInError(ReadOnlySpan<byte> revertData) => DecodeError(revertData, []);

    /// <summary>Deployment data: the creation bytecode followed by the ABI encoding of the constructor's arguments.</summary>
    /// <exception cref="AbiEncodingException">The arguments do not fit the constructor's parameters.</exception>
    public byte[] EncodeDeployment(byte[] bytecode, params object?[] constructorArgs)
    {
        ArgumentNullException.ThrowIfNull(bytecode);
        ArgumentNullException.ThrowIfNull(constructorArgs);
        var inputs = Constructor?.Inputs ?? [];
        return [.. bytecode, .. AbiEncoder.Encode(inputs, constructorArgs)];
    }

    private static DecodedError DecodeError(ReadOnlySpan<byte> revertData, IReadOnlyList<AbiError> custom)
    {
        var data = revertData.ToArray();
        var empty = new Dictionary<string, object?>();
        if (data.Length < 4)
        {
            return new DecodedError(null, null, empty)
            {
                Data = data,
                Description = data.Length == 0 ? "reverted without data" : $"unknown error: revert data {Hex.Encode(data)} is shorter than a selector",
            };
        }
        foreach (var error in custom.Append(AbiError.ErrorString).Append(AbiError.Panic))
        {
            if (!error.Matches(data))
            {
                continue;
            }
            IReadOnlyDictionary<string, object?> arguments;
            try
            {
                arguments = error.Decode(data);
            }
            catch (AbiDecodingException ex)
            {
                return new DecodedError(null, null, empty)
                {
                    Data = data,
                    Description = $"unknown error: the data has the selector of {error.Signature} but does not decode ({ex.Message})",
                };
            }
            return new DecodedError(error.Name, error.Signature, arguments) { Data = data, Description = Describe(error, arguments) };
        }
        return new DecodedError(null, null, empty)
        {
            Data = data,
            Description = $"unknown error with selector {Hex.Encode(data.AsSpan(0, 4))} ({data.Length} bytes)",
        };
    }

    private static string Describe(AbiError error, IReadOnlyDictionary<string, object?> arguments)
    {
        if (ReferenceEquals(error, AbiError.ErrorString))
        {
            return $"Error({JsonSerializer.Serialize(arguments["message"])})";
        }
        if (ReferenceEquals(error, AbiError.Panic))
        {
            var code = (BigInteger)arguments["code"]!;
            return $"Panic(0x{code.ToString("x2", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(2, '0')}: {PanicReason(code)})";
        }
        return $"{error.Name}({string.Join(", ", arguments.Select(a => $"{a.Key}: {Show(a.Value)}"))})";
    }

    private static string PanicReason(BigInteger code) => (int)BigInteger.Min(code, 0x100) switch
    {
        0x00 => "generic compiler panic",
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "invalid enum value",
        0x22 => "corrupt storage byte array",
        0x31 => "pop on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "too much memory allocated",
        0x51 => "call to an uninitialized internal function",
        _ => "unknown panic code",
    };

    private static string Show(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Hex.Encode(bytes),
        string text => JsonSerializer.Serialize(text),
        object?[] items => "[" + string.Join(", ", items.Select(Show)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static T Find<T>(IReadOnlyList<T> items, string nameOrSignature, Func<T, string> name, Func<T, string> signature, string what)
    {
        ArgumentNullException.ThrowIfNull(nameOrSignature);
        List<T> matches;
        if (nameOrSignature.Contains('(', StringComparison.Ordinal))
        {
            var canonical = Canonicalize(nameOrSignature);
            matches = items.Where(i => signature(i) == canonical).ToList();
        }
        else
        {
            matches = items.Where(i => name(i) == nameOrSignature).ToList();
        }
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new AbiLookupException($"The ABI has no {what} {nameOrSignature}."),
            _ => throw new AbiLookupException($"The ABI has several {what}s named {nameOrSignature}: {string.Join(", ", matches.Select(signature))}; pick one by signature or argument count."),
        };
    }

    // "transfer(address to, uint amount)" → "transfer(address,uint256)".
    private static string Canonicalize(string signature)
    {
        var open = signature.IndexOf('(', StringComparison.Ordinal);
        var name = signature[..open].Trim();
        try
        {
            return name + AbiType.Parse(signature[open..]).CanonicalName;
        }
        catch (FormatException ex)
        {
            throw new AbiLookupException($"'{signature}' is not a signature: {ex.Message}");
        }
    }

    private static List<AbiParameter> Parameters(JsonObject entry, string member)
        => entry[member] is JsonArray array
            ? array.Select(p => AbiType.ParameterFromJson(p as JsonObject ?? throw new FormatException("An ABI parameter is not an object."))).ToList()
            : [];

    private static string Mutability(JsonObject entry)
        => entry["stateMutability"]?.GetValue<string>()
           ?? (entry["payable"]?.GetValue<bool>() == true ? "payable" : entry["constant"]?.GetValue<bool>() == true ? "view" : "nonpayable");
}
