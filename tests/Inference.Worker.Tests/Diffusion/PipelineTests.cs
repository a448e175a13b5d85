using Heurist.Inference.Worker.Device;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Pipelines;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Miners;
using Heurist.Protocol.Models;
using Heurist.Testing;
using SkiaSharp;

namespace Heurist.Inference.Worker.Tests.Diffusion;

public sealed class PipelineTests(TinyModelsFixture tiny)
{
    private static readonly ModelCatalog Catalog = ModelCatalog.CreateDefault();
    private static readonly InferenceDevice Cpu = new(new DeviceInfo("test CPU", DeviceKind.Cpu, 8L << 30), cpuThreads: 2);

    public static TheoryData<string, string> Models => new()
    {
        { "sd15", "euler-ancestral" },
        { "sd15", "ddim" },
        { "sd15", "lcm" },
        { "sdxl", "euler" },
        { "sdxl", "euler-ancestral" },
        { "flux-dev", "flow-match-euler" },
    };

    private IImagePipeline Load(string modelId)
    {
        var model = Catalog.FindImageModel(modelId)!;
        return PipelineFactory.Create(ModelFolder.Inspect(tiny.ModelFolder(modelId), model), model, Cpu);
    }

    private static ResolvedImageJob Job(string modelId, string scheduler, long seed = 7, string prompt = "a red fox in the snow", int width = 64, int height = 64, int steps = 4, double guidance = 5)
        => new(prompt, "blurry", modelId, width, height, steps, guidance, seed, scheduler);

    [Theory]
    [MemberData(nameof(Models))]
    public void Each_pipeline_renders_a_png_of_the_requested_size_reporting_every_step(string modelId, string scheduler)
    {
        using var pipeline = Load(modelId);
        var steps = new List<DenoiseProgress>();
        byte[]? secondPreview = null;

        using var image = pipeline.Generate(Job(modelId, scheduler, width: 96, height: 64), progress =>
        {
            steps.Add(progress);
            if (progress.Step == 2)
            {
                // Captured during the callback, drawn afterwards.
                var render = progress.CapturePreview();
                secondPreview = render();
            }
        }, TestContext.Current.CancellationToken);

        using var decoded = SKBitmap.Decode(image.ToPng());
        Assert.Equal((96, 64), (decoded.Width, decoded.Height));
        Assert.Equal([1, 2, 3, 4], steps.Select(s => s.Step));
        Assert.All(steps, s => Assert.Equal(4, s.TotalSteps));
        using var preview = SKBitmap.Decode(secondPreview);
        Assert.Equal((96 / 8, 64 / 8), (preview.Width, preview.Height));
        Assert.True(image.Timings.Denoising > TimeSpan.Zero);
        // Not a flat image: the pixels vary.
        Assert.True(Enumerable.Range(0, 64).Select(i => decoded.GetPixel(i, i % 64)).Distinct().Count() > 8);
    }

