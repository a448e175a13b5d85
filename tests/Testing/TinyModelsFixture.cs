using Heurist.TinyModels;
using Xunit;

namespace Heurist.Testing;

/// <summary>The tiny demo models (SD 1.5, SDXL, Flux), written once into a temporary folder and removed at the end.</summary>
public sealed class TinyModelsFixture : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"heurist-tiny-models-{Guid.NewGuid():N}");

    public string ModelFolder(string modelId) => Path.Combine(Folder, modelId);

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
        return ValueTask.CompletedTask;
    }
}
