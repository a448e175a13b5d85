using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;

[assembly: AssemblyFixture(typeof(Heurist.TinyModels.Tests.GeneratedModels))]

namespace Heurist.TinyModels.Tests;

/// <summary>
/// The tiny models written once (seed 1) into a temporary folder for the whole test run, with one
/// ONNX Runtime session per model file, created on first use and shared, as the worker would hold them.
/// </summary>
public sealed class GeneratedModels : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<InferenceSession>> _sessions = new(StringComparer.Ordinal);

    public GeneratedModels()
    {
        Folder = Path.Combine(Path.GetTempPath(), "heurist-tiny-models-" + Guid.NewGuid().ToString("N"));
        Files = TinyModelWriter.WriteAll(Folder, seed: 1);
    }

    public string Folder { get; }

    public IReadOnlyList<string> Files { get; }

    public string PathOf(string relativePath) => Path.Combine(Folder, relativePath);

    /// <summary>The session of a model file such as <c>sd15/unet/model.onnx</c>, on the CPU provider.</summary>
    public InferenceSession Session(string model)
        => _sessions.GetOrAdd(model, m => new Lazy<InferenceSession>(() => new InferenceSession(PathOf(m)))).Value;

    public void Dispose()
    {
        foreach (var session in _sessions.Values.Where(s => s.IsValueCreated))
        {
            session.Value.Dispose();
        }
        Directory.Delete(Folder, recursive: true);
    }
}
