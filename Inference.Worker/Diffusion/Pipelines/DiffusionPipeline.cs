using System.Collections.Concurrent;
using System.Diagnostics;
using System.Numerics.Tensors;
using Heurist.Inference.Worker.Diffusion.Images;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Noise;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Schedulers;
using Heurist.Protocol.Jobs;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Heurist.Inference.Worker.Diffusion.Pipelines;

/// <summary>
/// The loop every text-to-image pipeline shares: encode the prompt once, start from seeded noise, ask the denoiser
/// for a prediction at each timestep and let the scheduler step, then decode with the VAE. Subclasses say how
/// prompts are encoded, what the denoiser takes, and how latents are laid out.
/// </summary>
public abstract class DiffusionPipeline : IImagePipeline
{
    private readonly List<ModelGraph> _graphs = [];
    private readonly ConcurrentDictionary<string, ConcurrentBag<DenoiseLoop>> _loops = new(StringComparer.Ordinal);
    private DeviceMemory? _memory;

    protected DiffusionPipeline(ModelFolder folder, InferenceDevice device)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(device);
        Folder = folder;
        Device = device;
        SchedulerConfig = SchedulerConfig.Load(Path.Combine(folder.Path, "scheduler", "scheduler_config.json"));
        Vae = LoadGraph("vae_decoder").Require(ModelInterfaces.VaeDecoder);
    }

    public ModelFolder Folder { get; }

    protected InferenceDevice Device { get; }

    protected SchedulerConfig SchedulerConfig { get; }

    protected ModelGraph Vae { get; }

    /// <summary>Latent channels the VAE works in (4 for SD, 16 for Flux).</summary>
    protected abstract int LatentChannels { get; }

    /// <summary>What the prompt becomes for the denoiser, computed once per job.</summary>
    protected abstract object EncodePrompt(ResolvedImageJob job);

    /// <summary>What the denoiser takes for this job: its constants (from the conditioning), its timestep, its guidance.</summary>
    internal abstract DenoiserCall Denoiser(object conditioning, ResolvedImageJob job, long[] latentShape);

    /// <summary>The latents' shape as the scheduler keeps them: [1, C, H, W], or Flux's packed [1, tokens, 64].</summary>
    protected virtual long[] LatentShape(int latentHeight, int latentWidth) => [1, LatentChannels, latentHeight, latentWidth];

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
        // The seeded starting noise is drawn while the text encoders run (on a GPU they leave the CPU idle); it is the
        // same stream whatever the timing, and the steps' noise streams do not depend on it.
        var noise = new GaussianNoise((ulong)job.Seed);
        var drawing = Task.Run(() => noise.Sample(LatentChannels * latentHeight * latentWidth), cancellationToken);
        var conditioning = EncodePrompt(job);
        var textEncoding = watch.Elapsed;

        watch.Restart();
        var scheduler = SchedulerFactory.Create(job.Scheduler, SchedulerConfig, job.Steps, ImageSequenceLength(latentHeight, latentWidth));
        var initial = drawing.GetAwaiter().GetResult();
        TensorPrimitives.Multiply(initial, (float)scheduler.InitNoiseSigma, initial);
        var call = Denoiser(conditioning, job, LatentShape(latentHeight, latentWidth));
        var loop = RentLoop(call, scheduler.Form);
        var latents = new float[initial.Length];
        try
        {
            loop.Start(FromNoise(initial, latentHeight, latentWidth), scheduler.ModelInputScale(0));
            var stepNoise = scheduler.Form.AddsNoise ? new float[initial.Length] : [];
            var steps = scheduler.Timesteps.Count;
            for (var step = 0; step < steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (scheduler.Form.AddsNoise)
                {
                    if (scheduler.DrawsNoise(step))
                    {
                        noise.ForStep(step).Fill(stepNoise);
                    }
                    else
                    {
                        Array.Clear(stepNoise);
                    }
                }
                var nextScale = step + 1 < steps ? scheduler.ModelInputScale(step + 1) : 1f;
                loop.Step(scheduler.Timesteps[step], scheduler.Coefficients(step), stepNoise, nextScale);
                onStep(new DenoiseProgress(step + 1, steps, () =>
                {
                    var snapshot = new float[latents.Length];
                    loop.CopyLatents(snapshot);
                    var decoder = ToDecoderLatents(snapshot, latentHeight, latentWidth);
                    return () => ImageEncoding.PreviewPng(decoder, LatentChannels, latentHeight, latentWidth, Folder.Pipeline);
                }));
            }
            loop.CopyLatents(latents);
        }
        finally
        {
            ReturnLoop(call, scheduler.Form, loop);
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

    /// <summary>This job's conditioning, for tests that look at its <see cref="DenoiserCall"/>.</summary>
    internal object EncodeForTests(ResolvedImageJob job) => EncodePrompt(job);

    internal long[] LatentShapeForTests(ResolvedImageJob job) => LatentShape(job.Height / 8, job.Width / 8);

    /// <summary>How this job's loop binds its tensors: <see cref="InferenceDevice.Binding"/>, with Auto resolved for this denoiser.</summary>
    internal DenoiseBinding BindingFor(DenoiserCall call)
    {
        if (Device.Binding != DenoiseBinding.Auto)
        {
            return Device.Binding;
        }
        var graph = call.Graph;
        var float32 = graph.InputType(call.SampleInput) == TensorElementType.Float
            && graph.OutputType(call.Output) == TensorElementType.Float
            && graph.InputType(call.TimestepInput) is TensorElementType.Float or TensorElementType.Int64;
        // On the CPU the host's memory is the device's: a float32 denoiser loses nothing by stepping on the host.
        return Device.UsesCuda || !float32 ? DenoiseBinding.DeviceMemory : DenoiseBinding.HostMemory;
    }

    /// <summary>A loop with buffers for this call's shapes: one a previous job gave back, or a new one.</summary>
    private DenoiseLoop RentLoop(DenoiserCall call, StepForm form)
    {
        var binding = BindingFor(call);
        var key = $"{binding};{call.BufferKey(form)}";
        if (_loops.TryGetValue(key, out var pool) && pool.TryTake(out var loop))
        {
            loop.Load(call);
            return loop;
        }
        return DenoiseLoop.Create(binding, call, form, Memory);
    }

    private void ReturnLoop(DenoiserCall call, StepForm form, DenoiseLoop loop)
        => _loops.GetOrAdd($"{BindingFor(call)};{call.BufferKey(form)}", _ => []).Add(loop);

    private DeviceMemory Memory
    {
        get
        {
            lock (_graphs)
            {
                return _memory ??= new DeviceMemory(Device);
            }
        }
    }

    protected ModelGraph LoadGraph(string component, bool denoiser = false)
    {
        using var options = Device.CreateSessionOptions(denoiser: denoiser);
        var graph = new ModelGraph(Folder.GraphPath(component, Device.UsesCuda), options, component);
        _graphs.Add(graph);
        return graph;
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
        foreach (var loop in _loops.Values.SelectMany(pool => pool))
        {
            loop.Dispose();
        }
        _memory?.Dispose();
        foreach (var graph in _graphs)
        {
            graph.Dispose();
        }
        GC.SuppressFinalize(this);
    }
}
