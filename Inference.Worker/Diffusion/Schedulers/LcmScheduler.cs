using Heurist.Inference.Worker.Diffusion.Noise;

namespace Heurist.Inference.Worker.Diffusion.Schedulers;

/// <summary>
/// diffusers' LCMScheduler (Luo et al. 2023, latent consistency models): the timesteps are taken from the
/// distillation schedule [k − 1, 2k − 1, …, T − 1] with k = T // original_inference_steps, reversed, at the indices
/// floor(i · original_inference_steps / steps). Each step computes the consistency output
/// denoised = c_out · x̂0 + c_skip · x with c_skip = σ_d²/((10t)² + σ_d²), c_out = 10t/√((10t)² + σ_d²), σ_d = 0.5,
/// and re-noises it to the next timestep, x = √ᾱ_next · denoised + √(1 − ᾱ_next) · z, except at the last step.
/// </summary>
public sealed class LcmScheduler : IDiffusionScheduler
{
    private const double SigmaData = 0.5;

    private readonly double[] _alphasCumprod;
    private readonly double[] _timesteps;
    private readonly Prediction _predictionType;
    private readonly bool _clipSample;
    private readonly double _clipRange;
    private readonly double _timestepScaling;

    public LcmScheduler(SchedulerConfig config, int steps)
    {
        ArgumentNullException.ThrowIfNull(config);
        ScheduleMath.RequireSteps(Name, config, steps);
        ScheduleMath.RequireOneOf(Name, "prediction_type", config.PredictionType, ScheduleMath.PredictionTypes);
        ScheduleMath.RequireOff(Name, "thresholding", config.Thresholding);
        var original = config.OriginalInferenceSteps;
        if (original < 1 || original > config.NumTrainTimesteps)
        {
            throw new SchedulerSettingException(
                "original_inference_steps", $"must lie in 1..num_train_timesteps ({config.NumTrainTimesteps}), not {original}.");
        }
        if (steps > original)
        {
            throw new SchedulerSettingException(
                "steps", $"{Name} cannot take {steps} steps: they are picked from original_inference_steps = {original}.");
        }
        _predictionType = ScheduleMath.ParsePrediction(config.PredictionType);
        _clipSample = config.ClipSample ?? false;
        _clipRange = config.ClipSampleRange;
        _timestepScaling = config.TimestepScaling;
        _alphasCumprod = ScheduleMath.AlphasCumprod(Name, config);

        var k = config.NumTrainTimesteps / original;
        // numpy.linspace(0, original, steps, endpoint=False) is i · (original / steps), floored to indices.
        var stride = (double)original / steps;
        _timesteps = new double[steps];
        for (var i = 0; i < steps; i++)
        {
            var index = (int)Math.Floor(i * stride);
            _timesteps[i] = (double)(original - index) * k - 1;
        }
    }

    public string Name => SchedulerFactory.Lcm;

    public IReadOnlyList<double> Timesteps => _timesteps;

    public double InitNoiseSigma => 1.0;

    public float ModelInputScale(int stepIndex) => 1f;

    /// <summary>The boundary-condition scalings (c_skip, c_out) at a timestep: c_skip → 1 and c_out → 0 as t → 0.</summary>
    public (double Skip, double Out) BoundaryScalings(double timestep)
    {
        var scaled = timestep * _timestepScaling;
        var skip = SigmaData * SigmaData / (scaled * scaled + SigmaData * SigmaData);
        var @out = scaled / Math.Sqrt(scaled * scaled + SigmaData * SigmaData);
        return (skip, @out);
    }

    public void Step(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, GaussianNoise noise)
        => LatentStep.Step(this, modelOutput, stepIndex, sample, noise);

    public StepForm Form => new(Clamps: _clipSample, AddsNoise: _timesteps.Length > 1);

    public bool DrawsNoise(int stepIndex) => stepIndex < _timesteps.Length - 1;

    /// <summary>
    /// denoised = c_out·x̂0 + c_skip·x with x̂0 = P·x + Q·m, then x = √ᾱ_next·denoised + √(1 − ᾱ_next)·z (k = √ᾱ_next, or 1
    /// at the last step, which adds no noise): X = k·(c_out·P + c_skip), Model = k·c_out·Q; with clip_sample x̂0 is
    /// clamped on its own.
    /// </summary>
    public StepCoefficients Coefficients(int stepIndex)
    {
        ScheduleMath.RequireStepIndex(stepIndex, _timesteps.Length);
        var t = (int)_timesteps[stepIndex];
        var alpha = _alphasCumprod[t];
        var (p, q) = StepCoefficients.PredictedOriginal(_predictionType, Math.Sqrt(alpha), Math.Sqrt(1 - alpha));
        var (skip, @out) = BoundaryScalings(t);
        double k = 1, noise = 0;
        if (DrawsNoise(stepIndex))
        {
            var alphaNext = _alphasCumprod[(int)_timesteps[stepIndex + 1]];
            k = Math.Sqrt(alphaNext);
            noise = Math.Sqrt(1 - alphaNext);
        }
        return _clipSample
            ? StepCoefficients.Of(k * skip, 0, noise, clampX: p, clampModel: q, clamped: k * @out, clampRange: _clipRange)
            : StepCoefficients.Of(k * (@out * p + skip), k * @out * q, noise);
    }
}
