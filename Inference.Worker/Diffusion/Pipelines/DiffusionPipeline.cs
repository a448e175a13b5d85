using System.Diagnostics;
using Heurist.Inference.Worker.Diffusion.Images;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Noise;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Schedulers;
using Heurist.Protocol.Jobs;

namespace Heurist.Inference.Worker.Diffusion.Pipelines;

/// <summary>
/// The loop every text-to-image pipeline shares: encode the prompt once, start from seeded noise, ask the denoiser
/// for a prediction at each timestep and let the scheduler step, then decode with the VAE. Subclasses say how
/// prompts are encoded, what the denoiser takes, and how latents are laid out.
/// </summary>
public abstract class DiffusionPipeline : IImagePipeline
{
    private readonly List<ModelGraph> _graphs = [];

    protected DiffusionPipeline(ModelFolder folder, InferenceDevice device)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(device);
        Folder = folder;
        Device = device;
        SchedulerConfig = SchedulerConfig.Load(Path.Combine(folder.Path, "scheduler", "scheduler_config.json"));
        Vae = LoadGraph("vae_decoder").Require(["latent_sample"], ["sample"]);
    }

    public ModelFolder Folder { get; }

    protected InferenceDevice Device { get; }

    protected SchedulerConfig SchedulerConfig { get; }

    protected ModelGraph Vae { get; }

    /// <summary>Latent channels the VAE works in (4 for SD, 16 for Flux).</summary>
    protected abstract int LatentChannels { get; }

    /// <summary>What the prompt becomes for the denoiser, computed once per job.</summary>
    protected abstract object EncodePrompt(ResolvedImageJob job);

    /// <summary>The denoiser's prediction for the latents at one timestep (noise or velocity, as the model was trained).</summary>
    protected abstract float[] Predict(object conditioning, float[] latents, double timestep, float inputScale, ResolvedImageJob job);

    /// <summary>Latents as the decoder wants them, from the scheduler's latents (Flux unpacks and shifts).</summary>
    protected abstract float[] ToDecoderLatents(float[] latents, int latentHeight, int latentWidth);

    /// <summary>The latents as the scheduler keeps them, for a given image size (Flux packs 2×2 patches).</summary>
    protected virtual float[] FromNoise(float[] noise, int latentHeight, int latentWidth) => noise;

    /// <summary>The number of image tokens a flow-matching scheduler shifts by; null for the others.</summary>
    protected virtual int? ImageSequenceLength(int latentHeight, int latentWidth) => null;

    public GeneratedImage Generate(ResolvedImageJob job, Action<DenoiseProgress> onStep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(onStep);
        var (latentHeight, latentWidth) = (job.Height / 8, job.Width / 8);

        var watch = Stopwatch.StartNew();
        var conditioning = EncodePrompt(job);
        using var disposeConditioning = conditioning as IDisposable;
        var textEncoding = watch.Elapsed;

        watch.Restart();
        var scheduler = SchedulerFactory.Create(job.Scheduler, SchedulerConfig, job.Steps, ImageSequenceLength(latentHeight, latentWidth));
        var noise = new GaussianNoise((ulong)job.Seed);
        var initial = noise.Sample(LatentChannels * latentHeight * latentWidth);
        var sigma = (float)scheduler.InitNoiseSigma;
        for (var i = 0; i < initial.Length; i++)
        {
            initial[i] *= sigma;
        }
        var latents = FromNoise(initial, latentHeight, latentWidth);

        for (var step = 0; step < scheduler.Timesteps.Count; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var prediction = Predict(conditioning, latents, scheduler.Timesteps[step], scheduler.ModelInputScale(step), job);
            scheduler.Step(prediction, step, latents, noise.ForStep(step));
            var snapshot = latents;
            onStep(new DenoiseProgress(step + 1, scheduler.Timesteps.Count, () =>
            {
                var copy = ToDecoderLatents([.. snapshot], latentHeight, latentWidth);
                return () => ImageEncoding.PreviewPng(copy, LatentChannels, latentHeight, latentWidth, Folder.Pipeline);
            }));
        }
        var denoising = watch.Elapsed;

        watch.Restart();
        cancellationToken.ThrowIfCancellationRequested();
        var image = new GeneratedImage(job.Width, job.Height);
        try
        {
            Vae.RunInto(
                new Dictionary<string, NamedTensor> { ["latent_sample"] = NamedTensor.OfFloats(ToDecoderLatents(latents, latentHeight, latentWidth), 1, LatentChannels, latentHeight, latentWidth) },
                "sample",
                image.Buffer,
                [1, 3, job.Height, job.Width]);
        }
        catch
        {
            image.Dispose();
            throw;
        }
        image.Timings = new PipelineTimings(textEncoding, denoising, watch.Elapsed);
        return image;
    }

    protected ModelGraph LoadGraph(string component)
    {
        var graph = new ModelGraph(Folder.GraphPath(component, Device.UsesCuda), Device.CreateSessionOptions(), component);
        _graphs.Add(graph);
        return graph;
    }

    /// <summary>
    /// The timestep as the denoiser declares it: a scalar, or a vector of one per batch item (or of a fixed length),
    /// in whatever element type; <see cref="ModelGraph"/> converts the values.
    /// </summary>
    protected static NamedTensor TimestepTensor(ModelGraph denoiser, string input, double timestep, int batch)
    {
        ArgumentNullException.ThrowIfNull(denoiser);
        var dimensions = denoiser.InputDimensions(input);
        if (dimensions.Length == 0)
        {
            return NamedTensor.OfFloats([(float)timestep]);
        }
        var length = dimensions[0] > 0 ? dimensions[0] : batch;
        return NamedTensor.OfFloats([.. Enumerable.Repeat((float)timestep, length)], length);
    }

    protected static float[] Repeat(float[] values, int times)
    {
        ArgumentNullException.ThrowIfNull(values);
        var repeated = new float[values.Length * times];
        for (var t = 0; t < times; t++)
        {
            values.CopyTo(repeated, t * values.Length);
        }
        return repeated;
    }

    protected static long[] ToLongs(int[] ids) => [.. ids.Select(i => (long)i)];

    public void Dispose()
    {
        foreach (var graph in _graphs)
        {
            graph.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}
