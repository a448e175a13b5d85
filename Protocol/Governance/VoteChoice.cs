using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using static System.FormattableString;

namespace Heurist.Protocol.Governance;

/// <summary>Which shape a <see cref="VoteChoice"/> has.</summary>
public enum VoteChoiceKind
{
    /// <summary>One choice number (single-choice, basic).</summary>
    Choice,

    /// <summary>A list of choice numbers (approval: the approved choices; ranked-choice: best first).</summary>
    Choices,

    /// <summary>Weights by choice number (weighted, quadratic).</summary>
    Weights,
}

/// <summary>The weight a weighted or quadratic vote gives to one choice.</summary>
/// <param name="Choice">The 1-based choice number.</param>
/// <param name="Weight">The weight; the choice gets Weight / (the sum of the vote's weights) of the voter's power.</param>
public readonly record struct ChoiceWeight(int Choice, decimal Weight);

/// <summary>
/// What a voter chose, as Snapshot writes it: a choice number (<c>2</c>), a list of choice numbers (<c>[1,3]</c>), or
/// weights by choice number (<c>{"1":2,"3":1}</c>, which Snapshot's signed vote message carries as a string holding
/// that JSON). Choice numbers are 1-based. Reading checks the shape only; <see cref="Validate"/> checks it against a
/// proposal's voting type and number of choices.
/// </summary>
public sealed class VoteChoice : IEquatable<VoteChoice>
{
    /// <summary>
    /// The largest weight a vote may give one choice. Snapshot's UI sends small whole numbers; the bound keeps every
    /// sum of a vote's weights exact in decimal.
    /// </summary>
    public const decimal MaxWeight = 1_000_000_000_000_000_000m;

    private const string WeightsExample = """{"1":2,"3":1}""";

    private readonly int[] _choices;
    private readonly ChoiceWeight[] _weights;

    private VoteChoice(VoteChoiceKind kind, int choice, int[] choices, ChoiceWeight[] weights)
    {
        Kind = kind;
        Choice = choice;
        _choices = choices;
        _weights = weights;
        Choices = Array.AsReadOnly(choices);
        Weights = Array.AsReadOnly(weights);
    }

    /// <summary>Its shape.</summary>
    public VoteChoiceKind Kind { get; }

    /// <summary>The choice number when <see cref="Kind"/> is <see cref="VoteChoiceKind.Choice"/>, otherwise 0.</summary>
    public int Choice { get; }

    /// <summary>The choice numbers in the voter's order when <see cref="Kind"/> is <see cref="VoteChoiceKind.Choices"/>, otherwise empty.</summary>
    public IReadOnlyList<int> Choices { get; }

    /// <summary>The weights, sorted by choice number, when <see cref="Kind"/> is <see cref="VoteChoiceKind.Weights"/>, otherwise empty.</summary>
    public IReadOnlyList<ChoiceWeight> Weights { get; }

    // The tally reads the arrays directly: indexing an array is cheaper than an interface in its per-vote loop.
    internal int[] ChoiceArray => _choices;

    internal ChoiceWeight[] WeightArray => _weights;

    /// <summary>One choice number, as single-choice and basic votes have.</summary>
    public static VoteChoice OfChoice(int choice) => new(VoteChoiceKind.Choice, choice, [], []);

    /// <summary>A list of choice numbers in the voter's order, as approval and ranked-choice votes have.</summary>
    public static VoteChoice OfChoices(IEnumerable<int> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return new(VoteChoiceKind.Choices, 0, [.. choices], []);
    }

    /// <summary>Weights by choice number, as weighted and quadratic votes have; they are kept sorted by choice number.</summary>
    /// <exception cref="ArgumentException">A choice number appears twice.</exception>
    public static VoteChoice OfWeights(IEnumerable<ChoiceWeight> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return TrySortWeights([.. weights], out var choice, out var error)
            ? choice
            : throw new ArgumentException(error, nameof(weights));
    }

