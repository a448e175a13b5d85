using System.Globalization;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using MudBlazor;

namespace Heurist.Portal.Client.Features.Governance;

/// <summary>The governance pages' addresses.</summary>
public static class GovernanceLinks
{
    public const string List = "/governance";

    public const string New = "/governance/new";

    /// <summary>A proposal's page; its id is the receipt of the signed proposal.</summary>
    public static string Proposal(string id) => $"/governance/{Uri.EscapeDataString(id)}";
}

/// <summary>How the governance pages put proposals into words.</summary>
public static class GovernanceText
{
    /// <summary>The voting types in the order the create form offers them.</summary>
    public static IReadOnlyList<VotingType> Types { get; } =
        [VotingType.SingleChoice, VotingType.Basic, VotingType.Approval, VotingType.RankedChoice, VotingType.Weighted, VotingType.Quadratic];

    /// <summary>The labels of a basic proposal's three choices.</summary>
    public static IReadOnlyList<string> BasicChoices { get; } = ["For", "Against", "Abstain"];

    /// <summary>A voting type's name for people: "Single choice", "Ranked choice".</summary>
    public static string TypeName(VotingType type) => type switch
    {
        VotingType.SingleChoice => "Single choice",
        VotingType.Approval => "Approval",
        VotingType.RankedChoice => "Ranked choice",
        VotingType.Weighted => "Weighted",
        VotingType.Quadratic => "Quadratic",
        VotingType.Basic => "Basic (For / Against / Abstain)",
        _ => type.ToString(),
    };

    /// <summary>The type of a proposal's wire name, or its name as it came when it is none the portal knows.</summary>
    public static string TypeName(string wire) => VotingTypes.TryParse(wire, out var type) ? TypeName(type) : wire;

    /// <summary>One line on how a type's votes are cast and counted.</summary>
    public static string TypeExplanation(VotingType type) => type switch
    {
        VotingType.SingleChoice => "Each voter picks one choice, which gets all of the voter's power.",
        VotingType.Approval => "Each voter approves any number of choices; each approved choice gets all of the voter's power.",
        VotingType.RankedChoice => "Each voter ranks every choice; the last choice is eliminated round by round until one has a majority.",
        VotingType.Weighted => "Each voter spreads their power over the choices in percentages that add up to 100 %.",
        VotingType.Quadratic => "Like weighted, but a choice's score grows with the square root of each vote, so many small voters count for more.",
        VotingType.Basic => "Each voter picks For, Against or Abstain; Abstain counts towards the quorum but cannot win.",
        _ => "",
    };

    /// <summary>The state's name as a chip shows it.</summary>
    public static string StateName(ProposalState state) => state switch
    {
        ProposalState.Pending => "Pending",
        ProposalState.Active => "Active",
        ProposalState.Closed => "Closed",
        ProposalState.Cancelled => "Cancelled",
        _ => state.ToString(),
    };

    public static Color StateColor(ProposalState state) => state switch
    {
        ProposalState.Active => Color.Success,
        ProposalState.Pending => Color.Info,
        ProposalState.Cancelled => Color.Error,
        _ => Color.Default,
    };

    /// <summary>
    /// When the proposal opens or closes, from <paramref name="now"/>: "starts in 5 h 12 min", "ends in 2 d 3 h", "ended 4 d ago".
    /// </summary>
    public static string Timing(ProposalSummary proposal, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return proposal.State switch
        {
            ProposalState.Cancelled => "cancelled",
            ProposalState.Pending when proposal.Start > now => $"starts in {Countdown(proposal.Start - now)}",
            ProposalState.Pending => "starting now",
            ProposalState.Active when proposal.End > now => $"ends in {Countdown(proposal.End - now)}",
            ProposalState.Active => "ending now",
            _ => $"ended {Formatting.Ago(proposal.End, now)}",
        };
    }

    /// <summary>A time left in its two largest units: "2 d 3 h", "5 h 12 min", "4 min 10 s", "42 s".</summary>
    public static string Countdown(TimeSpan left)
    {
        if (left < TimeSpan.Zero)
        {
            left = TimeSpan.Zero;
        }
        return left switch
        {
            { TotalDays: >= 1 } => Invariant($"{left.Days} d {left.Hours} h"),
            { TotalHours: >= 1 } => Invariant($"{left.Hours} h {left.Minutes} min"),
            { TotalMinutes: >= 1 } => Invariant($"{left.Minutes} min {left.Seconds} s"),
            _ => Invariant($"{left.Seconds} s"),
        };
    }

    /// <summary>The leading choices in words: "sdxl", "For and Against (tied)", or null before any power is cast.</summary>
    public static string? Leading(ProposalSummary proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return proposal.Leading switch
        {
            [] => null,
            [var one] => one,
            var tied => $"{string.Join(", ", tied.Take(tied.Count - 1))} and {tied[^1]} (tied)",
        };
    }

    /// <summary>The 0-based indexes of the leading choices: those named in Leading with the top score among them.</summary>
    public static IReadOnlySet<int> LeadingIndexes(ProposalSummary proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        var named = Enumerable.Range(0, proposal.Choices.Count)
            .Where(i => i < proposal.Scores.Count && proposal.Leading.Contains(proposal.Choices[i]))
            .ToList();
        if (named.Count == 0)
        {
            return new HashSet<int>();
        }
        var top = named.Max(i => proposal.Scores[i]);
        return named.Where(i => proposal.Scores[i] == top).ToHashSet();
    }

    /// <summary>The share of <paramref name="part"/> in <paramref name="total"/>, as <see cref="Formatting.Percent(decimal)"/> writes it; "0%" of nothing.</summary>
    public static string Share(decimal part, decimal total) => Formatting.Percent(total > 0 ? part / total : 0m);

    /// <summary>How far the cast power is towards the quorum, 0 to 100.</summary>
    public static double QuorumPercent(ProposalSummary proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return proposal.Quorum is { } quorum && quorum > 0 ? (double)Math.Min(100m, proposal.ScoresTotal / quorum * 100m) : 100;
    }

    /// <summary>"1 voter", "12 voters".</summary>
    public static string Voters(int count) => count == 1 ? "1 voter" : $"{Formatting.Count(count)} voters";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
