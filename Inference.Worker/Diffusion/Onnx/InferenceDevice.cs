using Heurist.Inference.Worker.Device;
using Heurist.Protocol.Miners;
using Microsoft.ML.OnnxRuntime;

namespace Heurist.Inference.Worker.Diffusion.Onnx;

/// <summary>
/// How graphs run on this machine: with ONNX Runtime's CUDA execution provider (fp16 weights where the folder has
/// them) when the native library offers it, otherwise on the CPU with a fixed thread count, so that the same inputs
/// give bit-identical outputs.
/// </summary>
public sealed class InferenceDevice(DeviceInfo device, int cpuThreads, int cudaDeviceId = 0)
{
    public const string CpuProvider = ExecutionProviderChoice.CpuProvider;

    private volatile bool _cudaFailed;

    public bool UsesCuda => device.Kind == DeviceKind.Cuda;

    /// <summary>The execution provider the sessions run on: CUDA, unless it failed to load and they fell back to the CPU.</summary>
    public string ExecutionProvider => UsesCuda && !_cudaFailed ? ExecutionProviderChoice.CudaProvider : CpuProvider;

    /// <summary>ONNX Runtime's threads on the CPU, as sessions are made with them.</summary>
    public int CpuThreads => cpuThreads;

    public SessionOptions CreateSessionOptions()
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        if (UsesCuda)
        {
            try
            {
                options.AppendExecutionProvider_CUDA(cudaDeviceId);
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
