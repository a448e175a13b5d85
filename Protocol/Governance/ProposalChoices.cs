using System.Globalization;

namespace Heurist.Protocol.Governance;

/// <summary>The rules for a proposal's list of choices.</summary>
public static class ProposalChoices
{
    /// <summary>The most choices a proposal may have; it bounds the work of a tally (votes × choices).</summary>
    public const int MaxCount = 500;

    /// <summary>The longest label of a choice, as Snapshot's proposal schema allows.</summary>
    public const int MaxLabelLength = 256;

    /// <summary>A <see cref="VotingType.Basic"/> proposal's choices are For, Against and Abstain, in that order.</summary>
    public const int BasicCount = 3;

    /// <summary>Choice 1 of a basic proposal.</summary>
    public const int BasicFor = 1;

    /// <summary>Choice 2 of a basic proposal.</summary>
    public const int BasicAgainst = 2;

    /// <summary>Choice 3 of a basic proposal; it counts towards the total and the quorum but can never lead.</summary>
    public const int BasicAbstain = 3;

    /// <summary>
    /// Returns null when a proposal of <paramref name="type"/> may have <paramref name="count"/> choices, otherwise a
    /// sentence saying what is wrong: basic has exactly 3, the other types 1 to <see cref="MaxCount"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not one of the enum's values.</exception>
    public static string? ValidateCount(VotingType type, int count)
    {
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "is not a voting type");
        }
        if (type == VotingType.Basic)
        {
            return count == BasicCount
                ? null
                : string.Create(CultureInfo.InvariantCulture, $"a basic proposal has exactly 3 choices (For, Against, Abstain), not {count}");
        }
        if (count < 1)
        {
            return "a proposal needs at least one choice";
        }
        return count <= MaxCount
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"a proposal may have at most {MaxCount} choices, not {count}");
    }

    /// <summary>
    /// Returns null when <paramref name="labels"/> are valid choices for a proposal of <paramref name="type"/>,
    /// otherwise a sentence saying what is wrong: the count as <see cref="ValidateCount"/> checks it, and each label
    /// is not blank and at most <see cref="MaxLabelLength"/> characters. Labels may repeat, as in Snapshot.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not one of the enum's values.</exception>
    public static string? Validate(VotingType type, IReadOnlyList<string?>? labels)
    {
        if (ValidateCount(type, labels?.Count ?? 0) is { } problem)
        {
            return problem;
        }
        for (var i = 0; i < labels!.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(labels[i]))
            {
                return string.Create(CultureInfo.InvariantCulture, $"choice {i + 1} has no label");
            }
            if (labels[i]!.Length > MaxLabelLength)
            {
                return string.Create(CultureInfo.InvariantCulture, $"the label of choice {i + 1} is longer than {MaxLabelLength} characters");
            }
        }
        return null;
    }
}
