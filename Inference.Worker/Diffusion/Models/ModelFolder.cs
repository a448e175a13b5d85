using System.Security.Cryptography;
using System.Text.Json;
using Heurist.Protocol.Api.Provenance;
using Heurist.Protocol.Models;

namespace Heurist.Inference.Worker.Diffusion.Models;

/// <summary>A model folder is missing, incomplete or of another pipeline than its catalog entry says.</summary>
public sealed class ModelFolderException(string message) : Exception(message);

/// <summary>
/// A folder of ONNX graphs in the Optimum / diffusers ONNX layout (text_encoder/, unet/ or transformer/, vae_decoder/,
/// tokenizer/, scheduler/…), as the worker finds it on disk: which pipeline it is, whether it is a demo model,
/// and the sha256 of every file, taken when the worker loads it.
/// </summary>
public sealed class ModelFolder
{
    private ModelFolder(string path, string modelId, PipelineKind pipeline, bool demo, IReadOnlyDictionary<string, string> fileHashes)
    {
        Path = path;
        ModelId = modelId;
        Pipeline = pipeline;
        Demo = demo;
        FileHashes = fileHashes;
        RecordedFiles = ModelFileSelection.Select(fileHashes);
    }

    public string Path { get; }

    public string ModelId { get; }

    public PipelineKind Pipeline { get; }

    /// <summary>True for the tiny random-weight models tools/TinyModels writes (heurist-model.json says so).</summary>
    public bool Demo { get; }

    /// <summary>Relative path → sha256 (lowercase hex) of every file in the folder.</summary>
    public IReadOnlyDictionary<string, string> FileHashes { get; }

    /// <summary>
    /// The files of <see cref="FileHashes"/> that shape the output, as a provenance records them. Taken once, when the
    /// folder is inspected, so a job never hashes weights.
    /// </summary>
    public IReadOnlyDictionary<string, string> RecordedFiles { get; }

    /// <summary>The components each pipeline needs, each with its graph file.</summary>
    public static IReadOnlyList<string> RequiredGraphs(PipelineKind pipeline) => pipeline switch
    {
        PipelineKind.StableDiffusion15 => ["text_encoder", "unet", "vae_decoder"],
        PipelineKind.StableDiffusionXl => ["text_encoder", "text_encoder_2", "unet", "vae_decoder"],
        PipelineKind.Flux => ["text_encoder", "text_encoder_2", "transformer", "vae_decoder"],
        _ => throw new ArgumentOutOfRangeException(nameof(pipeline), pipeline, null),
    };

    /// <summary>Reads the folder of <paramref name="model"/>, checks it holds what its pipeline needs, and hashes its files.</summary>
    public static ModelFolder Inspect(string path, ImageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Directory.Exists(path))
        {
            throw new ModelFolderException($"{model.Id}: there is no model folder at {path}");
        }
        var (pipeline, demo) = ReadKind(path, model);
        if (pipeline != model.Pipeline)
        {
            throw new ModelFolderException($"{model.Id}: the folder {path} holds a {pipeline} model, but the catalog runs {model.Id} as {model.Pipeline}");
        }
        var missing = RequiredGraphs(pipeline).Where(c => !File.Exists(System.IO.Path.Combine(path, c, "model.onnx"))).ToList();
        if (!File.Exists(System.IO.Path.Combine(path, "scheduler", "scheduler_config.json")))
        {
            missing.Add("scheduler/scheduler_config.json");
        }
        if (missing.Count > 0)
        {
            throw new ModelFolderException($"{model.Id}: {path} lacks {string.Join(", ", missing.Select(m => m.Contains('/', StringComparison.Ordinal) ? m : $"{m}/model.onnx"))}");
        }
        return new ModelFolder(path, model.Id, pipeline, demo, HashFiles(path));
    }

    /// <summary>The graph file of a component; on CUDA an fp16 export (model.fp16.onnx) is preferred when present.</summary>
    public string GraphPath(string component, bool preferFp16)
    {
        var fp16 = System.IO.Path.Combine(Path, component, "model.fp16.onnx");
        return preferFp16 && File.Exists(fp16) ? fp16 : System.IO.Path.Combine(Path, component, "model.onnx");
    }

    /// <summary>A number from a component's config.json (the VAE's scaling_factor, shift_factor), or a fallback.</summary>
    public double ConfigNumber(string component, string key, double fallback)
    {
        var file = System.IO.Path.Combine(Path, component, "config.json");
        if (!File.Exists(file))
        {
            return fallback;
        }
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        return document.RootElement.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : fallback;
    }

    private static (PipelineKind Pipeline, bool Demo) ReadKind(string path, ImageModel model)
    {
        var marker = System.IO.Path.Combine(path, "heurist-model.json");
        if (File.Exists(marker))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(marker));
            var root = document.RootElement;
            var demo = root.TryGetProperty("demo", out var demoValue) && demoValue.ValueKind == JsonValueKind.True;
            if (root.TryGetProperty("pipeline", out var pipelineValue) && Enum.TryParse<PipelineKind>(pipelineValue.GetString(), out var declared))
            {
                return (declared, demo);
            }
            return (model.Pipeline, demo);
        }
        // A real export: tell the pipeline by its components, as model_index.json's class names vary between exporters.
        if (Directory.Exists(System.IO.Path.Combine(path, "transformer")))
        {
            return (PipelineKind.Flux, false);
        }
        return Directory.Exists(System.IO.Path.Combine(path, "text_encoder_2"))
            ? (PipelineKind.StableDiffusionXl, false)
            : (PipelineKind.StableDiffusion15, false);
    }

    private static Dictionary<string, string> HashFiles(string path)
    {
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
        {
            using var stream = File.OpenRead(file);
            hashes[System.IO.Path.GetRelativePath(path, file).Replace('\\', '/')] = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        return new Dictionary<string, string>(hashes, StringComparer.Ordinal);
    }
}
