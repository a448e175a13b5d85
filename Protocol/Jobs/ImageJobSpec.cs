using System.Text.Json.Serialization;
using Heurist.Protocol.Api;
using Heurist.Protocol.Models;

namespace Heurist.Protocol.Jobs;

/// <summary>What a creator asks for: one image from one model. Null seed, size, steps, guidance or scheduler take the model's defaults.</summary>
public sealed record ImageJobSpec
{
    public string? Prompt { get; init; }

    public string? NegativePrompt { get; init; }

    public string? ModelId { get; init; }

    public int? Width { get; init; }

    public int? Height { get; init; }

    public int? Steps { get; init; }

    public double? Guidance { get; init; }

    /// <summary>
    /// The noise seed, 0 to 2^53 − 1 (the integers a browser's JSON keeps exactly); the same spec, seed and model give
    /// the same image. Null picks a random one.
    /// </summary>
    public long? Seed { get; init; }

    public string? Scheduler { get; init; }
}

/// <summary>A spec with every default filled in, ready to run.</summary>
public sealed record ResolvedImageJob(
    string Prompt,
    string NegativePrompt,
    string ModelId,
    int Width,
    int Height,
    int Steps,
    double Guidance,
    long Seed,
    string Scheduler);

/// <summary>The job limits the real miners use, and the check of a spec against them and the catalog.</summary>
public static class ImageJobRules
{
    public const int MaxPromptLength = 2000;

    public const int MaxSide = 2048;

    public const int MinSteps = 1;

    public const int MaxSteps = 50;

    public const double MinGuidance = 0;

    public const double MaxGuidance = 20;

    /// <summary>2^53 − 1: larger integers lose precision in JavaScript, so a seed shown in a browser would change.</summary>
    public const long MaxSeed = 9_007_199_254_740_991;

    /// <summary>The schedulers each pipeline can run.</summary>
    public static IReadOnlyList<string> SchedulersFor(PipelineKind pipeline) => pipeline == PipelineKind.Flux
        ? ["flow-match-euler"]
        : ["euler", "euler-ancestral", "ddim", "lcm"];

    /// <summary>What is wrong with the spec, by field (the JSON names: "prompt", "width", …); empty when it is valid.</summary>
    public static FieldErrors Validate(ImageJobSpec? spec, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var errors = new FieldErrors();
        if (spec is null)
        {
            return errors.Add("body", "A JSON body with at least \"prompt\" and \"modelId\" is required.");
        }

        if (string.IsNullOrWhiteSpace(spec.Prompt))
        {
            errors.Add("prompt", "prompt is required.");
        }
        else if (spec.Prompt.Length > MaxPromptLength)
        {
            errors.Add("prompt", $"prompt must be at most {MaxPromptLength} characters (it has {spec.Prompt.Length}).");
        }
        if (spec.NegativePrompt is { Length: > MaxPromptLength })
        {
            errors.Add("negativePrompt", $"negativePrompt must be at most {MaxPromptLength} characters (it has {spec.NegativePrompt.Length}).");
        }
        CheckText("prompt", spec.Prompt, errors);
        CheckText("negativePrompt", spec.NegativePrompt, errors);

        var model = catalog.FindImageModel(spec.ModelId);
        if (model is null)
        {
            errors.Add("modelId", string.IsNullOrWhiteSpace(spec.ModelId)
                ? $"modelId is required: one of {string.Join(", ", catalog.Image.Select(m => m.Id))}."
                : $"modelId '{spec.ModelId}' is not in the catalog: use one of {string.Join(", ", catalog.Image.Select(m => m.Id))}.");
        }

        var multiple = Math.Max(8, model?.SizeMultiple ?? 8);
        CheckSide("width", spec.Width, multiple, model?.MinWidth, model?.MaxWidth, errors);
        CheckSide("height", spec.Height, multiple, model?.MinHeight, model?.MaxHeight, errors);

        if (spec.Steps is { } steps && steps is < MinSteps or > MaxSteps)
        {
            errors.Add("steps", $"steps must be between {MinSteps} and {MaxSteps} (got {steps}).");
        }
        if (spec.Guidance is { } guidance && (double.IsNaN(guidance) || guidance is < MinGuidance or > MaxGuidance))
        {
            errors.Add("guidance", $"guidance must be between {MinGuidance} and {MaxGuidance} (got {guidance}).");
        }
        if (spec.Seed is { } seed && seed is < 0 or > MaxSeed)
        {
            errors.Add("seed", $"seed must be between 0 and {MaxSeed} (got {seed}).");
        }
        if (spec.Scheduler is { } scheduler && model is not null && !SchedulersFor(model.Pipeline).Contains(scheduler))
        {
            errors.Add("scheduler", $"scheduler '{scheduler}' does not run {model.Id}: use one of {string.Join(", ", SchedulersFor(model.Pipeline))}.");
        }
        return errors;
    }

