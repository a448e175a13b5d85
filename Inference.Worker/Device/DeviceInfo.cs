using System.Diagnostics;
using System.Globalization;
using Heurist.Protocol.Miners;

namespace Heurist.Inference.Worker.Device;

/// <summary>What this worker runs inference on.</summary>
public sealed record DeviceInfo(string Name, DeviceKind Kind, long MemoryBytes)
{
    /// <summary>
    /// The GPU when the sessions run on CUDA (<paramref name="choice"/>), otherwise the CPU.
    /// The GPU's name and memory come from nvidia-smi; the CPU's from /proc.
    /// </summary>
    public static DeviceInfo Detect(ExecutionProviderChoice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        return Detect(choice.UsesCuda, QueryNvidiaSmi, ReadIfPresent("/proc/cpuinfo"), ReadIfPresent("/proc/meminfo"), Environment.ProcessorCount);
    }

    /// <summary>
    /// The device from what the machine reports: whether the sessions run on CUDA, nvidia-smi's first line ("name,
    /// MiB"; null when it cannot run), and the text of /proc/cpuinfo and /proc/meminfo (null when absent).
    /// </summary>
    internal static DeviceInfo Detect(bool cuda, Func<string?> nvidiaSmi, string? cpuInfo, string? memInfo, int cores)
    {
        if (cuda)
        {
            return ParseNvidiaSmi(nvidiaSmi()) ?? new DeviceInfo("NVIDIA GPU (CUDA)", DeviceKind.Cuda, 0);
        }
        var model = CpuModel(cpuInfo) ?? $"{System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture} CPU";
        return new DeviceInfo($"{model} ({cores} cores)", DeviceKind.Cpu, MemTotal(memInfo) ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
    }

    /// <summary>"NVIDIA GeForce RTX 4090, 24564": the GPU and its memory in MiB; null for anything else.</summary>
    internal static DeviceInfo? ParseNvidiaSmi(string? firstLine)
    {
        var parts = firstLine?.Split(',', StringSplitOptions.TrimEntries);
        return parts is { Length: 2 } && parts[0].Length > 0 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var mebibytes)
            ? new DeviceInfo(parts[0], DeviceKind.Cuda, mebibytes * 1024 * 1024)
            : null;
    }

    /// <summary>The "model name" of /proc/cpuinfo's first processor.</summary>
    internal static string? CpuModel(string? cpuInfo)
    {
        foreach (var line in (cpuInfo ?? "").Split('\n'))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0
                && line[(colon + 1)..].Trim() is { Length: > 0 } model)
            {
                return model;
            }
        }
        return null;
    }

    /// <summary>"MemTotal:       24576000 kB" of /proc/meminfo, in bytes.</summary>
    internal static long? MemTotal(string? memInfo)
    {
        foreach (var line in (memInfo ?? "").Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal)
                && long.TryParse(line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var kibibytes))
            {
                return kibibytes * 1024;
            }
        }
        return null;
    }

    private static string? QueryNvidiaSmi()
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
            return firstGpu;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string? ReadIfPresent(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
