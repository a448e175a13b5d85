using Heurist.Inference.Worker.Diffusion.Noise;

namespace Heurist.Inference.Worker.Diffusion.Schedulers;

/// <summary>
/// diffusers' DDIMScheduler with eta = 0 (Song et al. 2021, eq. 12 without noise):
/// x_prev = √ᾱ_prev · x̂0 + √(1 − ᾱ_prev) · ε̂, where the previous timestep is t − T // steps whatever the spacing
/// (as diffusers computes it), and ᾱ of a negative timestep is final_alpha_cumprod (1, or ᾱ_0 when set_alpha_to_one is false).
/// </summary>
public sealed class DdimScheduler : IDiffusionScheduler
{
    private readonly double[] _alphasCumprod;
    private readonly double[] _timesteps;
    private readonly double _finalAlphaCumprod;
    private readonly Prediction _predictionType;
    private readonly bool _clipSample;
    private readonly double _clipRange;
    private readonly int _stride;

    public DdimScheduler(SchedulerConfig config, int steps)
    {
        ArgumentNullException.ThrowIfNull(config);
        ScheduleMath.RequireSteps(Name, config, steps);
        ScheduleMath.RequireOneOf(Name, "prediction_type", config.PredictionType, ScheduleMath.PredictionTypes);
        ScheduleMath.RequireOff(Name, "thresholding", config.Thresholding);
        var spacing = config.TimestepSpacing ?? "leading";
        ScheduleMath.RequireOneOf(Name, "timestep_spacing", spacing, ScheduleMath.Spacings);
        _predictionType = ScheduleMath.ParsePrediction(config.PredictionType);
        _clipSample = config.ClipSample ?? true;
        _clipRange = config.ClipSampleRange;
        _alphasCumprod = ScheduleMath.AlphasCumprod(Name, config);
        _finalAlphaCumprod = config.SetAlphaToOne ? 1.0 : _alphasCumprod[0];
        _timesteps = ScheduleMath.SpacedTimesteps(config, steps, spacing, roundLinspaceToInteger: true);
        _stride = config.NumTrainTimesteps / steps;
        if (_timesteps.Any(t => t < 0 || t >= config.NumTrainTimesteps))
        {
            throw new SchedulerSettingException(
                "steps_offset", $"{config.StepsOffset} moves a timestep of {steps} {spacing} steps outside 0..{config.NumTrainTimesteps - 1}.");
        }
    }

    public string Name => SchedulerFactory.Ddim;

    public IReadOnlyList<double> Timesteps => _timesteps;

    public double InitNoiseSigma => 1.0;

    public float ModelInputScale(int stepIndex) => 1f;

    public void Step(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, GaussianNoise noise)
        => LatentStep.Step(this, modelOutput, stepIndex, sample, noise);

    public StepForm Form => new(Clamps: _clipSample, AddsNoise: false);

    public bool DrawsNoise(int stepIndex) => false;

    /// <summary>
    /// x_prev = √ᾱ_prev·x̂0 + √(1 − ᾱ_prev)·ε̂ with x̂0 = P·x + Q·m and ε̂ = E·x + F·m, so X = √ᾱ_prev·P + √(1 − ᾱ_prev)·E and
    /// Model = √ᾱ_prev·Q + √(1 − ᾱ_prev)·F; with clip_sample x̂0 is clamped on its own, and ε̂ keeps the unclamped value
    /// (diffusers' use_clipped_model_output = false).
    /// </summary>
    public StepCoefficients Coefficients(int stepIndex)
    {
        ScheduleMath.RequireStepIndex(stepIndex, _timesteps.Length);
        var t = (int)_timesteps[stepIndex];
        var previous = t - _stride;
        var alpha = _alphasCumprod[t];
        var alphaPrevious = previous >= 0 ? _alphasCumprod[previous] : _finalAlphaCumprod;
        double sqrtAlpha = Math.Sqrt(alpha), sqrtBeta = Math.Sqrt(1 - alpha);
        double sqrtAlphaPrevious = Math.Sqrt(alphaPrevious), sqrtBetaPrevious = Math.Sqrt(1 - alphaPrevious);
        var (p, q) = StepCoefficients.PredictedOriginal(_predictionType, sqrtAlpha, sqrtBeta);
        var (e, f) = _predictionType switch
        {
            Prediction.Epsilon => (0.0, 1.0),
            Prediction.Velocity => (sqrtBeta, sqrtAlpha),
            // ε̂ = (x − √ᾱ·x̂0)/√(1 − ᾱ) with the unclamped x̂0 = m.
            _ => (1 / sqrtBeta, -sqrtAlpha / sqrtBeta),
        };
        return _clipSample
            ? StepCoefficients.Of(sqrtBetaPrevious * e, sqrtBetaPrevious * f, clampX: p, clampModel: q, clamped: sqrtAlphaPrevious, clampRange: _clipRange)
            : StepCoefficients.Of(sqrtAlphaPrevious * p + sqrtBetaPrevious * e, sqrtAlphaPrevious * q + sqrtBetaPrevious * f);
    }
}
