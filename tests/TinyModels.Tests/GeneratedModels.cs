using System.Collections.Concurrent;
using Microsoft.ML.OnnxRuntime;

[assembly: AssemblyFixture(typeof(Heurist.TinyModels.Tests.GeneratedModels))]

namespace Heurist.TinyModels.Tests;

/// <summary>
/// The tiny models written once (seed 1) into a temporary folder for the whole test run, with one
/// ONNX Runtime session per model file, created on first use and shared, as the worker would hold them.
/// </summary>
public class GeneratedModels : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<InferenceSession>> _sessions = new(StringComparer.Ordinal);

    public GeneratedModels()
        : this(TinyPrecision.Fp32)
    {
    }

    protected GeneratedModels(TinyPrecision precision)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"heurist-tiny-models-{precision}-{Guid.NewGuid():N}");
        Files = TinyModelWriter.WriteAll(Folder, seed: 1, precision);
    }

    public string Folder { get; }

    public IReadOnlyList<string> Files { get; }

    public string PathOf(string relativePath) => Path.Combine(Folder, relativePath);

    /// <summary>The session of a model file such as <c>sd15/unet/model.onnx</c>, on the CPU provider.</summary>
    public InferenceSession Session(string model)
        => _sessions.GetOrAdd(model, m => new Lazy<InferenceSession>(() => new InferenceSession(PathOf(m)))).Value;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }
        foreach (var session in _sessions.Values.Where(s => s.IsValueCreated))
        {
            session.Value.Dispose();
        }
        Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>The same tiny models written as float16 exports (seed 1), for the tests that use them.</summary>
public sealed class GeneratedFp16Models : GeneratedModels
{
    public GeneratedFp16Models()
        : base(TinyPrecision.Fp16)
    {
    }
}
