using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Heurist.Inference.Worker.Diffusion.Onnx;

/// <summary>
/// The memory the sessions run in (the GPU's with CUDA, the host's on the CPU) and the only ways data crosses between
/// it and the host: <see cref="Copy"/> runs a one-node ONNX graph (Identity, or Cast where the element types differ)
/// through an IOBinding whose input is bound where the data is and whose output is bound where it must go, so ONNX
/// Runtime makes the transfer, and casts to float16 happen on the device, not on the host. The same code runs on the
/// CPU, where the tests run it.
/// </summary>
public sealed class DeviceMemory : IDisposable
{
    private readonly InferenceDevice _device;
    private readonly Dictionary<(TensorElementType From, TensorElementType To, int Rank), InferenceSession> _copies = [];
    private readonly Dictionary<string, InferenceSession> _graphs = new(StringComparer.Ordinal);
    private readonly RunOptions _runOptions = new();
    // Jobs running at once on one pipeline (Worker:Concurrency above 1) share this: the caches are locked.
    private readonly Lock _lock = new();
    private OrtAllocator? _allocator;

    public DeviceMemory(InferenceDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        Info = device.UsesCuda
            ? new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, device.CudaDeviceId, OrtMemType.Default)
            : OrtMemoryInfo.DefaultInstance;
    }

    public InferenceDevice Device => _device;

    /// <summary>Where tensors allocated here live.</summary>
    public OrtMemoryInfo Info { get; }

    /// <summary>A tensor in device memory, for as long as the caller keeps (and then disposes) it.</summary>
    public OrtValue Allocate(TensorElementType type, long[] shape)
    {
        OrtAllocator allocator;
        lock (_lock)
        {
            // The device's allocator comes from a session that runs there; any of ours will do.
            allocator = _allocator ??= _device.UsesCuda ? new OrtAllocator(CopySession(TensorElementType.Float, TensorElementType.Float, 1), Info) : OrtAllocator.DefaultInstance;
        }
        return OrtValue.CreateAllocatedTensorValue(allocator, type, shape);
    }

    /// <summary>A transfer from <paramref name="source"/> to <paramref name="destination"/> (host or device, same shape), ready to run again.</summary>
    public BoundCopy Copy(OrtValue source, OrtValue destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var from = source.GetTensorTypeAndShape();
        var to = destination.GetTensorTypeAndShape().ElementDataType;
        InferenceSession session;
        lock (_lock)
        {
            session = CopySession(from.ElementDataType, to, from.Shape.Length);
        }
        var binding = session.CreateIoBinding();
        binding.BindInput("x", source);
        binding.BindOutput("y", destination);
        return new BoundCopy(session, binding, _runOptions);
    }

    /// <summary>Copies once (see <see cref="Copy"/>): for tensors written once per job.</summary>
    public void CopyOnce(OrtValue source, OrtValue destination)
    {
        using var copy = Copy(source, destination);
        copy.Run();
    }

    /// <summary>A session for one of the worker's own graphs, made once per distinct graph and kept.</summary>
    public InferenceSession Session(string key, Func<byte[]> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        lock (_lock)
        {
            if (!_graphs.TryGetValue(key, out var session))
            {
                using var options = _device.CreateSessionOptions(ownGraph: true);
                session = new InferenceSession(model(), options);
                _graphs[key] = session;
            }
            return session;
        }
    }

    public RunOptions RunOptions => _runOptions;

    private InferenceSession CopySession(TensorElementType from, TensorElementType to, int rank)
    {
        if (!_copies.TryGetValue((from, to, rank), out var session))
        {
            var graph = new OnnxModelWriter();
            var dimensions = Enumerable.Range(0, rank).Select(d => (object)$"d{d}").ToArray();
            graph.Input("x", from, dimensions);
            graph.Output("y", to, dimensions);
            if (from == to)
            {
                graph.Node("Identity", ["x"], ["y"]);
            }
            else
            {
                graph.Node("Cast", ["x"], ["y"], ("to", OnnxModelWriter.DataType(to)));
            }
            using var options = _device.CreateSessionOptions(ownGraph: true);
            session = new InferenceSession(graph.ToBytes("copy"), options);
            _copies[(from, to, rank)] = session;
        }
        return session;
    }

    public void Dispose()
    {
        foreach (var session in _copies.Values.Concat(_graphs.Values))
        {
            session.Dispose();
        }
        if (_allocator is { } allocator && !ReferenceEquals(allocator, OrtAllocator.DefaultInstance))
        {
            allocator.Dispose();
        }
        _runOptions.Dispose();
    }

    /// <summary>A copy bound once and run as often as needed (the timestep, every step).</summary>
    public sealed class BoundCopy(InferenceSession session, OrtIoBinding binding, RunOptions runOptions) : IDisposable
    {
        public void Run()
        {
            session.RunWithBinding(runOptions, binding);
            binding.SynchronizeBoundOutputs();
        }

        public void Dispose() => binding.Dispose();
    }
}