    /// <summary>
    /// Reads a choice from JSON: a whole number; an array of whole numbers; an object whose keys are choice numbers
    /// ("1", "2", … without sign or leading zeros) and whose values are numbers; or a string holding such an object.
    /// A list or an object may have at most <see cref="ProposalChoices.MaxCount"/> entries, since no proposal has more
    /// choices. On failure <paramref name="error"/> says what is wrong.
    /// </summary>
    public static bool TryParse(JsonElement element, [NotNullWhen(true)] out VoteChoice? choice, [NotNullWhen(false)] out string? error)
    {
        choice = null;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                if (ReadChoiceNumber(element, out var number) is { } problem)
                {
                    error = problem == NotWhole
                        ? $"a choice must be a whole number, not {Shorten(element.GetRawText())}"
                        : $"choice {Shorten(element.GetRawText())} is out of range";
                    return false;
                }
                choice = OfChoice(number);
                error = null;
                return true;
            case JsonValueKind.Array:
                return TryParseList(element, out choice, out error);
            case JsonValueKind.Object:
                return TryParseWeights(element, out choice, out error);
            case JsonValueKind.String:
                return TryParseWeightsText(element.GetString()!, out choice, out error);
            default:
                error = $"a choice must be a number, a list of numbers or an object of weights, not {element.ValueKind.ToString().ToLowerInvariant()}";
                return false;
        }
    }

    /// <summary>
    /// Returns null when this choice is a valid vote on a proposal of <paramref name="type"/> with
    /// <paramref name="choiceCount"/> choices, otherwise a sentence saying what is wrong. The rules are snapshot.js's
    /// <c>isValidChoice</c>:
    /// <list type="bullet">
    /// <item>single-choice and basic: one choice number from 1 to the number of choices;</item>
    /// <item>approval: a list of choice numbers in range, none twice; an empty list is valid (it approves nothing);</item>
    /// <item>ranked-choice: a list that ranks every choice exactly once;</item>
    /// <item>weighted and quadratic: at least one weight, every choice number in range, no weight negative or above
    /// <see cref="MaxWeight"/>, and at least one weight positive.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// A proposal of <paramref name="type"/> cannot have <paramref name="choiceCount"/> choices (<see cref="ProposalChoices.ValidateCount"/>).
    /// </exception>
    public string? Validate(VotingType type, int choiceCount)
    {
        if (ProposalChoices.ValidateCount(type, choiceCount) is { } problem)
        {
            throw new ArgumentOutOfRangeException(nameof(choiceCount), choiceCount, problem);
        }
        return type switch
        {
            VotingType.SingleChoice or VotingType.Basic => Kind != VoteChoiceKind.Choice
                ? $"a {type.ToWire()} vote must be one choice number"
                : OutOfRange(Choice, choiceCount),
            VotingType.Approval => Kind != VoteChoiceKind.Choices
                ? "an approval vote must be a list of choice numbers"
                : ValidateList(choiceCount, rankEvery: false),
            VotingType.RankedChoice => Kind != VoteChoiceKind.Choices
                ? "a ranked-choice vote must be a list of choice numbers"
                : ValidateList(choiceCount, rankEvery: true),
            _ => Kind != VoteChoiceKind.Weights
                ? $"a {type.ToWire()} vote must be an object of weights by choice number, such as {WeightsExample}"
                : ValidateWeights(type, choiceCount),
        };
    }

    /// <summary>The choice as canonical JSON: <c>2</c>, <c>[1,3,2]</c> or <c>{"1":2,"3":1}</c> (weights sorted by choice number).</summary>
    public override string ToString()
    {
        switch (Kind)
        {
            case VoteChoiceKind.Choice:
                return Choice.ToString(CultureInfo.InvariantCulture);
            case VoteChoiceKind.Choices:
                return "[" + string.Join(",", _choices.Select(c => c.ToString(CultureInfo.InvariantCulture))) + "]";
            default:
                var text = new StringBuilder("{");
                foreach (var (c, w) in _weights)
                {
                    text.Append(text.Length > 1 ? ",\"" : "\"").Append(CultureInfo.InvariantCulture, $"{c}\":{w}");
                }
                return text.Append('}').ToString();
        }
    }

    /// <summary>The same kind and the same choice numbers (in the same order) and weights.</summary>
    public bool Equals(VoteChoice? other) =>
        other is not null
        && Kind == other.Kind
        && Choice == other.Choice
        && _choices.AsSpan().SequenceEqual(other._choices)
        && _weights.AsSpan().SequenceEqual(other._weights);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as VoteChoice);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Kind);
        hash.Add(Choice);
        foreach (var c in _choices)
        {
            hash.Add(c);
        }
        foreach (var w in _weights)
        {
            hash.Add(w);
        }
        return hash.ToHashCode();
    }

    private static string? OutOfRange(int choice, int choiceCount) =>
        choice >= 1 && choice <= choiceCount
            ? null
            : Invariant($"choice {choice} is out of range: the proposal has {choiceCount} choice{(choiceCount == 1 ? "" : "s")}");

    private string? ValidateList(int choiceCount, bool rankEvery)
    {
        Span<bool> seen = stackalloc bool[choiceCount];
        foreach (var c in _choices)
        {
            if (OutOfRange(c, choiceCount) is { } problem)
            {
                return problem;
            }
            if (seen[c - 1])
            {
                return Invariant($"choice {c} appears more than once");
            }
            seen[c - 1] = true;
        }
        return rankEvery && _choices.Length != choiceCount
            ? Invariant($"a ranked-choice vote must rank every choice exactly once: it ranks {_choices.Length} of {choiceCount}")
            : null;
    }

    private string? ValidateWeights(VotingType type, int choiceCount)
    {
        if (_weights.Length == 0)
        {
            return $"a {type.ToWire()} vote must give a weight to at least one choice";
        }
        var anyPositive = false;
        foreach (var (c, w) in _weights)
        {
            if (OutOfRange(c, choiceCount) is { } problem)
            {
                return problem;
            }
            if (w < 0m)
            {
                return Invariant($"weights must not be negative: choice {c} has {w}");
            }
            if (w > MaxWeight)
            {
                return Invariant($"a weight may be at most {MaxWeight}: choice {c} has {w}");
            }
            anyPositive |= w > 0m;
        }
        return anyPositive ? null : "at least one weight must be positive";
    }

    private const string NotWhole = "not whole";
    private const string TooLarge = "too large";

    private static string? ReadChoiceNumber(JsonElement element, out int number)
    {
        number = 0;
        // Read as JavaScript, and so Snapshot, reads it: a double, so 2.0 and 2e0 are choice 2 and 1e-40 is no
        // whole number. A number beyond double's range fails to read at all.
        if (element.ValueKind != JsonValueKind.Number)
        {
            return NotWhole;
        }
        if (!element.TryGetDouble(out var value))
        {
            return TooLarge;
        }
        if (value != Math.Truncate(value))
        {
            return NotWhole;
        }
        if (value < int.MinValue || value > int.MaxValue)
        {
            return TooLarge;
        }
        number = (int)value;
        return null;
    }

    private static bool TryParseList(JsonElement array, out VoteChoice? choice, [NotNullWhen(false)] out string? error)
    {
        choice = null;
        var length = array.GetArrayLength();
        if (length > ProposalChoices.MaxCount)
        {
            error = Invariant($"a list of choices may have at most {ProposalChoices.MaxCount} entries, not {length}");
            return false;
        }
        var choices = new int[length];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (ReadChoiceNumber(item, out choices[i]) is { } problem)
            {
                error = problem == NotWhole
                    ? Invariant($"entry {i + 1} of the list must be a whole number, not {Shorten(item.GetRawText())}")
                    : Invariant($"entry {i + 1} of the list, {Shorten(item.GetRawText())}, is out of range");
                return false;
            }
            i++;
        }
        choice = new VoteChoice(VoteChoiceKind.Choices, 0, choices, []);
        error = null;
        return true;
    }

    private static bool TryParseWeights(JsonElement obj, out VoteChoice? choice, [NotNullWhen(false)] out string? error)
    {
        choice = null;
        var weights = new List<ChoiceWeight>();
        foreach (var property in obj.EnumerateObject())
        {
            if (weights.Count == ProposalChoices.MaxCount)
            {
                error = Invariant($"weights may be given for at most {ProposalChoices.MaxCount} choices");
                return false;
            }
            if (!TryReadChoiceKey(property.Name, out var c))
            {
                error = $"a weight's key must be a choice number such as \"1\", not \"{Shorten(property.Name)}\"";
                return false;
            }
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetDecimal(out var weight))
            {
                error = Invariant($"the weight of choice {c} must be a number, not {Shorten(property.Value.GetRawText())}");
                return false;
            }
            weights.Add(new ChoiceWeight(c, weight));
        }
        // JSON.parse keeps the last of two equal keys silently; a vote that says two things is refused instead.
        return TrySortWeights([.. weights], out choice, out error);
    }

    private static bool TrySortWeights(ChoiceWeight[] weights, [NotNullWhen(true)] out VoteChoice? choice, [NotNullWhen(false)] out string? error)
    {
        Array.Sort(weights, static (a, b) => a.Choice.CompareTo(b.Choice));
        for (var i = 1; i < weights.Length; i++)
        {
            if (weights[i].Choice == weights[i - 1].Choice)
            {
                choice = null;
                error = Invariant($"choice {weights[i].Choice} has two weights");
                return false;
            }
        }
        choice = new VoteChoice(VoteChoiceKind.Weights, 0, [], weights);
        error = null;
        return true;
    }

    private static bool TryParseWeightsText(string text, out VoteChoice? choice, [NotNullWhen(false)] out string? error)
    {
        choice = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            error = $"a choice written as text must hold a JSON object of weights, such as {WeightsExample}, but it is not valid JSON";
            return false;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"a choice written as text must hold a JSON object of weights, such as {WeightsExample}";
                return false;
            }
            return TryParseWeights(document.RootElement, out choice, out error);
        }
    }

    // Only the canonical spelling: JavaScript would read "01" or " 1" as choice 1 for validity but then find no
    // weight under "1" when counting, so such keys are refused rather than half-counted.
    private static bool TryReadChoiceKey(string key, out int choice)
    {
        choice = 0;
        if (key.Length is 0 or > 9 || key[0] == '0')
        {
            return false;
        }
        foreach (var ch in key)
        {
            if (!char.IsAsciiDigit(ch))
            {
                return false;
            }
            choice = (choice * 10) + (ch - '0');
        }
        return true;
    }

    private static string Shorten(string text) => text.Length <= 24 ? text : text[..21] + "...";
}
