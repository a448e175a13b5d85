using System.Diagnostics;
using Heurist.Inference.Worker.Device;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Noise;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Pipelines;
using Heurist.Inference.Worker.Diffusion.Schedulers;
using Heurist.Inference.Worker.Diffusion.Tokenizers;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Miners;
using Heurist.Protocol.Models;
using Microsoft.ML.OnnxRuntime;

namespace Heurist.Bench.Inference;

/// <summary>
/// pipeline.overhead_ratio: our SD 1.5 pipeline's time for one tiny-model generation, divided by the time of the same
/// ONNX sessions run directly in a loop with the same inputs (the text encoder once on the same token ids, the UNet
/// once per step at batch 2 on the same seeded latents and timesteps, the VAE once). What the ratio charges us for:
/// tokenizing, scheduler arithmetic, guidance, and moving tensors between steps. PNG encoding is the job's, not the
/// pipeline's, and is reported on its own.
/// </summary>
internal static class OverheadBenchmark
{
    /// <summary>Medians of the pairs' times, and the median, lowest and highest of their ratios.</summary>
    public sealed record Overhead(double Pipeline, double Direct, double Ratio, double MinRatio, double MaxRatio, double PngEncode);

    public static Overhead Measure(string modelsFolder, int width, int height, int steps, int repeats, InferenceDevice? device = null)
    {
        var catalog = ModelCatalog.CreateDefault();
        var model = catalog.FindImageModel("sd15")!;
        var folder = ModelFolder.Inspect(Path.Combine(modelsFolder, "sd15"), model);
        device ??= new InferenceDevice(new DeviceInfo("bench CPU", DeviceKind.Cpu, 8L << 30), Environment.ProcessorCount);
        var job = new ResolvedImageJob("a lighthouse on a cliff at dawn", "blurry", "sd15", width, height, steps, 7.5, 42, "euler");

        // The direct runs, on sessions made with the same settings the pipeline's are.
        using var options = device.CreateSessionOptions();
        using var textEncoder = new InferenceSession(folder.GraphPath("text_encoder", device.UsesCuda), options);
        using var unet = new InferenceSession(folder.GraphPath("unet", device.UsesCuda), options);
        using var vae = new InferenceSession(folder.GraphPath("vae_decoder", device.UsesCuda), options);
        using var runOptions = new RunOptions();
        using var pipeline = PipelineFactory.Create(folder, model, device);
        var tokenizer = ClipTokenizer.Load(Path.Combine(folder.Path, "tokenizer"));
        int[] ids = [.. tokenizer.Encode(job.NegativePrompt), .. tokenizer.Encode(job.Prompt)];
        using var inputIds = OrtValue.CreateTensorValueFromMemory(ids, [2, tokenizer.MaxLength]);
        using var encoded = textEncoder.Run(runOptions, ["input_ids"], [inputIds], ["last_hidden_state"]);
        using var context = OrtValue.CreateTensorValueFromMemory(encoded[0].GetTensorDataAsSpan<float>().ToArray(), encoded[0].GetTensorTypeAndShape().Shape);

        // The same inputs the pipeline gives the UNet: its seeded starting latents, stepped with the same scheduler and
        // guidance (here, untimed), so that the timed runs below see exactly the pipeline's tensors at its timesteps.
        var (lh, lw) = (height / 8, width / 8);
        var scheduler = SchedulerFactory.Create(job.Scheduler, SchedulerConfig.Load(Path.Combine(folder.Path, "scheduler", "scheduler_config.json")), steps);
        var latents = new GaussianNoise((ulong)job.Seed).Sample(4 * lh * lw);
        var samples = new List<OrtValue>();
        var timesteps = new List<OrtValue>();
        var initSigma = (float)scheduler.InitNoiseSigma;
        for (var j = 0; j < latents.Length; j++)
        {
            latents[j] *= initSigma;
        }
        var guided = new float[latents.Length];
        for (var i = 0; i < steps; i++)
        {
            var scale = scheduler.ModelInputScale(i);
            var batch = new float[2 * latents.Length];
            for (var j = 0; j < latents.Length; j++)
            {
                batch[j] = batch[latents.Length + j] = latents[j] * scale;
            }
            var sample = OrtValue.CreateTensorValueFromMemory(batch, [2, 4, lh, lw]);
            samples.Add(sample);
            var t = (long)Math.Round(scheduler.Timesteps[i]);
            var timestep = OrtValue.CreateTensorValueFromMemory(new[] { t, t }, [2]);
            timesteps.Add(timestep);
            // Step the latents as the pipeline does, so that every step's input is the one the pipeline's UNet sees.
            using var predicted = unet.Run(runOptions, ["sample", "timestep", "encoder_hidden_states"], [sample, timestep, context], ["out_sample"]);
            var output = predicted[0].GetTensorDataAsSpan<float>();
            for (var j = 0; j < latents.Length; j++)
            {
                guided[j] = output[j] + (float)job.Guidance * (output[latents.Length + j] - output[j]);
            }
            scheduler.Step(guided, i, latents, new GaussianNoise((ulong)job.Seed).ForStep(i));
        }
        using var latent = OrtValue.CreateTensorValueFromMemory([.. latents.Select(v => v / 0.18215f)], [1, 4, lh, lw]);

        double Direct()
        {
            var watch = Stopwatch.StartNew();
            using (textEncoder.Run(runOptions, ["input_ids"], [inputIds], ["last_hidden_state"]))
            {
            }
            for (var i = 0; i < steps; i++)
            {
                using var _ = unet.Run(runOptions, ["sample", "timestep", "encoder_hidden_states"], [samples[i], timesteps[i], context], ["out_sample"]);
            }
            using (vae.Run(runOptions, ["latent_sample"], [latent], ["sample"]))
            {
            }
            return watch.Elapsed.TotalMilliseconds;
        }

        double Pipeline()
        {
            var watch = Stopwatch.StartNew();
            using var generated = pipeline.Generate(job, _ => { }, CancellationToken.None);
            return watch.Elapsed.TotalMilliseconds;
        }

        using var image = pipeline.Generate(job, _ => { }, CancellationToken.None);
        image.ToPng();
        var encode = Stopwatch.StartNew();
        image.ToPng();
        var png = encode.Elapsed.TotalMilliseconds;

        // Warm up both, then alternate so that both see the same machine.
        Direct();
        Pipeline();
        var direct = new List<double>();
        var ours = new List<double>();
        var ratios = new List<double>();
        for (var r = 0; r < repeats; r++)
        {
            // Each pair runs back to back, so both halves see the same load, and in alternating order, so that whichever
            // runs second in a pair (with the other's memory in the caches) is not always the same one. The median ratio
            // ignores the odd disturbed pair.
            double d, p;
            if (r % 2 == 0)
            {
                d = Direct();
                p = Pipeline();
            }
            else
            {
                p = Pipeline();
                d = Direct();
            }
            direct.Add(d);
            ours.Add(p);
            ratios.Add(p / d);
        }
        foreach (var value in samples.Concat(timesteps))
        {
            value.Dispose();
        }
        ratios.Sort();
        return new Overhead(Median(ours), Median(direct), Median(ratios), ratios[0], ratios[^1], png);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
