using System.Text.Json.Serialization;
using Heurist.Protocol.Jobs;

namespace Heurist.Protocol.Api.Studio;

/// <summary>A model the Studio offers, with its defaults, its limits and who serves it now.</summary>
public sealed record StudioModel(
    string Id,
    string DisplayName,
    int DefaultWidth,
    int DefaultHeight,
    int DefaultSteps,
    double DefaultGuidance,
    string DefaultScheduler,
    int SizeMultiple,
    int MinWidth,
    int MaxWidth,
    int MinHeight,
    int MaxHeight,
    IReadOnlyList<string> Schedulers,
    decimal PointsMultiplier,
    int WorkersOnline,
    bool Demo);

/// <summary>
/// An image job as the Studio shows it: the request, the progress and the result. The preview is a data: URL
/// of the latents while the job runs. <c>MintedTokenId</c> is the Imaginaries token of the image once the portal has
/// indexed its mint.
/// </summary>
public sealed record ImageJobView(
    Guid Id,
    string Prompt,
    string NegativePrompt,
    string ModelId,
    int Width,
    int Height,
    int Steps,
    double Guidance,
    long Seed,
    string Scheduler,
    ImageJobState State,
    int ProgressStep,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    string? MinerId,
    string? ImageSha256,
    decimal? Points,
    string? Error,
    bool Demo,
    string? PreviewDataUrl,
    string? MintedTokenId = null)
{
    [JsonIgnore]
    public bool IsFinished => State is ImageJobState.Succeeded or ImageJobState.Failed or ImageJobState.Canceled;

    [JsonIgnore]
    public double Percent => Steps == 0 ? 0 : 100.0 * ProgressStep / Steps;

    /// <summary>Where the finished PNG is served.</summary>
    [JsonIgnore]
    public string? ImageUrl => ImageSha256 is null ? null : $"api/images/{ImageSha256}.png";
}
