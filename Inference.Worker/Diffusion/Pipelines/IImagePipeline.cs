using System.Buffers;
using Heurist.Inference.Worker.Diffusion.Images;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Protocol.Jobs;

namespace Heurist.Inference.Worker.Diffusion.Pipelines;

/// <summary>
/// Where a generation is: steps done of all, and a way to see the latents. <see cref="CapturePreview"/> copies this
/// step's latents to the host (a few hundred kilobytes at most: cheap, and only when called) and must be called
/// during the progress callback, before the next step overwrites them; the function it returns draws them as a
/// small PNG, on any thread, at any time later, so the denoising thread need not wait for the drawing.
/// </summary>
public sealed record DenoiseProgress(int Step, int TotalSteps, Func<Func<byte[]>> CapturePreview);

/// <summary>How long each stage took.</summary>
public sealed record PipelineTimings(TimeSpan TextEncoding, TimeSpan Denoising, TimeSpan Decoding)
{
    public TimeSpan Total => TextEncoding + Denoising + Decoding;
}

/// <summary>
/// A finished image: the decoder's pixels (3 × height × width, in [−1, 1]), its size, and the timings of the stages
/// that made it. Encoding it is the caller's business: <see cref="ToPng"/>. The pixels (megabytes) live in a pooled
/// array that <see cref="Dispose"/> gives back, so a worker rendering job after job does not make the garbage
/// collector sweep a large object after every image.
/// </summary>
public sealed class GeneratedImage : IDisposable
{
    private float[]? _pixels;

    internal GeneratedImage(int width, int height)
    {
        Width = width;
        Height = height;
        _pixels = ArrayPool<float>.Shared.Rent(3 * width * height);
    }

    public int Width { get; }

    public int Height { get; }

    public PipelineTimings Timings { get; internal set; } = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    public ReadOnlySpan<float> Pixels => Buffer.Span;

    internal Memory<float> Buffer => (_pixels ?? throw new ObjectDisposedException(nameof(GeneratedImage))).AsMemory(0, 3 * Width * Height);

    public byte[] ToPng() => ImageEncoding.EncodePng(Pixels, Width, Height);

    public void Dispose()
    {
        if (_pixels is { } pixels)
        {
            _pixels = null;
            ArrayPool<float>.Shared.Return(pixels);
        }
    }
}

/// <summary>
/// Text to image with one model folder: encode the prompt, denoise from seeded noise step by step, decode.
/// Deterministic: the same job on the same device gives the same PNG bytes.
/// </summary>
public interface IImagePipeline : IDisposable
{
    ModelFolder Folder { get; }

    /// <summary>
    /// Runs the job. <paramref name="onStep"/> is called after every denoising step; cancellation is checked between
    /// steps and stops the run with <see cref="OperationCanceledException"/>.
    /// </summary>
    GeneratedImage Generate(ResolvedImageJob job, Action<DenoiseProgress> onStep, CancellationToken cancellationToken);
}
