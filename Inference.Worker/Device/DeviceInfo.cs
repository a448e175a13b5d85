using System.Diagnostics;
using System.Globalization;
using Heurist.Portal.Data.Miners;
using Microsoft.ML.OnnxRuntime;

namespace Heurist.Inference.Worker.Device;

/// <summary>What this worker runs inference on.</summary>
public sealed record DeviceInfo(string Name, DeviceKind Kind, long MemoryBytes)
{
    /// <summary>
    /// The GPU when ONNX Runtime offers the CUDA execution provider, otherwise the CPU.
    /// The GPU's name and memory come from nvidia-smi; the CPU's from /proc.
    /// </summary>
    public static DeviceInfo Detect()
    {
        if (OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider"))
        {
            return QueryNvidiaGpu() ?? new DeviceInfo("NVIDIA GPU (CUDA)", DeviceKind.Cuda, 0);
        }
        return new DeviceInfo(ReadCpuModel(), DeviceKind.Cpu, ReadSystemMemory());
    }

    private static DeviceInfo? QueryNvidiaGpu()
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", "--query-gpu=name,memory.total --format=csv,noheader,nounits")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }
            var firstGpu = process.StandardOutput.ReadLine();
            process.WaitForExit(5000);
            var parts = firstGpu?.Split(',', StringSplitOptions.TrimEntries);
            if (parts is not { Length: 2 } || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var mebibytes))
            {
                return null;
            }
            return new DeviceInfo(parts[0], DeviceKind.Cuda, mebibytes * 1024 * 1024);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string ReadCpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (File.Exists(cpuInfo))
        {
            foreach (var line in File.ReadLines(cpuInfo))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
                {
                    return $"{line[(colon + 1)..].Trim()} ({Environment.ProcessorCount} cores)";
                }
            }
        }
        return $"{System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture} CPU ({Environment.ProcessorCount} cores)";
    }

    private static long ReadSystemMemory()
    {
        const string memInfo = "/proc/meminfo";
        if (File.Exists(memInfo))
        {
            foreach (var line in File.ReadLines(memInfo))
            {
                // "MemTotal:       24576000 kB"
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal)
                    && long.TryParse(line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture, out var kibibytes))
                {
                    return kibibytes * 1024;
                }
            }
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