    /// <summary>
    /// A NUL character cannot be stored in a PostgreSQL text column (nor shown): refuse it by name and position rather
    /// than fail on the insert.
    /// </summary>
    private static void CheckText(string field, string? text, FieldErrors errors)
    {
        var at = text?.IndexOf('\0', StringComparison.Ordinal) ?? -1;
        if (at >= 0)
        {
            errors.Add(field, $"{field} must not contain the NUL character (U+0000, at position {at}).");
        }
    }

    /// <summary>Fills the model's defaults into a valid spec; a missing seed comes from <paramref name="random"/>.</summary>
    public static ResolvedImageJob Resolve(ImageJobSpec spec, ModelCatalog catalog, Random random)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(random);
        var errors = Validate(spec, catalog);
        if (!errors.IsValid)
        {
            throw new ArgumentException($"The spec is invalid: {errors}", nameof(spec));
        }
        var model = catalog.FindImageModel(spec.ModelId)!;
        return new ResolvedImageJob(
            spec.Prompt!.Trim(),
            spec.NegativePrompt?.Trim() ?? "",
            model.Id,
            spec.Width ?? model.DefaultWidth,
            spec.Height ?? model.DefaultHeight,
            spec.Steps ?? model.DefaultSteps,
            spec.Guidance ?? model.DefaultGuidance,
            spec.Seed ?? random.NextInt64(0, MaxSeed + 1),
            spec.Scheduler ?? model.DefaultScheduler);
    }

    private static void CheckSide(string field, int? value, int multiple, int? min, int? max, FieldErrors errors)
    {
        if (value is not { } side)
        {
            return;
        }
        if (side % multiple != 0)
        {
            errors.Add(field, multiple == 8
                ? $"{field} must be a multiple of 8 (got {side})."
                : $"{field} must be a multiple of {multiple} for this model (got {side}).");
        }
        else if (side > MaxSide)
        {
            errors.Add(field, $"{field} must be at most {MaxSide} (got {side}).");
        }
        else if (min is { } lowest && max is { } highest && (side < lowest || side > highest))
        {
            errors.Add(field, $"{field} must be between {lowest} and {highest} for this model (got {side}).");
        }
        else if (side <= 0)
        {
            errors.Add(field, $"{field} must be positive (got {side}).");
        }
    }
}

/// <summary>Where an image job is in its life. Written as its name in JSON.</summary>
[JsonConverter(typeof(ImageJobStateJsonConverter))]
public enum ImageJobState
{
    /// <summary>Waiting in its model's queue.</summary>
    Queued,

    /// <summary>A worker is denoising it.</summary>
    Running,

    Succeeded,

    Failed,

    /// <summary>The creator cancelled it.</summary>
    Canceled,
}

/// <summary>Names only: a number is not a job state.</summary>
public sealed class ImageJobStateJsonConverter() : JsonStringEnumConverter<ImageJobState>(namingPolicy: null, allowIntegerValues: false);
