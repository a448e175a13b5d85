using System.Security.Cryptography;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Pipelines;
using Heurist.Inference.Worker.Mining;
using Heurist.Protocol.Api.Provenance;
using Heurist.Protocol.Jobs;
using Microsoft.ML.OnnxRuntime;

namespace Heurist.Inference.Worker.Provenance;

/// <summary>What a provenance records of a run on this worker, and the re-run of a recorded recipe.</summary>
public static class RecipeRuns
{
    /// <summary>The version of the ONNX Runtime native library loaded in this process.</summary>
    public static string OnnxRuntimeVersion { get; } = OrtEnv.Instance().GetVersionString();

    /// <summary>The provenance of an image rendered here: the job's recipe, the folder's recorded files and this environment.</summary>
    public static ImageProvenance Record(ResolvedImageJob job, ModelFolder folder, InferenceDevice device, string pngSha256)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(device);
        return new ImageProvenance(
            folder.ModelId,
            folder.RecordedFiles,
            job.Prompt,
            job.NegativePrompt,
            job.Seed,
            job.Scheduler,
            job.Steps,
            job.Guidance,
            job.Width,
            job.Height,
            MinerRegistry.WorkerVersion,
            OnnxRuntimeVersion,
            device.ExecutionProvider,
            device.CpuThreads,
            pngSha256);
    }

    /// <summary>The job a provenance describes.</summary>
    public static ResolvedImageJob Recipe(ImageProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(provenance);
        return new ResolvedImageJob(provenance.Prompt, provenance.NegativePrompt, provenance.ModelId, provenance.Width, provenance.Height,
            provenance.Steps, provenance.Guidance, provenance.Seed, provenance.Scheduler);
    }

    /// <summary>
    /// Re-runs a recorded recipe with <paramref name="pipeline"/> and compares the PNG's sha256 with the recorded one.
    /// Model files other than the recorded ones, or a recipe the model cannot run, cannot be verified;
    /// <paramref name="where"/> names this machine in the reason.
    /// </summary>
    public static VerificationOutcome Verify(ImageProvenance recorded, IImagePipeline pipeline, InferenceDevice device, string where, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        ArgumentNullException.ThrowIfNull(pipeline);
        if (VerificationOutcome.CheckModelFiles(recorded, where, pipeline.Folder.FileHashes) is { } mismatch)
        {
            return mismatch;
        }
        var recipe = Recipe(recorded);
        byte[] png;
        try
        {
            using var image = pipeline.Generate(recipe, _ => { }, cancellationToken);
            png = image.ToPng();
        }
        catch (Exception ex) when (ex is ModelInterfaceException or OnnxRuntimeException or ModelFolderException or ArgumentException)
        {
            return VerificationOutcome.CannotVerify($"{recorded.ModelId} on {where} could not run the recipe ({ex.Message})");
        }
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(png));
        return VerificationOutcome.Compare(recorded, Record(recipe, pipeline.Folder, device, sha256));
    }
}
