namespace Heurist.Protocol.Models;

/// <summary>
/// The models the network serves. The defaults follow the seeds (multipliers, minimum GPUs); deployments may
/// override any of it in configuration.
/// </summary>
public sealed class ModelCatalog
{
    public List<ImageModel> Image { get; set; } = [];

    public List<LanguageModel> Language { get; set; } = [];

    public ImageModel? FindImageModel(string? id) => Image.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.Ordinal));

    public LanguageModel? FindLanguageModel(string? id) => Language.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.Ordinal));

    /// <summary>The catalog as the seeds describe it.</summary>
    public static ModelCatalog CreateDefault() => new()
    {
        Image =
        [
            new ImageModel
            {
                Id = "sd15",
                DisplayName = "Stable Diffusion 1.5",
                Category = ModelCategory.StableDiffusion15,
                Pipeline = PipelineKind.StableDiffusion15,
                DefaultWidth = 512,
                DefaultHeight = 512,
                DefaultSteps = 25,
                DefaultGuidance = 7.5,
                DefaultScheduler = "euler-ancestral",
                MinWidth = 256,
                MaxWidth = 1024,
                MinHeight = 256,
                MaxHeight = 1024,
                // RTX 3070, 4060 Ti, A4000
                MinVramGiB = 8,
                PointsMultiplier = 0.3m,
                DeadlineSeconds = 60,
            },
            new ImageModel
            {
                Id = "sdxl",
                DisplayName = "Stable Diffusion XL",
                Category = ModelCategory.StableDiffusionXl,
                Pipeline = PipelineKind.StableDiffusionXl,
                DefaultWidth = 1024,
                DefaultHeight = 1024,
                DefaultSteps = 30,
                DefaultGuidance = 7,
                DefaultScheduler = "euler",
                MinWidth = 512,
                MaxWidth = 2048,
                MinHeight = 512,
                MaxHeight = 2048,
                // RTX 3090, 4080, A4500
                MinVramGiB = 16,
                PointsMultiplier = 1m,
                DeadlineSeconds = 120,
            },
            new ImageModel
            {
                Id = "flux-dev",
                DisplayName = "Flux.1 [dev]",
                Category = ModelCategory.FluxDev,
                Pipeline = PipelineKind.Flux,
                DefaultWidth = 1024,
                DefaultHeight = 1024,
                DefaultSteps = 28,
                DefaultGuidance = 3.5,
                DefaultScheduler = "flow-match-euler",
                SizeMultiple = 16,
                MinWidth = 256,
                MaxWidth = 2048,
                MinHeight = 256,
                MaxHeight = 2048,
                // RTX 4090, A100
                MinVramGiB = 24,
                PointsMultiplier = 10m,
                DeadlineSeconds = 300,
            },
        ],
        Language =
        [
            new LanguageModel { Id = "openhermes-mixtral-8x7b-gptq", DisplayName = "OpenHermes Mixtral 8x7B (GPTQ)", PointsMultiplier = 1m, MinVramGiB = 40 },
            new LanguageModel { Id = "dolphin-2.9-llama3-8b", DisplayName = "Dolphin 2.9 Llama 3 8B", PointsMultiplier = 0.24m, MinVramGiB = 16 },
            new LanguageModel { Id = "openhermes-2-pro-mistral-7b", DisplayName = "OpenHermes 2 Pro Mistral 7B", PointsMultiplier = 0.2m, MinVramGiB = 16 },
        ],
    };
}

/// <summary>A language model and its Llama points multiplier.</summary>
public sealed class LanguageModel
{
    public string Id { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public decimal PointsMultiplier { get; set; }

    public double MinVramGiB { get; set; }
}
