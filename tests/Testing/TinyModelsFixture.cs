using Heurist.TinyModels;
using Xunit;

namespace Heurist.Testing;

/// <summary>The tiny demo models (SD 1.5, SDXL, Flux), written once into a temporary folder and removed at the end.</summary>
public sealed class TinyModelsFixture : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"heurist-tiny-models-{Guid.NewGuid():N}");

    public string ModelFolder(string modelId) => Path.Combine(Folder, modelId);

    private readonly Lazy<string> _fp16 = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), $"heurist-tiny-models-fp16-{Guid.NewGuid():N}");
        TinyModelWriter.WriteAll(folder, precision: TinyPrecision.Fp16);
        return folder;
    });

    /// <summary>The same models exported in float16 (written on first use), like Optimum's fp16 folders.</summary>
    public string Fp16ModelFolder(string modelId) => Path.Combine(_fp16.Value, modelId);

    public ValueTask InitializeAsync()
    {
        TinyModelWriter.WriteAll(Folder);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
        if (_fp16.IsValueCreated && Directory.Exists(_fp16.Value))
        {
            Directory.Delete(_fp16.Value, recursive: true);
        }
        return ValueTask.CompletedTask;
    }
}
