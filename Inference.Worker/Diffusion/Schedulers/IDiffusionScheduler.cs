using Heurist.Inference.Worker.Diffusion.Noise;

namespace Heurist.Inference.Worker.Diffusion.Schedulers;

/// <summary>
/// A denoising schedule with its timesteps set for a number of steps. Stateless between calls: the caller passes the
/// step index, so one instance can serve one job at a time without being reset. Latents are float32 NCHW buffers;
/// the coefficients are computed in double.
/// </summary>
public interface IDiffusionScheduler
{
    /// <summary>"euler", "euler-ancestral", "ddim", "lcm" or "flow-match-euler".</summary>
    string Name { get; }

    /// <summary>The timesteps to give the model, in the order they are visited.</summary>
    IReadOnlyList<double> Timesteps { get; }

    /// <summary>The standard deviation of the initial latents: x_T = N(0, 1) · InitNoiseSigma.</summary>
    double InitNoiseSigma { get; }

    /// <summary>The factor on the latents before they go into the model at this step (1 where no scaling is needed).</summary>
    float ModelInputScale(int stepIndex);

    /// <summary>
    /// One denoising step in place: <paramref name="sample"/> holds x_t and receives x_{t−1}.
    /// Stochastic schedulers draw <c>sample.Length</c> values from <paramref name="noise"/> when they add noise
    /// (pass <see cref="GaussianNoise.ForStep"/> of the job's noise so every step has its own stream); the others
    /// do not touch it.
    /// </summary>
    void Step(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, GaussianNoise noise);

    /// <summary>Whether the job's steps clamp x̂0 and whether they add noise: the same for every step.</summary>
    StepForm Form { get; }

    /// <summary>The step at <paramref name="stepIndex"/> as float32 coefficients (see <see cref="StepCoefficients"/>).</summary>
    StepCoefficients Coefficients(int stepIndex);

    /// <summary>Whether the step at <paramref name="stepIndex"/> draws fresh noise (the last step of LCM does not).</summary>
    bool DrawsNoise(int stepIndex);
}
