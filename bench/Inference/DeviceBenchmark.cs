using System.Diagnostics;
using System.Globalization;
using Heurist.Inference.Worker.Device;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Pipelines;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Models;

namespace Heurist.Bench.Inference;

/// <summary>
/// bench/device.sh: the execution provider the worker picks here, the time of one denoising step on the tiny models
/// (SD 1.5 at 512², SDXL at 1024²), the pipeline's overhead ratio on that device, and the GPU memory's peak while they
/// run (nvidia-smi, sampled every 50 ms). Made for a GPU machine; on the CPU it prints the same keys.
/// </summary>
internal static class DeviceBenchmark
{
    public static void Run(string models, Action<string, string> print)
    {
        var choice = ExecutionProviderChoice.Detect(DeviceSetting.Auto, cudaDeviceId: 0);
        var device = new InferenceDevice(DeviceInfo.Detect(choice), Environment.ProcessorCount);
        print("device.provider", device.ExecutionProvider);
        print("device.provider_reason", choice.Reason.Replace('\n', ' '));

        using var memory = new VramSampler();
        foreach (var (modelId, size) in new[] { ("sd15", 512), ("sdxl", 1024) })
        {
            print($"device.step_ms.{modelId}_{size}", StepMilliseconds(models, modelId, size, device).ToString("0.000", CultureInfo.InvariantCulture));
        }
        var overhead = OverheadBenchmark.Measure(models, width: 512, height: 512, steps: 20, repeats: 9, device);
        print("device.overhead_ratio", overhead.Ratio.ToString("0.000", CultureInfo.InvariantCulture));
        print("device.overhead_ratio_min", overhead.MinRatio.ToString("0.000", CultureInfo.InvariantCulture));
        print("device.overhead_ratio_max", overhead.MaxRatio.ToString("0.000", CultureInfo.InvariantCulture));
        print("device.vram_peak_mb", memory.PeakMb is { } peak ? peak.ToString(CultureInfo.InvariantCulture) : "n/a (no nvidia-smi)");
    }

    /// <summary>The median over 5 runs of the denoising phase's time per step, after one warm-up run.</summary>
    private static double StepMilliseconds(string models, string modelId, int size, InferenceDevice device)
    {
        var model = ModelCatalog.CreateDefault().FindImageModel(modelId)!;
        using var pipeline = PipelineFactory.Create(ModelFolder.Inspect(Path.Combine(models, modelId), model), model, device);
        const int Steps = 20;
        var job = new ResolvedImageJob("a lighthouse on a cliff at dawn", "blurry", modelId, size, size, Steps, 7.5, 42, "euler");
        using (pipeline.Generate(job, _ => { }, CancellationToken.None))
        {
        }
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            using var image = pipeline.Generate(job, _ => { }, CancellationToken.None);
            times.Add(image.Timings.Denoising.TotalMilliseconds / Steps);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    /// <summary>Polls nvidia-smi for GPU 0's used memory while the benchmark runs; null where there is none.</summary>
    private sealed class VramSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private long? _peak;

        public VramSampler() => _sampling = Task.Run(SampleAsync);

        public long? PeakMb
        {
            get
            {
                _stop.Cancel();
                _sampling.Wait();
                return _peak;
            }
        }

        private async Task SampleAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var smi = Process.Start(new ProcessStartInfo("nvidia-smi", "--query-gpu=memory.used --format=csv,noheader,nounits -i 0")
                    {
                        RedirectStandardOutput = true,
                        RedirectStandardError = true,
                    })!;
                    var text = await smi.StandardOutput.ReadToEndAsync();
                    await smi.WaitForExitAsync();
                    if (smi.ExitCode == 0 && long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var used))
                    {
                        _peak = Math.Max(_peak ?? 0, used);
                    }
                }
                catch (System.ComponentModel.Win32Exception)
                {
                    return;
                }
                try
                {
                    await Task.Delay(50, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _sampling.Wait();
            _stop.Dispose();
        }
    }
}
