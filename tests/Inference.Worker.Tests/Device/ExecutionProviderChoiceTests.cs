using Heurist.Inference.Worker.Device;

namespace Heurist.Inference.Worker.Tests.Device;

public sealed class ExecutionProviderChoiceTests
{
    private static readonly string[] GpuBuild = ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"];

    private static readonly string[] CpuBuild = ["CPUExecutionProvider"];

    [Fact]
    public void Auto_takes_cuda_when_its_provider_appends_on_the_device_asked_for()
    {
        var asked = new List<int>();

        var choice = ExecutionProviderChoice.Choose(DeviceSetting.Auto, 1, GpuBuild, id => { asked.Add(id); return null; });

        Assert.Equal(new ExecutionProviderChoice("CUDAExecutionProvider", "CUDA device 1"), choice);
        Assert.True(choice.UsesCuda);
        Assert.Equal([1], asked);
    }

    [Fact]
    public void Auto_falls_back_to_the_cpu_with_the_missing_library_as_the_reason()
    {
        var choice = ExecutionProviderChoice.Choose(DeviceSetting.Auto, 0, GpuBuild, _ => "libcudnn.so.9 not found");

        Assert.Equal(new ExecutionProviderChoice("CPUExecutionProvider", "libcudnn.so.9 not found"), choice);
        Assert.False(choice.UsesCuda);
    }

    [Fact]
    public void The_cpu_package_is_the_cpu_and_cuda_is_never_tried()
    {
        var tried = false;

        var choice = ExecutionProviderChoice.Choose(DeviceSetting.Auto, 0, CpuBuild, _ => { tried = true; return null; });

        Assert.Equal("CPUExecutionProvider", choice.Provider);
        Assert.StartsWith("this build of ONNX Runtime has no CUDA provider", choice.Reason, StringComparison.Ordinal);
        Assert.False(tried);
    }

    [Fact]
    public void Cpu_is_the_cpu_even_where_cuda_would_load()
    {
        var tried = false;

        var choice = ExecutionProviderChoice.Choose(DeviceSetting.Cpu, 0, GpuBuild, _ => { tried = true; return null; });

        Assert.Equal(new ExecutionProviderChoice("CPUExecutionProvider", "Worker:Device is cpu"), choice);
        Assert.False(tried);
    }

    [Fact]
    public void Cuda_that_cannot_be_used_stops_with_one_sentence_naming_why()
    {
        var missing = Assert.Throws<DeviceUnavailableException>(() => ExecutionProviderChoice.Choose(DeviceSetting.Cuda, 0, GpuBuild, _ => "libcublasLt.so.13 not found"));
        var noProvider = Assert.Throws<DeviceUnavailableException>(() => ExecutionProviderChoice.Choose(DeviceSetting.Cuda, 0, CpuBuild, _ => null));

        Assert.Equal("set to cuda, but CUDA cannot be used: libcublasLt.so.13 not found.", missing.Message);
        Assert.Contains("no CUDA provider", noProvider.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', noProvider.Message);
        Assert.Equal("CUDAExecutionProvider", ExecutionProviderChoice.Choose(DeviceSetting.Cuda, 0, GpuBuild, _ => null).Provider);
    }

    [Theory]
    [InlineData("Unable to load shared library '/w/libonnxruntime_providers_cuda.so' or one of its dependencies. In order to help diagnose loading problems, consider using a tool like strace.\nlibcudnn.so.9: cannot open shared object file: No such file or directory", "libcudnn.so.9 not found")]
    [InlineData("libcublasLt.so.13: cannot open shared object file: No such file or directory", "libcublasLt.so.13 not found")]
    [InlineData("libonnxruntime_providers_shared.so: cannot open shared object file", "libonnxruntime_providers_shared.so not found")]
    [InlineData("libcudart.so.13: undefined symbol: cudaGetDriverEntryPoint", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_missing_library_is_read_from_the_loaders_message(string? message, string? expected)
        => Assert.Equal(expected, ExecutionProviderChoice.MissingLibrary(message));

    [Fact]
    public void On_this_machine_the_cpu_package_gives_the_cpu_and_cuda_cannot_be_forced()
    {
        var choice = ExecutionProviderChoice.Detect(DeviceSetting.Auto, cudaDeviceId: 0);

        Assert.Equal("CPUExecutionProvider", choice.Provider);
        Assert.Contains("no CUDA provider", choice.Reason, StringComparison.Ordinal);
        Assert.Throws<DeviceUnavailableException>(() => ExecutionProviderChoice.Detect(DeviceSetting.Cuda, cudaDeviceId: 0));
    }
}
