namespace Heurist.Protocol.Models;

/// <summary>What kind of model a job runs; decides the Waifu points multiplier and the minimum GPU.</summary>
public enum ModelCategory
{
    /// <summary>Stable Diffusion 1.5 checkpoints and their LoRAs.</summary>
    StableDiffusion15,

    /// <summary>Stable Diffusion XL checkpoints.</summary>
    StableDiffusionXl,

    /// <summary>Stable Diffusion XL with a LoRA.</summary>
    StableDiffusionXlLora,

    /// <summary>Flux.1 [dev].</summary>
    FluxDev,
}

/// <summary>Which inference pipeline runs a model: the graph layout the worker loads.</summary>
public enum PipelineKind
{
    StableDiffusion15,
    StableDiffusionXl,
    Flux,
}

/// <summary>
/// One image model of the catalog, as configuration: its defaults, its limits, the GPU it needs and how it is paid.
/// Settable properties so that hosts bind it from configuration ("Models:Image:&lt;n&gt;").
/// </summary>
public sealed class ImageModel
{
    /// <summary>The model's id: also its job queue's name, so lowercase letters, digits, '-' and '_'.</summary>
    public string Id { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public ModelCategory Category { get; set; }

    public PipelineKind Pipeline { get; set; }

    public int DefaultWidth { get; set; }

    public int DefaultHeight { get; set; }

    public int DefaultSteps { get; set; }

    public double DefaultGuidance { get; set; }

    /// <summary>The scheduler used when a job names none.</summary>
    public string DefaultScheduler { get; set; } = "";

    /// <summary>Width and height must be multiples of this: 8 (one latent pixel), or 16 for Flux, which packs latents 2×2.</summary>
    public int SizeMultiple { get; set; } = 8;

    public int MinWidth { get; set; } = 64;

    public int MaxWidth { get; set; } = 2048;

    public int MinHeight { get; set; } = 64;

    public int MaxHeight { get; set; } = 2048;

    /// <summary>The least GPU memory that holds the model; a worker with less refuses it.</summary>
    public double MinVramGiB { get; set; }

    /// <summary>Waifu points multiplier of the model's category.</summary>
    public decimal PointsMultiplier { get; set; }

    /// <summary>A job that takes longer than this earns no points.</summary>
    public int DeadlineSeconds { get; set; }
}
