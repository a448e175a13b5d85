using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Models;

namespace Heurist.Inference.Worker.Diffusion.Pipelines;

/// <summary>Builds the pipeline a model folder needs, and warms it up so the first job does not pay for session start-up.</summary>
public static class PipelineFactory
{
    public static IImagePipeline Create(ModelFolder folder, ImageModel model, InferenceDevice device)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(model);
        IImagePipeline pipeline = folder.Pipeline switch
        {
            PipelineKind.StableDiffusion15 => new StableDiffusion15Pipeline(folder, device),
            PipelineKind.StableDiffusionXl => new StableDiffusionXlPipeline(folder, device),
            PipelineKind.Flux => new FluxPipeline(folder, device),
            _ => throw new ModelFolderException($"{folder.ModelId}: no pipeline runs {folder.Pipeline}"),
        };
        try
        {
            // One step at the smallest size the model allows runs every graph once.
            var (width, height) = (Math.Max(model.MinWidth, 64), Math.Max(model.MinHeight, 64));
            pipeline.Generate(new ResolvedImageJob("warm-up", "", model.Id, width, height, 1, model.DefaultGuidance, 0, model.DefaultScheduler), _ => { }, CancellationToken.None);
        }
        catch
        {
            pipeline.Dispose();
            throw;
        }
        return pipeline;
    }
}
