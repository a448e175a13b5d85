using Heurist.Inference.Worker.Device;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Pipelines;
using Heurist.Inference.Worker.Diffusion.Schedulers;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Miners;
using Heurist.Protocol.Models;
using Heurist.Testing;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Heurist.Inference.Worker.Tests.Diffusion;

/// <summary>
/// The denoising loop bound three ways gives the same bytes: plain session runs with the step on the host (the
/// reference), an IOBinding over host arrays, and an IOBinding over tensors in the session's device memory with the
/// scheduler step run as an ONNX graph (the CUDA path, here on the CPU).
/// </summary>
public sealed class DenoiseBindingTests(TinyModelsFixture tiny)
{
    private static readonly ModelCatalog Catalog = ModelCatalog.CreateDefault();

    public static TheoryData<string, string, double> Every => new()
    {
        { "sd15", SchedulerFactory.Euler, 5 },
        { "sd15", SchedulerFactory.EulerAncestral, 5 },
        { "sd15", SchedulerFactory.Ddim, 5 },
        { "sd15", SchedulerFactory.Lcm, 5 },
        // Guidance 1: the UNet runs at batch 1, with no unconditional branch.
        { "sd15", SchedulerFactory.Euler, 1 },
        { "sdxl", SchedulerFactory.Euler, 5 },
        { "sdxl", SchedulerFactory.EulerAncestral, 5 },
        { "sdxl", SchedulerFactory.Ddim, 5 },
        { "sdxl", SchedulerFactory.Lcm, 1 },
        { "flux-dev", SchedulerFactory.FlowMatchEuler, 3.5 },
    };

    public static TheoryData<string, string> Fp16 => new()
    {
        { "sd15", SchedulerFactory.EulerAncestral },
        { "sd15", SchedulerFactory.Ddim },
        { "sdxl", SchedulerFactory.Euler },
        { "flux-dev", SchedulerFactory.FlowMatchEuler },
    };

    [Theory]
    [MemberData(nameof(Every))]
    public void Every_binding_gives_the_unbound_loops_bytes_and_previews(string modelId, string scheduler, double guidance)
    {
        var job = Job(modelId, scheduler, guidance);
        var (reference, referencePreviews) = Render(tiny.ModelFolder(modelId), modelId, DenoiseBinding.Unbound, job);

        foreach (var binding in new[] { DenoiseBinding.HostMemory, DenoiseBinding.DeviceMemory })
        {
            var (pixels, previews) = Render(tiny.ModelFolder(modelId), modelId, binding, job);
            Assert.True(reference.AsSpan().SequenceEqual(pixels), $"{binding}: the pixels differ from the unbound loop's.");
            Assert.Equal(referencePreviews, previews);
        }
    }

    [Theory]
    [MemberData(nameof(Fp16))]
    public void A_float16_export_loads_runs_in_device_memory_and_matches_the_unbound_loop(string modelId, string scheduler)
    {
        var folder = tiny.Fp16ModelFolder(modelId);
        var job = Job(modelId, scheduler, 4);
        using (var pipeline = (DiffusionPipeline)Load(folder, modelId, DenoiseBinding.Auto))
        {
            Assert.Equal(DenoiseBinding.DeviceMemory, pipeline.BindingFor(Call(pipeline, job)));
        }

        var (reference, _) = Render(folder, modelId, DenoiseBinding.Unbound, job);
        var (bound, _) = Render(folder, modelId, DenoiseBinding.DeviceMemory, job);

        Assert.True(reference.AsSpan().SequenceEqual(bound), "float16: the device loop's pixels differ from the unbound loop's.");
        // Not a flat or broken image, and close to what the float32 weights draw (the fp16 weights are theirs, rounded).
        Assert.All(bound, p => Assert.True(float.IsFinite(p)));
        Assert.True(bound.Distinct().Count() > 100);
        var (float32, _) = Render(tiny.ModelFolder(modelId), modelId, DenoiseBinding.Unbound, job);
        var meanDifference = bound.Zip(float32, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanDifference < 0.05, $"float16 pixels differ from float32 ones by {meanDifference} on average.");
    }

