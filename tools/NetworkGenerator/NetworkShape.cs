using Heurist.Protocol.Jobs;
using Heurist.Protocol.Models;

namespace Heurist.NetworkGenerator;

/// <summary>A GPU as nvidia-smi names it, how common it is among miners, and how fast it renders next to an RTX 4090.</summary>
internal sealed record GpuModel(string Name, int MemoryGiB, double Share, double SlowerThan4090)
{
    /// <summary>Whole GiB, so that the worker's rule (memory in GiB at least the model's minimum) admits what the catalog names.</summary>
    public long MemoryBytes => MemoryGiB * 1024L * 1024 * 1024;
}

/// <summary>How the network uses one catalog model: how often it is asked for, the sizes and steps people pick, how long it takes.</summary>
internal sealed record ModelShape(
    ImageModel Model,
    double Demand,
    double ServedBy,
    double MedianSecondsOn4090,
    IReadOnlyList<(int Width, int Height, double Share)> Sizes,
    (int Min, int Max) Steps,
    (double Min, double Max) Guidance,
    IReadOnlyList<string> Schedulers,
    IReadOnlyList<string> Files)
{
    public IReadOnlyList<double> SizeShares { get; } = [.. Sizes.Select(s => s.Share)];
}

/// <summary>The fixed facts the synthetic network is drawn from.</summary>
internal static class NetworkShape
{
    public static readonly IReadOnlyList<GpuModel> Gpus =
    [
        new("NVIDIA GeForce RTX 4090", 24, 26, 1.0),
        new("NVIDIA GeForce RTX 3090", 24, 17, 1.7),
        new("NVIDIA GeForce RTX 4080", 16, 9, 1.35),
        new("NVIDIA GeForce RTX 3080", 10, 7, 2.0),
        new("NVIDIA A100-SXM4-80GB", 80, 6, 0.8),
        new("NVIDIA H100 80GB HBM3", 80, 4, 0.5),
        new("NVIDIA L40S", 48, 4, 0.95),
        new("NVIDIA RTX A6000", 48, 5, 1.5),
        new("NVIDIA GeForce RTX 4070 Ti", 12, 6, 1.6),
        new("NVIDIA GeForce RTX 3060", 12, 5, 3.0),
        new("NVIDIA A10", 24, 3, 2.2),
        new("NVIDIA RTX 6000 Ada Generation", 48, 2, 0.9),
        new("NVIDIA GeForce RTX 4060 Ti", 16, 3, 2.4),
        new("NVIDIA A40", 48, 3, 1.4),
    ];

    public static readonly IReadOnlyList<double> GpuShares = [.. Gpus.Select(g => g.Share)];

    /// <summary>The catalog's image models, as the network uses them. Ids, multipliers, deadlines and limits come from the catalog.</summary>
    public static IReadOnlyList<ModelShape> Models(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return [.. catalog.Image.Select(model => model.Pipeline switch
        {
            PipelineKind.StableDiffusion15 => new ModelShape(model, Demand: 0.30, ServedBy: 0.75, MedianSecondsOn4090: 1.6,
                [(512, 512, 0.55), (512, 768, 0.15), (768, 512, 0.10), (768, 768, 0.10), (640, 640, 0.05), (384, 512, 0.05)],
                (15, 40), (4, 12), ImageJobRules.SchedulersFor(model.Pipeline),
                ["text_encoder/model.onnx", "unet/model.onnx", "vae_decoder/model.onnx", "tokenizer/vocab.json", "tokenizer/merges.txt"]),
            PipelineKind.StableDiffusionXl => new ModelShape(model, Demand: 0.45, ServedBy: 0.80, MedianSecondsOn4090: 5.5,
                [(1024, 1024, 0.60), (832, 1216, 0.15), (1216, 832, 0.10), (896, 1152, 0.10), (768, 768, 0.05)],
                (20, 40), (4, 10), ImageJobRules.SchedulersFor(model.Pipeline),
                ["text_encoder/model.onnx", "text_encoder_2/model.onnx", "unet/model.onnx", "vae_decoder/model.onnx", "tokenizer/vocab.json", "tokenizer/merges.txt"]),
            _ => new ModelShape(model, Demand: 0.25, ServedBy: 0.70, MedianSecondsOn4090: 14,
                [(1024, 1024, 0.60), (768, 1344, 0.15), (1344, 768, 0.10), (1024, 768, 0.15)],
                (20, 35), (2, 5), ImageJobRules.SchedulersFor(model.Pipeline),
                ["text_encoder/model.onnx", "text_encoder_2/model.onnx", "transformer/model.onnx", "vae_decoder/model.onnx", "tokenizer/vocab.json", "tokenizer_2/spiece.model"]),
        })];
    }

    public static readonly IReadOnlyList<string> Prompts =
    [
        "a lighthouse on a cliff at dawn",
        "portrait of an old fisherman, oil painting",
        "a cat astronaut floating in space",
        "cyberpunk street market in the rain",
        "watercolor fox in a snowy forest",
        "anime girl with silver hair, cherry blossoms",
        "isometric cozy bedroom, low poly",
        "a castle made of glass, fantasy art",
        "macro photo of a dew drop on a leaf",
        "retro sci-fi book cover, rocket and moon",
        "samurai under a red umbrella",
        "steampunk airship over a city",
        "a bowl of ramen, studio lighting",
        "mountain lake at sunset, 35mm film",
        "a dragon sleeping on gold coins",
        "minimalist logo of a hummingbird",
        "knight in ornate armor, dramatic light",
        "underwater temple with glowing fish",
        "pixel art village at night",
        "a corgi wearing sunglasses on the beach",
        "art nouveau poster of a violinist",
        "futuristic car, product shot",
        "ancient library with floating books",
        "waifu in a maid outfit, detailed eyes",
    ];

    public static readonly IReadOnlyList<string> NegativePrompts = ["", "", "", "blurry, low quality", "text, watermark", "extra fingers, deformed hands"];

    public static readonly IReadOnlyList<string> HostPrefixes = ["gpu", "node", "atlas", "orion", "kappa", "vega", "titan", "zeus", "lambda", "nebula", "hydra", "falcon"];

    public static readonly IReadOnlyList<string> HostSites = ["fra1", "ams3", "nyc2", "sfo3", "sgp1", "hel1", "fsn1", "waw", "tyo", "home", "lab", "dc2"];

    public static readonly IReadOnlyList<(string Version, double Share)> WorkerVersions = [("0.4.2", 0.55), ("0.4.1", 0.25), ("0.4.0", 0.12), ("0.3.9", 0.08)];

    /// <summary>Why jobs fail, as the worker words it (see ImageGenerationJob).</summary>
    public static readonly IReadOnlyList<string> FailureReasons =
    [
        "{0} could not render it (CUDA failure 2: out of memory)",
        "{0} could not render it (input size does not match the graph)",
        "{0} could not render it (ONNX Runtime: device lost)",
        "miner {1} does not serve {0}",
    ];
}
