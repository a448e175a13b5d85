using Heurist.Inference.Worker.Device;
using Heurist.Portal.Data.Miners;
using Microsoft.ML.OnnxRuntime;

namespace Heurist.Inference.Worker.Tests.Device;

public sealed class DeviceInfoTests
{
    [Fact]
    public void The_device_follows_the_execution_providers_onnx_runtime_offers()
    {
        var device = DeviceInfo.Detect();
        var hasCuda = OrtEnv.Instance().GetAvailableProviders().Contains("CUDAExecutionProvider");

        Assert.Equal(hasCuda ? DeviceKind.Cuda : DeviceKind.Cpu, device.Kind);
        Assert.False(string.IsNullOrWhiteSpace(device.Name));
    }

    [Fact]
    public void On_the_cpu_the_memory_is_the_machines_memory()
    {
        var device = DeviceInfo.Detect();
        if (device.Kind != DeviceKind.Cpu)
        {
            Assert.Skip("This machine runs inference on a GPU.");
        }
        Assert.Contains($"({Environment.ProcessorCount} cores)", device.Name, StringComparison.Ordinal);
        // /proc/meminfo and the GC agree to within what the GC may hold back.
        Assert.InRange(device.MemoryBytes, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2, long.MaxValue);
    }
}