    [Fact]
    public void Running_a_pipeline_leaves_the_threads_floating_point_mode_alone()
    {
        using (var pipeline = Load("sd15"))
        using (pipeline.Generate(Job("sd15", "euler"), _ => { }, TestContext.Current.CancellationToken))
        {
        }

        // Flush-to-zero on this thread would make subnormal numbers zero, and seeded noise depends on them.
        var smallest = double.Parse("5e-324", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(double.Epsilon, smallest);
        Assert.True(smallest * Math.Sqrt(1.0) > 0);
        Assert.True(float.Epsilon * (float)Math.Sqrt(1.0) > 0);
    }

    [Fact]
    public void An_image_keeps_its_pixels_while_later_images_reuse_pooled_buffers_and_refuses_reads_once_disposed()
    {
        using var pipeline = Load("sd15");
        var ct = TestContext.Current.CancellationToken;
        var first = pipeline.Generate(Job("sd15", "euler"), _ => { }, ct);
        var firstPng = first.ToPng();
        using (var second = pipeline.Generate(Job("sd15", "euler", seed: 8), _ => { }, ct))
        {
            Assert.NotEqual(firstPng, second.ToPng());
        }
        // The second image's buffer went back to the pool: the third may get it, but never the first's.
        using var third = pipeline.Generate(Job("sd15", "euler", seed: 9), _ => { }, ct);
        Assert.NotEqual(firstPng, third.ToPng());
        Assert.Equal(firstPng, first.ToPng());
        Assert.Equal(3 * 64 * 64, first.Pixels.Length);

        first.Dispose();
        Assert.Throws<ObjectDisposedException>(() => first.ToPng());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void The_same_spec_seed_and_model_give_byte_identical_pngs_even_from_a_new_session(string modelId, string scheduler)
    {
        byte[] first;
        using (var pipeline = Load(modelId))
        {
            first = pipeline.Generate(Job(modelId, scheduler), _ => { }, TestContext.Current.CancellationToken).ToPng();
            Assert.Equal(first, pipeline.Generate(Job(modelId, scheduler), _ => { }, TestContext.Current.CancellationToken).ToPng());
        }
        using var reloaded = Load(modelId);
        Assert.Equal(first, reloaded.Generate(Job(modelId, scheduler), _ => { }, TestContext.Current.CancellationToken).ToPng());
    }

    [Theory]
    [InlineData("sd15", "euler-ancestral")]
    [InlineData("sdxl", "euler")]
    [InlineData("flux-dev", "flow-match-euler")]
    public void Another_seed_prompt_or_guidance_gives_another_image(string modelId, string scheduler)
    {
        using var pipeline = Load(modelId);
        var ct = TestContext.Current.CancellationToken;
        var baseline = pipeline.Generate(Job(modelId, scheduler), _ => { }, ct).ToPng();

        Assert.NotEqual(baseline, pipeline.Generate(Job(modelId, scheduler, seed: 8), _ => { }, ct).ToPng());
        Assert.NotEqual(baseline, pipeline.Generate(Job(modelId, scheduler, prompt: "a blue whale at night"), _ => { }, ct).ToPng());
        Assert.NotEqual(baseline, pipeline.Generate(Job(modelId, scheduler, guidance: 9), _ => { }, ct).ToPng());
    }

    [Fact]
    public void Cancelling_between_steps_stops_the_run()
    {
        using var pipeline = Load("sd15");
        using var cancel = new CancellationTokenSource();
        var seen = 0;

        Assert.Throws<OperationCanceledException>(() => pipeline.Generate(Job("sd15", "euler", steps: 10), progress =>
        {
            seen = progress.Step;
            if (progress.Step == 3)
            {
                cancel.Cancel();
            }
        }, cancel.Token));
        Assert.Equal(3, seen);
    }

    [Fact]
    public void A_graph_without_an_input_the_pipeline_binds_is_named_with_the_file()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"heurist-broken-{Guid.NewGuid():N}");
        try
        {
            CopyFolder(tiny.ModelFolder("sd15"), broken);
            // A text encoder where the UNet should be: it has input_ids, not sample.
            File.Copy(Path.Combine(broken, "text_encoder", "model.onnx"), Path.Combine(broken, "unet", "model.onnx"), overwrite: true);
            var model = Catalog.FindImageModel("sd15")!;

            var error = Assert.Throws<ModelInterfaceException>(() => PipelineFactory.Create(ModelFolder.Inspect(broken, model), model, Cpu));

            Assert.StartsWith("unet/model.onnx has no input 'sample', 'timestep', 'encoder_hidden_states' (it has input_ids)", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(broken, recursive: true);
        }
    }

    [Fact]
    public void Flux_packing_and_unpacking_are_inverses()
    {
        var latents = Enumerable.Range(0, 16 * 4 * 6).Select(i => (float)i).ToArray();

        var packed = FluxPipeline.Pack(latents, 4, 6);

        Assert.Equal(latents, FluxPipeline.Unpack(packed, 4, 6));
        // Token 0 holds channel 0's top-left 2×2 patch first: (0,0), (0,1), (1,0), (1,1).
        Assert.Equal([0f, 1f, 6f, 7f], packed[..4]);
    }

    private static void CopyFolder(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
