using Heurist.Inference.Worker.Device;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Pipelines;
using Heurist.Protocol.Models;
using Microsoft.Extensions.Options;

namespace Heurist.Inference.Worker.Diffusion.Models;

/// <summary>
/// The models this worker serves: found under Worker:ModelsPath, checked against the catalog and the device,
/// hashed, loaded once into ONNX Runtime sessions and warmed up. Disposing it releases every session.
/// </summary>
public sealed class ModelHost(IOptions<WorkerOptions> options, ModelCatalog catalog, DeviceInfo device, ILogger<ModelHost> logger) : IDisposable
{
    private readonly Lock _loading = new();
    private readonly InferenceDevice _inference = new(device, options.Value.CpuThreads, options.Value.CudaDeviceId, options.Value.Cuda.ToSettings());
    private Dictionary<string, IImagePipeline>? _pipelines;

    /// <summary>The model folders this worker serves, once loaded.</summary>
    public IReadOnlyList<ModelFolder> Served => [.. Pipelines.Values.Select(p => p.Folder)];

    public IImagePipeline? Find(string modelId) => Pipelines.GetValueOrDefault(modelId);

    /// <summary>How the loaded models run: the execution provider and the CPU threads a provenance records.</summary>
    public InferenceDevice Inference => _inference;

    private Dictionary<string, IImagePipeline> Pipelines
    {
        get
        {
            lock (_loading)
            {
                return _pipelines ??= Load();
            }
        }
    }

    /// <summary>The catalog ids the configuration asks for (explicitly, or every folder present), before loading anything.</summary>
    public IReadOnlyList<string> ConfiguredModelIds()
    {
        var worker = options.Value;
        if (string.IsNullOrWhiteSpace(worker.ModelsPath))
        {
            return [];
        }
        return worker.Models.Count > 0
            ? [.. worker.Models.Distinct(StringComparer.Ordinal)]
            : [.. catalog.Image.Where(m => Directory.Exists(Path.Combine(worker.ModelsPath, m.Id))).Select(m => m.Id)];
    }

    /// <summary>
    /// Checks every configured model without loading it: in the catalog, a complete folder, and a device that can hold it.
    /// Throws <see cref="ModelFolderException"/> naming the model. Demo models are tiny, so the GPU memory rule is for real weights.
    /// </summary>
    public IReadOnlyList<ModelFolder> Inspect()
    {
        var folders = new List<ModelFolder>();
        foreach (var id in ConfiguredModelIds())
        {
            var model = catalog.FindImageModel(id)
                ?? throw new ModelFolderException($"'{id}' is not in the model catalog (it has {string.Join(", ", catalog.Image.Select(m => m.Id))})");
            var folder = ModelFolder.Inspect(Path.Combine(options.Value.ModelsPath!, id), model);
            var memoryGiB = device.MemoryBytes / (1024.0 * 1024 * 1024);
            if (!folder.Demo && memoryGiB < model.MinVramGiB)
            {
                throw new ModelFolderException(
                    $"{id} needs {model.MinVramGiB:0.#} GiB of GPU memory, and this device ({device.Name}) has {memoryGiB:0.#} GiB: remove it from Worker:Models");
            }
            folders.Add(folder);
        }
        return folders;
    }

    private Dictionary<string, IImagePipeline> Load()
    {
        var pipelines = new Dictionary<string, IImagePipeline>(StringComparer.Ordinal);
        foreach (var folder in Inspect())
        {
            var started = DateTime.UtcNow;
            var pipeline = PipelineFactory.Create(folder, catalog.FindImageModel(folder.ModelId)!, _inference);
            pipelines[folder.ModelId] = pipeline;
            logger.LogInformation("Loaded {Model} ({Kind}{Demo}) from {Path} in {Seconds:0.0} s",
                folder.ModelId, folder.Pipeline, folder.Demo ? ", demo weights" : "", folder.Path, (DateTime.UtcNow - started).TotalSeconds);
        }
        return pipelines;
    }

    public void Dispose()
    {
        lock (_loading)
        {
            foreach (var pipeline in _pipelines?.Values.ToList() ?? [])
            {
                pipeline.Dispose();
            }
            _pipelines = null;
        }
    }
}
