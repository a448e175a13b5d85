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
    {
        ScheduleMath.RequireStep(modelOutput, stepIndex, sample, _timesteps.Length);
        var t = (int)_timesteps[stepIndex];
        var last = stepIndex == _timesteps.Length - 1;
        var alpha = _alphasCumprod[t];
        double sqrtAlpha = Math.Sqrt(alpha), sqrtBeta = Math.Sqrt(1 - alpha);
        var (skip, @out) = BoundaryScalings(t);
        float[]? fresh = null;
        double sqrtAlphaNext = 0, sqrtBetaNext = 0;
        if (!last)
        {
            ArgumentNullException.ThrowIfNull(noise);
            var alphaNext = _alphasCumprod[(int)_timesteps[stepIndex + 1]];
            sqrtAlphaNext = Math.Sqrt(alphaNext);
            sqrtBetaNext = Math.Sqrt(1 - alphaNext);
            fresh = noise.Sample(sample.Length);
        }
        for (var i = 0; i < sample.Length; i++)
        {
            double x = sample[i], output = modelOutput[i];
            var x0 = _predictionType switch
            {
                Prediction.Epsilon => (x - sqrtBeta * output) / sqrtAlpha,
                Prediction.Velocity => sqrtAlpha * x - sqrtBeta * output,
                _ => output,
            };
            if (_clipSample)
            {
                x0 = Math.Clamp(x0, -_clipRange, _clipRange);
            }
            var denoised = @out * x0 + skip * x;
            sample[i] = (float)(fresh is null ? denoised : sqrtAlphaNext * denoised + sqrtBetaNext * fresh[i]);
        }
    }
}
