using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Protocol.Jobs;

namespace Heurist.Inference.Worker.Diffusion.Pipelines;

/// <summary>Where a generation is: steps done of all, and a way to draw the latents as a small PNG when someone wants to see them.</summary>
public sealed record DenoiseProgress(int Step, int TotalSteps, Func<byte[]> RenderPreview);

/// <summary>How long each stage took.</summary>
public sealed record PipelineTimings(TimeSpan TextEncoding, TimeSpan Denoising, TimeSpan Decoding)
{
    public TimeSpan Total => TextEncoding + Denoising + Decoding;
}

/// <summary>A finished image: the PNG, its size, and the timings of the stages that made it.</summary>
public sealed record GeneratedImage(byte[] Png, int Width, int Height, PipelineTimings Timings);

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
