using Heurist.Protocol.Jobs;

namespace Heurist.Portal.Data.Images;

/// <summary>A creator's request for one image, its progress while a worker runs it, and its outcome.</summary>
public sealed class ImageJob
{
    /// <summary>The longest <see cref="Error"/> the column holds; a longer reason is cut to this.</summary>
    public const int MaxErrorLength = 1000;

    public Guid Id { get; set; }

    /// <summary>The browser that asked: its random creator id, kept in that browser's localStorage.</summary>
    public required string CreatorId { get; set; }

    /// <summary>
    /// The signed-in account the job belongs to, as lowercase 0x-hex: set when it was submitted signed in, or when the
    /// account adopted its browser's anonymous jobs. Null for a job nobody has claimed.
    /// </summary>
    public string? OwnerAddress { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string Prompt { get; set; }

    public required string NegativePrompt { get; set; }

    public required string ModelId { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    public int Steps { get; set; }

    public double Guidance { get; set; }

    public long Seed { get; set; }

    public required string Scheduler { get; set; }

    public ImageJobState State { get; set; }

    /// <summary>Denoising steps done so far, of <see cref="Steps"/>.</summary>
    public int ProgressStep { get; set; }

    /// <summary>A small PNG of the latents at <see cref="ProgressStep"/>, for the live preview.</summary>
    public byte[]? Preview { get; set; }

    public string? HangfireJobId { get; set; }

    public string? MinerId { get; set; }

    /// <summary>How many times a worker started this job: 1 unless a worker died or a retry ran it again.</summary>
    public int Attempts { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public bool CancelRequested { get; set; }

    /// <summary>
    /// Until when someone is watching the job live: the portal moves it forward while it streams the job's progress,
    /// and the worker renders previews only while it lies ahead. Null when nobody has watched it.
    /// </summary>
    public DateTimeOffset? WatchedUntil { get; set; }

    /// <summary>Why it failed, in words fit for the creator.</summary>
    public string? Error { get; set; }

    /// <summary>The image's sha256, once it succeeded.</summary>
    public string? ImageSha256 { get; set; }

    public decimal? Points { get; set; }
}

/// <summary>A generated PNG, stored once by its sha256 however many jobs produce it.</summary>
public sealed class StoredImage
{
    public required string Sha256 { get; set; }

    public required byte[] Png { get; set; }

    public int Width { get; set; }

    public int Height { get; set; }

    /// <summary>How it was made, as JSON: model and file hashes, seed, parameters, timings, worker.</summary>
    public required string Metadata { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Points credited to a miner for one job; one row per job, so a retry can never credit twice.</summary>
public sealed class PointsCredit
{
    public Guid JobId { get; set; }

    public required string MinerId { get; set; }

    public PointsKind Kind { get; set; }

    public decimal Points { get; set; }

    public DateTimeOffset CreditedAt { get; set; }
}

public enum PointsKind
{
    Waifu,
    Llama,
}

/// <summary>A model a miner serves, with the sha256 of each of its files as loaded.</summary>
public sealed class MinerModel
{
    public required string MinerId { get; set; }

    public required string ModelId { get; set; }

    /// <summary>True for the tiny random-weight demo models.</summary>
    public bool Demo { get; set; }

    /// <summary>JSON object: relative file path → sha256.</summary>
    public required string FileHashes { get; set; }

    public DateTimeOffset RegisteredAt { get; set; }
}