    [Fact]
    public void Float32_denoisers_on_the_cpu_step_on_the_host_and_float16_ones_in_device_memory()
    {
        using var fp32 = (DiffusionPipeline)Load(tiny.ModelFolder("sd15"), "sd15", DenoiseBinding.Auto);
        using var fp16 = (DiffusionPipeline)Load(tiny.Fp16ModelFolder("sdxl"), "sdxl", DenoiseBinding.Auto);

        Assert.Equal(DenoiseBinding.HostMemory, fp32.BindingFor(Call(fp32, Job("sd15", SchedulerFactory.Euler, 5))));
        Assert.Equal(DenoiseBinding.DeviceMemory, fp16.BindingFor(Call(fp16, Job("sdxl", SchedulerFactory.Euler, 5))));
    }

    [Fact]
    public void Device_copies_cast_to_float16_on_the_device_as_the_host_would_round()
    {
        var device = new InferenceDevice(new DeviceInfo("test CPU", DeviceKind.Cpu, 8L << 30), cpuThreads: 1);
        using var memory = new DeviceMemory(device);
        float[] values = [0f, 1f, -2.5f, 1f / 3, 65504f, 1e-8f, 3.14159265f, -0.000061035156f, 2049f, 4097f];
        using var host = OrtValue.CreateTensorValueFromMemory(values, [values.Length]);
        using var halves = memory.Allocate(TensorElementType.Float16, [values.Length]);
        var back = new float[values.Length];
        using var hostBack = OrtValue.CreateTensorValueFromMemory(back, [values.Length]);

        memory.CopyOnce(host, halves);
        using (var widen = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [values.Length]))
        {
            memory.CopyOnce(halves, widen);
            widen.GetTensorDataAsSpan<float>().CopyTo(back);
        }

        Assert.Equal(values.Select(v => (float)(Float16)v), back);
    }

    [Fact]
    public void A_loop_given_back_serves_the_next_job_of_the_same_size_with_that_jobs_prompt()
    {
        using var pipeline = Load(tiny.ModelFolder("sdxl"), "sdxl", DenoiseBinding.DeviceMemory);
        var first = Job("sdxl", SchedulerFactory.Euler, 5) with { Prompt = "a lighthouse" };
        var second = first with { Prompt = "a castle at night" };

        using var a = pipeline.Generate(first, _ => { }, TestContext.Current.CancellationToken);
        using var b = pipeline.Generate(second, _ => { }, TestContext.Current.CancellationToken);
        using var again = pipeline.Generate(first, _ => { }, TestContext.Current.CancellationToken);

        Assert.False(a.Pixels.SequenceEqual(b.Pixels));
        Assert.True(a.Pixels.SequenceEqual(again.Pixels));
    }

    private static ResolvedImageJob Job(string modelId, string scheduler, double guidance)
        => new("a red fox in the snow, 東京", "blurry", modelId, 96, 64, 4, guidance, 11, scheduler);

    private static DenoiserCall Call(DiffusionPipeline pipeline, ResolvedImageJob job)
        => pipeline.Denoiser(pipeline.EncodeForTests(job), job, pipeline.LatentShapeForTests(job));

    private static IImagePipeline Load(string folder, string modelId, DenoiseBinding binding)
    {
        var model = Catalog.FindImageModel(modelId)!;
        var device = new InferenceDevice(new DeviceInfo("test CPU", DeviceKind.Cpu, 8L << 30), cpuThreads: 2, binding: binding);
        return PipelineFactory.Create(ModelFolder.Inspect(folder, model), model, device);
    }

    private static (float[] Pixels, List<byte[]> Previews) Render(string folder, string modelId, DenoiseBinding binding, ResolvedImageJob job)
    {
        using var pipeline = Load(folder, modelId, binding);
        var previews = new List<byte[]>();
        using var image = pipeline.Generate(job, progress => previews.Add(progress.CapturePreview()()), TestContext.Current.CancellationToken);
        return (image.Pixels.ToArray(), previews);
    }
}
