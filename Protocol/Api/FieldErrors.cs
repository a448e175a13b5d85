using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Heurist.Protocol.Api;

/// <summary>
/// What a validation found wrong, by field: the JSON name of the field at fault ("prompt", "width", the query
/// parameter "pageSize") and every message about it, in the order found. Empty when the input is valid. The API
/// answers it as the "errors" member of a validation problem, and forms show each message under its field.
/// </summary>
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "It is read as a set of errors, not used as a dictionary.")]
public sealed class FieldErrors : IReadOnlyDictionary<string, string[]>
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public FieldErrors()
    {
    }

    /// <summary>The errors of a problem-details body, as the API sent them.</summary>
    public FieldErrors(IEnumerable<KeyValuePair<string, string[]>> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var (field, messages) in errors)
        {
            foreach (var message in messages)
            {
                Add(field, message);
            }
        }
    }

    public bool IsValid => _errors.Count == 0;

    public int Count => _errors.Count;

    public IEnumerable<string> Keys => _errors.Keys;

    public IEnumerable<string[]> Values => _errors.Values;

    /// <summary>The messages about <paramref name="field"/>; empty when there are none.</summary>
    public string[] this[string field] => _errors.TryGetValue(field, out var messages) ? messages : [];

    /// <summary>Adds a message about a field, after any already there.</summary>
    public FieldErrors Add(string field, string message)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentException.ThrowIfNullOrEmpty(message);
        _errors[field] = _errors.TryGetValue(field, out var messages) ? [.. messages, message] : [message];
        return this;
    }

    /// <summary>Adds every error of <paramref name="other"/>.</summary>
    public FieldErrors AddAll(FieldErrors other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (field, messages) in other)
        {
            foreach (var message in messages)
            {
                Add(field, message);
            }
        }
        return this;
    }

    public bool ContainsKey(string key) => _errors.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string[] value) => _errors.TryGetValue(key, out value);

    /// <summary>A copy in the shape ASP.NET's validation problem takes.</summary>
    public Dictionary<string, string[]> ToDictionary() => new(_errors, StringComparer.Ordinal);

    /// <summary>Every message, field by field: for a log line or a one-sentence summary.</summary>
    public override string ToString() => string.Join(" ", _errors.Values.SelectMany(m => m));

    public IEnumerator<KeyValuePair<string, string[]>> GetEnumerator() => _errors.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
