using System.Diagnostics.CodeAnalysis;

namespace Heurist.Protocol.Governance;

/// <summary>How a proposal's votes are cast and counted; Snapshot's voting types (copeland and custom are not supported).</summary>
public enum VotingType
{
    /// <summary>"single-choice": each voter picks one choice, which gets all of the voter's power.</summary>
    SingleChoice,

    /// <summary>"approval": each voter picks any number of choices, and each gets all of the voter's power.</summary>
    Approval,

    /// <summary>"ranked-choice": each voter ranks every choice, and the votes are counted by instant runoff.</summary>
    RankedChoice,

    /// <summary>"weighted": each voter spreads its power over choices in proportion to the weights it gives them.</summary>
    Weighted,

    /// <summary>
    /// "quadratic": weights as in <see cref="Weighted"/>, but a choice's score is the square of the sum of the square
    /// roots of what each voter gives it, so many small voters count for more than one large one.
    /// </summary>
    Quadratic,

    /// <summary>"basic": single choice over exactly three choices, For (1), Against (2) and Abstain (3).</summary>
    Basic,
}

/// <summary>Snapshot's names for the <see cref="VotingType"/>s, as proposals carry them.</summary>
public static class VotingTypes
{
    /// <summary>Snapshot's name of <paramref name="type"/>, such as "single-choice".</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not one of the enum's values.</exception>
    public static string ToWire(this VotingType type) => type switch
    {
        VotingType.SingleChoice => "single-choice",
        VotingType.Approval => "approval",
        VotingType.RankedChoice => "ranked-choice",
        VotingType.Weighted => "weighted",
        VotingType.Quadratic => "quadratic",
        VotingType.Basic => "basic",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "is not a voting type"),
    };

    /// <summary>
    /// Reads Snapshot's name of a voting type, exactly as <see cref="ToWire"/> writes it (lowercase); false for any
    /// other text, including Snapshot's "copeland" and "custom".
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? wire, out VotingType type)
    {
        foreach (var candidate in Enum.GetValues<VotingType>())
        {
            if (string.Equals(wire, candidate.ToWire(), StringComparison.Ordinal))
            {
                type = candidate;
                return true;
            }
        }
        type = default;
        return false;
    }
}
