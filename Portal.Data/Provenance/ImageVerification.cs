using Heurist.Protocol.Api.Provenance;

namespace Heurist.Portal.Data.Provenance;

/// <summary>One re-run of an image's recorded recipe on a worker, and its outcome.</summary>
public sealed class ImageVerification
{
    /// <summary>The longest <see cref="Reason"/> the column holds; a longer one is cut to this.</summary>
    public const int MaxReasonLength = 1000;

    public Guid Id { get; set; }

    /// <summary>The image re-run (images.sha256).</summary>
    public required string ImageSha256 { get; set; }

    /// <summary>The model the recipe runs on, which is also the queue the re-run waits on.</summary>
    public required string ModelId { get; set; }

    public VerificationState State { get; set; }

    /// <summary>The PNG sha256 the provenance records.</summary>
    public required string ExpectedSha256 { get; set; }

    /// <summary>The re-run's PNG sha256, once it ran.</summary>
    public string? ActualSha256 { get; set; }

    /// <summary>"field: expected → actual" for each environment field (or model file) that differed.</summary>
    public List<string> Differences { get; set; } = [];

    /// <summary>Why it could not verify, in words fit for the creator.</summary>
    public string? Reason { get; set; }

    /// <summary>The miner that re-ran it.</summary>
    public string? MinerId { get; set; }

    public string? HangfireJobId { get; set; }

    /// <summary>How many times a worker started it.</summary>
    public int Attempts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}
