using Heurist.Inference.Worker.Device;
using Heurist.Protocol.Miners;
using Microsoft.ML.OnnxRuntime;

namespace Heurist.Inference.Worker.Diffusion.Onnx;

/// <summary>
/// How graphs run on this machine: with ONNX Runtime's CUDA execution provider (fp16 weights where the folder has
/// them) when the native library offers it, otherwise on the CPU with a fixed thread count, so that the same inputs
/// give bit-identical outputs.
/// </summary>
public sealed class InferenceDevice(DeviceInfo device, int cpuThreads, int cudaDeviceId = 0, CudaSettings? cuda = null, DenoiseBinding binding = DenoiseBinding.Auto)
{
    public const string CpuProvider = ExecutionProviderChoice.CpuProvider;

    private volatile bool _cudaFailed;

    public bool UsesCuda => device.Kind == DeviceKind.Cuda;

    /// <summary>The execution provider the sessions run on: CUDA, unless it failed to load and they fell back to the CPU.</summary>
    public string ExecutionProvider => UsesCuda && !_cudaFailed ? ExecutionProviderChoice.CudaProvider : CpuProvider;

    /// <summary>ONNX Runtime's threads on the CPU, as sessions are made with them.</summary>
    public int CpuThreads => cpuThreads;

    public int CudaDeviceId => cudaDeviceId;

    public CudaSettings Cuda { get; } = cuda ?? new CudaSettings();

    /// <summary>How the denoising loop binds its tensors (see <see cref="DenoiseBinding"/>).</summary>
    public DenoiseBinding Binding => binding;

    /// <summary>
    /// Options for a session: a model's graph, the denoiser (which alone may be captured as a CUDA graph: it is the one
    /// run through an IOBinding with every tensor in device memory), or one of the worker's own small graphs
    /// (<paramref name="ownGraph"/>: the scheduler step, copies), which are left unfused so that each multiply and add is
    /// rounded on its own, as on the host.
    /// </summary>
    public SessionOptions CreateSessionOptions(bool ownGraph = false, bool denoiser = false)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = ownGraph ? GraphOptimizationLevel.ORT_DISABLE_ALL : GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (UsesCuda)
        {
            try
            {
                using var provider = new OrtCUDAProviderOptions();
                provider.UpdateOptions(Cuda.ProviderOptions(cudaDeviceId, captureGraph: denoiser && Cuda.Graph));
                options.AppendExecutionProvider_CUDA(provider);
                return options;
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or OnnxRuntimeException or DllNotFoundException)
            {
                _cudaFailed = true;
                // The CPU package was built without CUDA although the device reported it: run on the CPU rather than not at all.
            }
        }
        options.IntraOpNumThreads = cpuThreads;
        options.InterOpNumThreads = 1;
        // Each graph of a pipeline has its own thread pool; threads left spinning after one graph's run would take the
        // cores from the next graph's (the text encoder's from the UNet's, the UNet's from the VAE's).
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        // Not "session.set_denormal_as_zero": ONNX Runtime sets flush-to-zero on the calling thread too, which then
        // changes every later float operation on that thread (seeded noise included) and breaks reproducibility.
        return options;
    }
}

/// <summary>How the denoising loop keeps its tensors between steps.</summary>
public enum DenoiseBinding
{
    /// <summary>DeviceMemory with CUDA, or for float16 denoisers; HostMemory for float32 ones on the CPU.</summary>
    Auto,

    /// <summary>
    /// Plain session runs on host arrays, with the scheduler step and float16 conversions on the host: the reference
    /// the bound loops are tested against, byte for byte.
    /// </summary>
    Unbound,

    /// <summary>An IOBinding over host arrays, and the scheduler step on the host: on the CPU the host's memory is the device's.</summary>
    HostMemory,

    /// <summary>
    /// An IOBinding over tensors allocated in the session's device memory: the embeddings, time ids and latents stay
    /// there between steps, the scheduler step runs there as an ONNX graph, and data goes to the host only for previews
    /// and the final decode.
    /// </summary>
    DeviceMemory,
}

/// <summary>
/// The CUDA execution provider's settings a GPU owner may tune (Worker:Cuda:*). None of them can be exercised without a
/// GPU; the README says so.
/// </summary>
public sealed record CudaSettings
{
    /// <summary>cuDNN's convolution algorithm search: EXHAUSTIVE (benchmarks every algorithm once per shape; the fastest runs, a slow first step), HEURISTIC or DEFAULT.</summary>
    public string ConvAlgoSearch { get; init; } = "EXHAUSTIVE";

    /// <summary>The CUDA memory arena's limit in MiB; 0 for no limit.</summary>
    public long MemoryLimitMb { get; init; }

    /// <summary>Capture the denoiser as a CUDA graph per image size and replay it every step (fixed shapes and addresses).</summary>
    public bool Graph { get; init; }

    public static readonly string[] ConvAlgoSearches = ["EXHAUSTIVE", "HEURISTIC", "DEFAULT"];

    internal Dictionary<string, string> ProviderOptions(int deviceId, bool captureGraph)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device_id"] = deviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["cudnn_conv_algo_search"] = ConvAlgoSearch,
            // Grow the arena by what each request needs rather than doubling it: a 1024² SDXL job would otherwise reserve
            // twice its peak.
            ["arena_extend_strategy"] = "kSameAsRequested",
            ["do_copy_in_default_stream"] = "1",
            ["enable_cuda_graph"] = captureGraph ? "1" : "0",
        };
        if (MemoryLimitMb > 0)
        {
            options["gpu_mem_limit"] = (MemoryLimitMb * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return options;
    }
}
