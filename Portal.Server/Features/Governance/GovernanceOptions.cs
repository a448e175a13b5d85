using System.ComponentModel.DataAnnotations;
using Heurist.Protocol.Api.Governance;

namespace Heurist.Portal.Server.Features.Governance;

/// <summary>The Snapshot hub for one space, and how voting power is counted (section "Governance").</summary>
public sealed class GovernanceOptions
{
    public const string Section = "Governance";

    /// <summary>The space id every message must name; messages for any other space are refused.</summary>
    [Required(ErrorMessage = "Governance:Space must be set.")]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "Governance:Space must be 1 to 64 letters, digits, '.', '_' or '-'.")]
    public string Space { get; set; } = "heurist.eth";

    /// <summary>The voting power a proposer needs at the proposal's snapshot block, in weighted tokens.</summary>
    [Range(typeof(decimal), "0", "1000000000000", ErrorMessage = "Governance:ProposalThreshold must be between 0 and 1e12.")]
    public decimal ProposalThreshold { get; set; } = 1_000m;

    /// <summary>The power that must be cast for a proposal's result to stand; 0 for no quorum.</summary>
    [Range(typeof(decimal), "0", "1000000000000", ErrorMessage = "Governance:Quorum must be between 0 and 1e12.")]
    public decimal Quorum { get; set; }

    /// <summary>The longest proposal body, in characters (Snapshot's default).</summary>
    [Range(1, 100_000, ErrorMessage = "Governance:MaxBodyLength must be between 1 and 100000.")]
    public int MaxBodyLength { get; set; } = 10_000;

    /// <summary>How far ahead of the portal's clock a message's timestamp may be, in seconds.</summary>
    [Range(0, 3600, ErrorMessage = "Governance:MaxClockSkewSeconds must be between 0 and 3600.")]
    public int MaxClockSkewSeconds { get; set; } = 300;

    /// <summary>How old a message may be when it arrives, in seconds (Snapshot's sequencer takes three days).</summary>
    [Range(60, 30 * 24 * 3600, ErrorMessage = "Governance:MaxMessageAgeSeconds must be between 60 and 2592000.")]
    public int MaxMessageAgeSeconds { get; set; } = 3 * 24 * 3600;

    /// <summary>The weight of the HEU balance in voting power.</summary>
    [Range(typeof(decimal), "0", "1000", ErrorMessage = "Governance:HeuWeight must be between 0 and 1000.")]
    public decimal HeuWeight { get; set; } = 1m;

    /// <summary>The weight of the esHEU balance.</summary>
    [Range(typeof(decimal), "0", "1000", ErrorMessage = "Governance:EsHeuWeight must be between 0 and 1000.")]
    public decimal EsHeuWeight { get; set; } = 1m;

    /// <summary>The weight of HEU staked on miners in MinerStaking.</summary>
    [Range(typeof(decimal), "0", "1000", ErrorMessage = "Governance:StakedHeuWeight must be between 0 and 1000.")]
    public decimal StakedHeuWeight { get; set; } = 1m;

    /// <summary>The weight of esHEU staked on miners in MinerStaking.</summary>
    [Range(typeof(decimal), "0", "1000", ErrorMessage = "Governance:StakedEsHeuWeight must be between 0 and 1000.")]
    public decimal StakedEsHeuWeight { get; set; } = 1m;

    public VotingPowerWeights Weights => new(HeuWeight, EsHeuWeight, StakedHeuWeight, StakedEsHeuWeight);
}

/// <summary>How the network's workers are split between models (section "Allocation").</summary>
public sealed class AllocationOptions
{
    public const string Section = "Allocation";

    /// <summary>The weight of the voted shares against demand: target = α × voted + (1 − α) × demand.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Allocation:Alpha must be between 0 and 1.")]
    public double Alpha { get; set; } = 0.5;

    /// <summary>How often the targets and the workers' assignments are recomputed, in seconds; 0 turns allocation off.</summary>
    [Range(0, 3600, ErrorMessage = "Allocation:RecomputeSeconds must be between 0 and 3600.")]
    public int RecomputeSeconds { get; set; } = 5;

    /// <summary>The window of recent jobs that counts as demand, in minutes.</summary>
    [Range(1, 24 * 60, ErrorMessage = "Allocation:DemandWindowMinutes must be between 1 and 1440.")]
    public int DemandWindowMinutes { get; set; } = 15;

    /// <summary>A job's weight in demand grows by 1 for every this many seconds it waited for a worker.</summary>
    [Range(1, 3600, ErrorMessage = "Allocation:WaitScaleSeconds must be between 1 and 3600.")]
    public int WaitScaleSeconds { get; set; } = 60;

    /// <summary>How often the target and actual shares are recorded for the Stats chart, in seconds.</summary>
    [Range(5, 3600, ErrorMessage = "Allocation:SampleEverySeconds must be between 5 and 3600.")]
    public int SampleEverySeconds { get; set; } = 60;
}
