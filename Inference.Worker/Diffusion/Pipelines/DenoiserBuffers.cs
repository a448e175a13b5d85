using System.Numerics.Tensors;
using Heurist.Inference.Worker.Diffusion.Onnx;

namespace Heurist.Inference.Worker.Diffusion.Pipelines;

/// <summary>
/// One job's buffers around a UNet: its input (the scaled latents, twice for classifier-free guidance), its output,
/// and the guided prediction. Allocated once per job, so the denoising loop allocates nothing per step.
/// </summary>
internal sealed class DenoiserBuffers(int latentLength, int batch) : IDisposable
{
    /// <summary>The denoiser with these buffers bound, once the first step has bound it.</summary>
    public ModelGraph.BoundRun? Bound { get; set; }

    /// <summary>The timestep input's values, updated in place every step.</summary>
    public float[]? Timestep { get; set; }

    public void SetTimestep(double timestep)
    {
        for (var i = 0; i < Timestep!.Length; i++)
        {
            Timestep[i] = (float)timestep;
        }
        Bound?.Refresh("timestep");
    }

    public void Dispose() => Bound?.Dispose();

    public float[] Input { get; } = new float[latentLength * batch];

    public float[] Output { get; } = new float[latentLength * batch];

    private readonly float[] _prediction = new float[latentLength];

    /// <summary>Writes latents × scale into every batch slot of <see cref="Input"/>.</summary>
    public void FillInput(float[] latents, float scale)
    {
        TensorPrimitives.Multiply(latents.AsSpan(0, latentLength), scale, Input.AsSpan(0, latentLength));
        for (var b = 1; b < batch; b++)
        {
            Array.Copy(Input, 0, Input, b * latentLength, latentLength);
        }
    }

    /// <summary>
    /// The prediction to step with: the output itself without guidance, or uncond + g·(cond − uncond) from an output
    /// laid out [uncond, cond].
    /// </summary>
    public float[] Prediction(double? guidance)
    {
        if (guidance is not { } g)
        {
            Array.Copy(Output, _prediction, latentLength);
            return _prediction;
        }
        var uncond = Output.AsSpan(0, latentLength);
        TensorPrimitives.Subtract(Output.AsSpan(latentLength, latentLength), uncond, _prediction);
        TensorPrimitives.MultiplyAdd(_prediction, (float)g, uncond, _prediction);
        return _prediction;
    }
}
