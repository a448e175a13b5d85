using Heurist.Inference.Worker.Device;
using Heurist.Protocol.Miners;

namespace Heurist.Inference.Worker.Tests.Device;

public sealed class DeviceInfoTests
{
    private const string CpuInfo = """
        processor	: 0
        vendor_id	: AuthenticAMD
        model name	: AMD EPYC 7B13 64-Core Processor
        cache size	: 512 KB

        processor	: 1
        model name	: AMD EPYC 7B13 64-Core Processor
        """;

    private const string MemInfo = """
        MemTotal:       24576000 kB
        MemFree:        20000000 kB
        """;

    [Fact]
    public void On_cuda_the_device_is_the_gpu_nvidia_smi_names()
    {
        var device = DeviceInfo.Detect(cuda: true, () => "NVIDIA GeForce RTX 4090, 24564", CpuInfo, MemInfo, cores: 16);

        Assert.Equal(new DeviceInfo("NVIDIA GeForce RTX 4090", DeviceKind.Cuda, 24564L * 1024 * 1024), device);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")]
    [InlineData("NVIDIA H200, [N/A]")]
    public void On_cuda_but_no_readable_nvidia_smi_the_device_is_a_gpu_of_unknown_memory(string? smiLine)
    {
        var device = DeviceInfo.Detect(cuda: true, () => smiLine, CpuInfo, MemInfo, cores: 16);

        Assert.Equal(new DeviceInfo("NVIDIA GPU (CUDA)", DeviceKind.Cuda, 0), device);
    }

    [Fact]
    public void Off_cuda_the_device_is_the_cpu_with_its_cores_and_memory()
    {
        var asked = false;
        var device = DeviceInfo.Detect(cuda: false, () => { asked = true; return "NVIDIA GeForce RTX 4090, 24564"; }, CpuInfo, MemInfo, cores: 2);

        Assert.Equal(new DeviceInfo("AMD EPYC 7B13 64-Core Processor (2 cores)", DeviceKind.Cpu, 24576000L * 1024), device);
        Assert.False(asked, "nvidia-smi is only asked when the sessions run on CUDA.");
    }

    [Fact]
    public void A_cpu_without_proc_files_is_named_by_its_architecture_and_has_the_memory_the_runtime_sees()
    {
        var device = DeviceInfo.Detect(cuda: false, () => null, cpuInfo: null, memInfo: "MemFree: 1 kB", cores: 4);

        Assert.Equal($"{System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture} CPU (4 cores)", device.Name);
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, device.MemoryBytes);
    }

    [Fact]
    public void This_machine_reports_a_named_device_with_memory()
    {
        var device = DeviceInfo.Detect(ExecutionProviderChoice.Detect(DeviceSetting.Auto, cudaDeviceId: 0));

        Assert.False(string.IsNullOrWhiteSpace(device.Name));
        Assert.True(device.MemoryBytes > 0, $"{device.MemoryBytes} bytes");
    }
}
