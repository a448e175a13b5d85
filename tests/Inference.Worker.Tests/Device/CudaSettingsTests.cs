using Heurist.Inference.Worker.Diffusion.Onnx;

namespace Heurist.Inference.Worker.Tests.Device;

/// <summary>
/// What the CUDA execution provider is given. Without a GPU these options cannot be seen to act; what is checked here is
/// that each setting reaches ONNX Runtime under the key its CUDA provider reads, and that the CUDA graph is asked for
/// only for the denoiser.
/// </summary>
public sealed class CudaSettingsTests
{
    [Fact]
    public void The_defaults_search_cudnn_exhaustively_with_no_arena_limit_and_no_cuda_graph()
    {
        var options = new CudaSettings().ProviderOptions(deviceId: 1, captureGraph: false);

        Assert.Equal("1", options["device_id"]);
        Assert.Equal("EXHAUSTIVE", options["cudnn_conv_algo_search"]);
        Assert.Equal("kSameAsRequested", options["arena_extend_strategy"]);
        Assert.Equal("0", options["enable_cuda_graph"]);
        Assert.False(options.ContainsKey("gpu_mem_limit"));
    }

    [Fact]
    public void A_memory_limit_in_mib_is_given_in_bytes_and_the_graph_only_when_asked_for()
    {
        var settings = new CudaSettings { ConvAlgoSearch = "HEURISTIC", MemoryLimitMb = 20_480, Graph = true };

        var denoiser = settings.ProviderOptions(deviceId: 0, captureGraph: true);

        Assert.Equal("HEURISTIC", denoiser["cudnn_conv_algo_search"]);
        Assert.Equal((20_480L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), denoiser["gpu_mem_limit"]);
        Assert.Equal("1", denoiser["enable_cuda_graph"]);
    }

    [Fact]
    public void Settings_bound_from_configuration_are_upper_cased_for_the_provider()
    {
        var options = new CudaOptions { ConvAlgoSearch = "heuristic", MemoryLimitMb = 512, Graph = true };

        Assert.Equal(new CudaSettings { ConvAlgoSearch = "HEURISTIC", MemoryLimitMb = 512, Graph = true }, options.ToSettings());
    }
}
