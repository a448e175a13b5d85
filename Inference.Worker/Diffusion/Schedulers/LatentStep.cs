using System.Numerics.Tensors;
using Heurist.Inference.Worker.Diffusion.Noise;

namespace Heurist.Inference.Worker.Diffusion.Schedulers;

/// <summary>
/// What every step of a job's schedule looks like, fixed for the job: whether x̂0 is clamped (DDIM's and LCM's
/// clip_sample) and whether fresh noise is added (ancestral and LCM). It decides the shape of the step graph that runs
/// the step on the device.
/// </summary>
public readonly record struct StepForm(bool Clamps, bool AddsNoise);

/// <summary>
/// One scheduler step as a few float32 operations on whole tensors, with the coefficients worked out in double:
/// next = X·x + Model·m [+ Clamped·clamp(ClampX·x + ClampModel·m, ±ClampRange)] [+ Noise·z]
/// where x is the latents, m the (guided) model output and z fresh noise. Every scheduler we run is of this form, so
/// the same arithmetic can run on the host (<see cref="LatentStep"/>) and on the GPU as an ONNX graph, in the same
/// order, giving the same bits.
/// </summary>
public readonly record struct StepCoefficients(
    float X, float Model, float Noise = 0, float ClampX = 0, float ClampModel = 0, float Clamped = 0, float ClampRange = 0)
{
    /// <summary>From double coefficients, rounded once each.</summary>
    public static StepCoefficients Of(
        double x, double model, double noise = 0, double clampX = 0, double clampModel = 0, double clamped = 0, double clampRange = 0)
        => new((float)x, (float)model, (float)noise, (float)clampX, (float)clampModel, (float)clamped, (float)clampRange);

    /// <summary>x̂0 = P·x + Q·m for each prediction type, given √ᾱ and √(1 − ᾱ) (DDIM and LCM).</summary>
    internal static (double P, double Q) PredictedOriginal(Prediction prediction, double sqrtAlpha, double sqrtBeta) => prediction switch
    {
        Prediction.Epsilon => (1 / sqrtAlpha, -sqrtBeta / sqrtAlpha),
        Prediction.Velocity => (sqrtAlpha, -sqrtBeta),
        _ => (0, 1),
    };
}

/// <summary>
/// The host half of <see cref="StepCoefficients"/>: the same float32 operations, in the same order, as the step
/// graph on the device (each multiply and add rounded on its own; nothing fused), vectorized with TensorPrimitives.
/// </summary>
public static class LatentStep
{
    /// <summary>
    /// One step in place, for a scheduler's <see cref="IDiffusionScheduler.Step"/>: draws the step's noise when it adds
    /// some, and allocates its scratch (the denoising loop keeps its own; see the other overload).
    /// </summary>
    public static void Step(IDiffusionScheduler scheduler, ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, GaussianNoise noise)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ScheduleMath.RequireStep(modelOutput, stepIndex, sample, scheduler.Timesteps.Count);
        var coefficients = scheduler.Coefficients(stepIndex);
        float[]? fresh = null;
        if (scheduler.Form.AddsNoise)
        {
            fresh = new float[sample.Length];
            if (scheduler.DrawsNoise(stepIndex))
            {
                ArgumentNullException.ThrowIfNull(noise);
                noise.Fill(fresh);
            }
        }
        var scratch = new float[3 * sample.Length];
        Apply(scheduler.Form, coefficients, sample, modelOutput, fresh, scratch);
    }

    /// <summary>
    /// x ← next (see <see cref="StepCoefficients"/>). <paramref name="noise"/> is read only when the form adds noise;
    /// <paramref name="scratch"/> holds at least three latents' worth of floats.
    /// </summary>
    public static void Apply(StepForm form, in StepCoefficients k, Span<float> x, ReadOnlySpan<float> m, ReadOnlySpan<float> noise, Span<float> scratch)
    {
        var n = x.Length;
        var sum = scratch[..n];
        var term = scratch.Slice(n, n);
        TensorPrimitives.Multiply(x, k.X, sum);
        TensorPrimitives.Multiply(m, k.Model, term);
        TensorPrimitives.Add(sum, term, sum);
        if (form.Clamps)
        {
            var other = scratch.Slice(2 * n, n);
            TensorPrimitives.Multiply(x, k.ClampX, term);
            TensorPrimitives.Multiply(m, k.ClampModel, other);
            TensorPrimitives.Add(term, other, term);
            TensorPrimitives.Max(term, -k.ClampRange, term);
            TensorPrimitives.Min(term, k.ClampRange, term);
            TensorPrimitives.Multiply(term, k.Clamped, term);
            TensorPrimitives.Add(sum, term, sum);
        }
        if (form.AddsNoise)
        {
            TensorPrimitives.Multiply(noise[..n], k.Noise, term);
            TensorPrimitives.Add(sum, term, sum);
        }
        sum.CopyTo(x);
    }

    /// <summary>Classifier-free guidance, as the step graph computes it: uncond + g·(cond − uncond), from [uncond, cond].</summary>
    public static void Guide(ReadOnlySpan<float> output, float guidance, Span<float> guided)
    {
        var n = guided.Length;
        var uncond = output[..n];
        TensorPrimitives.Subtract(output.Slice(n, n), uncond, guided);
        TensorPrimitives.Multiply(guided, guidance, guided);
        TensorPrimitives.Add(uncond, guided, guided);
    }
}
