using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;

namespace Heurist.Inference.Worker.Device;

/// <summary>Worker:Device: where the graphs run.</summary>
public enum DeviceSetting
{
    /// <summary>CUDA when ONNX Runtime offers it and its libraries load, else the CPU.</summary>
    Auto,

    /// <summary>CUDA or nothing: without it the worker stops and names what is missing.</summary>
    Cuda,

    /// <summary>The CPU, even on a machine with a GPU.</summary>
    Cpu,
}

/// <summary>
/// The execution provider this worker's sessions use, and why: logged at start, kept in each image's provenance.
/// </summary>
public sealed partial record ExecutionProviderChoice(string Provider, string Reason)
{
    public const string CudaProvider = "CUDAExecutionProvider";

    public const string CpuProvider = "CPUExecutionProvider";

    /// <summary>The library ONNX Runtime loads for CUDA, next to libonnxruntime.so.</summary>
    public const string CudaProviderLibrary = "libonnxruntime_providers_cuda.so";

    public bool UsesCuda => Provider == CudaProvider;

    /// <summary>Chooses on this machine: ONNX Runtime's providers, and whether its CUDA provider library loads.</summary>
    /// <exception cref="DeviceUnavailableException">Worker:Device is cuda and CUDA cannot be used.</exception>
    public static ExecutionProviderChoice Detect(DeviceSetting setting, int cudaDeviceId)
        => Choose(setting, cudaDeviceId, OrtEnv.Instance().GetAvailableProviders(), TryAppendCuda);

    /// <summary>
    /// The rules: Worker:Device cpu is the CPU; a build of ONNX Runtime without the CUDA provider (the CPU package) is
    /// the CPU; otherwise CUDA when its provider appends to a session, else the CPU with the reason it did not, which
    /// names the first missing library when there is one ("libcudnn.so.9 not found"). With Worker:Device cuda, every
    /// way to the CPU but the setting itself throws instead.
    /// </summary>
    /// <param name="setting">Worker:Device.</param>
    /// <param name="cudaDeviceId">Worker:CudaDeviceId.</param>
    /// <param name="providers">ONNX Runtime's available execution providers.</param>
    /// <param name="tryAppendCuda">Appends the CUDA provider for a device; null when it worked, else why not.</param>
    public static ExecutionProviderChoice Choose(DeviceSetting setting, int cudaDeviceId, IEnumerable<string> providers, Func<int, string?> tryAppendCuda)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(tryAppendCuda);
        if (setting == DeviceSetting.Cpu)
        {
            return new(CpuProvider, "Worker:Device is cpu");
        }
        string why;
        if (!providers.Contains(CudaProvider))
        {
            why = "this build of ONNX Runtime has no CUDA provider (the CPU package; ./run.sh builds the GPU one where nvidia-smi answers)";
        }
        else if (tryAppendCuda(cudaDeviceId) is { } failure)
        {
            why = failure;
        }
        else
        {
            return new(CudaProvider, $"CUDA device {cudaDeviceId}");
        }
        if (setting == DeviceSetting.Cuda)
        {
            throw new DeviceUnavailableException($"set to cuda, but CUDA cannot be used: {why}.");
        }
        return new(CpuProvider, why);
    }

    /// <summary>"libcudnn.so.9 not found" out of a loader's message that names the library it could not open; null when it names none.</summary>
    public static string? MissingLibrary(string? loaderMessage)
        => loaderMessage is not null && MissingLibraryPattern().Match(loaderMessage) is { Success: true } match
            ? $"{match.Groups[1].Value} not found"
            : null;

    private static string? TryAppendCuda(int deviceId)
    {
        // ONNX Runtime logs the failure as an error of its own; the choice says it in one line instead.
        var environment = OrtEnv.Instance();
        var level = environment.EnvLogLevel;
        environment.EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        try
        {
            using var options = new SessionOptions();
            options.AppendExecutionProvider_CUDA(deviceId);
            return null;
        }
        catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            // ONNX Runtime's own message says only that a library failed to load; the dynamic loader names it.
            return WhyCudaLibraryFails() ?? ex.Message;
        }
        finally
        {
            environment.EnvLogLevel = level;
        }
    }

    private static string? WhyCudaLibraryFails()
    {
        foreach (var folder in new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native") })
        {
            var path = Path.Combine(folder, CudaProviderLibrary);
            if (!File.Exists(path))
            {
                continue;
            }
            try
            {
                NativeLibrary.Free(NativeLibrary.Load(path));
                return null;
            }
            catch (DllNotFoundException ex)
            {
                return MissingLibrary(ex.Message) ?? ex.Message.ReplaceLineEndings(" ");
            }
        }
        return $"{CudaProviderLibrary} not found";
    }

    [GeneratedRegex(@"([\w.+-]+\.so[\w.]*): cannot open shared object file")]
    private static partial Regex MissingLibraryPattern();
}

/// <summary>Worker:Device asks for a device this machine cannot give.</summary>
public sealed class DeviceUnavailableException(string message) : Exception(message);
