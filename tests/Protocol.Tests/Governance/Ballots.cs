using System.Globalization;
using System.Text.Json;
using Heurist.Protocol.Governance;

namespace Heurist.Protocol.Tests.Governance;

/// <summary>Builds votes and tallies for the Governance tests.</summary>
internal static class Ballots
{
    public const long Start = 1_700_000_000;
    public const long End = Start + 86_400;

    /// <summary>Reads a choice from its JSON text; the test fails if it cannot be read.</summary>
    public static VoteChoice Choice(string json)
    {
        using var document = JsonDocument.Parse(json);
        return VoteChoice.TryParse(document.RootElement, out var choice, out var error)
            ? choice
            : throw new ArgumentException(error, nameof(json));
    }

    public static string Voter(int i) => "0x" + (0xa000 + i).ToString("x40", CultureInfo.InvariantCulture);

    public static Vote Vote(string voter, string choice, decimal power, long at = Start + 60, string? receipt = null)
        => new(voter, at, Choice(choice), power, receipt ?? $"{voter}@{at}");

    /// <summary>Tallies votes given as (choice JSON, power), each by a different voter, inside the window.</summary>
    public static VoteTallyResult Tally(VotingType type, int choiceCount, params (string Choice, decimal Power)[] votes)
        => VoteTally.Compute(new VoteTallyInput(type, choiceCount, [.. votes.Select((v, i) => Vote(Voter(i), v.Choice, v.Power))], Start, End));

    public static VoteTallyResult Tally(VotingType type, int choiceCount, params Vote[] votes)
        => VoteTally.Compute(new VoteTallyInput(type, choiceCount, votes, Start, End));
}
