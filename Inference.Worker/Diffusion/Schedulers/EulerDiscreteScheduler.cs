using Heurist.Inference.Worker.Diffusion.Noise;

namespace Heurist.Inference.Worker.Diffusion.Schedulers;

/// <summary>
/// diffusers' EulerDiscreteScheduler without churn (Karras et al. 2022, algorithm 2 with γ = 0): σ at the spaced
/// timesteps interpolated linearly from the training sigmas (or Karras sigmas, ρ = 7), a final σ = 0, and
/// x ← x + (x − x̂0)/σ · (σ_next − σ).
/// </summary>
public sealed class EulerDiscreteScheduler : IDiffusionScheduler
{
    private readonly double[] _sigmas;
    private readonly double[] _timesteps;
    private readonly Prediction _predictionType;

    public EulerDiscreteScheduler(SchedulerConfig config, int steps)
        : this(SchedulerFactory.Euler, config, steps, allowKarras: true)
    {
    }

    internal EulerDiscreteScheduler(string name, SchedulerConfig config, int steps, bool allowKarras)
    {
        ArgumentNullException.ThrowIfNull(config);
        Name = name;
        ScheduleMath.RequireSteps(name, config, steps);
        ScheduleMath.RequireOneOf(name, "prediction_type", config.PredictionType, ScheduleMath.PredictionTypes);
        ScheduleMath.RequireOneOf(name, "interpolation_type", config.InterpolationType, ["linear"]);
        ScheduleMath.RequireOneOf(name, "timestep_type", config.TimestepType, ["discrete"]);
        ScheduleMath.RequireOneOf(name, "final_sigmas_type", config.FinalSigmasType, ["zero"]);
        ScheduleMath.RequireOff(name, "use_exponential_sigmas", config.UseExponentialSigmas);
        ScheduleMath.RequireOff(name, "use_beta_sigmas", config.UseBetaSigmas);
        var spacing = config.TimestepSpacing ?? "linspace";
        ScheduleMath.RequireOneOf(name, "timestep_spacing", spacing, ScheduleMath.Spacings);
        _predictionType = ScheduleMath.ParsePrediction(config.PredictionType);

        var trainingSigmas = ScheduleMath.TrainingSigmas(ScheduleMath.AlphasCumprod(name, config));
        var timesteps = ScheduleMath.SpacedTimesteps(config, steps, spacing, roundLinspaceToInteger: false);
        var sigmas = timesteps.Select(t => ScheduleMath.Interpolate(t, trainingSigmas)).ToArray();
        // EulerAncestralDiscreteScheduler has no use_karras_sigmas argument, so diffusers ignores the key for it.
        if (allowKarras && config.UseKarrasSigmas)
        {
            var logSigmas = trainingSigmas.Select(s => Math.Log(s)).ToArray();
            sigmas = ScheduleMath.KarrasSigmas(sigmas);
            timesteps = sigmas.Select(s => ScheduleMath.SigmaToTimestep(s, logSigmas)).ToArray();
        }
        _timesteps = timesteps;
        _sigmas = [.. sigmas, 0.0];
        // diffusers: σ_max for "linspace" and "trailing", √(σ_max² + 1) for "leading".
        var maxSigma = _sigmas.Max();
        InitNoiseSigma = spacing == "leading" ? Math.Sqrt(maxSigma * maxSigma + 1) : maxSigma;
    }

    public string Name { get; }

    public IReadOnlyList<double> Timesteps => _timesteps;

    /// <summary>σ for each step, then the final 0: one more than <see cref="Timesteps"/>.</summary>
    public IReadOnlyList<double> Sigmas => _sigmas;

    public double InitNoiseSigma { get; }

    /// <summary>1/√(σ² + 1): the model was trained on inputs of unit variance.</summary>
    public float ModelInputScale(int stepIndex)
    {
        var sigma = _sigmas[stepIndex];
        return (float)(1 / Math.Sqrt(sigma * sigma + 1));
    }

    public void Step(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, GaussianNoise noise)
        => LatentStep.Step(this, modelOutput, stepIndex, sample, noise);

    public StepForm Form => new(Clamps: false, AddsNoise: false);

    public StepCoefficients Coefficients(int stepIndex) => Coefficients(stepIndex, ancestral: false);

    public bool DrawsNoise(int stepIndex) => false;

    /// <summary>
    /// x̂0 = P·x + Q·m and x ← x + (x − x̂0)/σ · (σ_target − σ) [+ σ_up·z], so X = 1 + (1 − P)·Δ/σ and Model = −Q·Δ/σ
    /// with Δ = σ_target − σ.
    /// </summary>
    internal StepCoefficients Coefficients(int stepIndex, bool ancestral)
    {
        ScheduleMath.RequireStepIndex(stepIndex, _timesteps.Length);
        var sigma = _sigmas[stepIndex];
        var sigmaNext = _sigmas[stepIndex + 1];
        double target = sigmaNext, sigmaUp = 0;
        if (ancestral)
        {
            // The next σ split into a deterministic part σ_down and fresh noise σ_up with σ_down² + σ_up² = σ_next².
            sigmaUp = Math.Sqrt(sigmaNext * sigmaNext * (sigma * sigma - sigmaNext * sigmaNext) / (sigma * sigma));
            target = Math.Sqrt(sigmaNext * sigmaNext - sigmaUp * sigmaUp);
        }
        var delta = target - sigma;
        return _predictionType switch
        {
            // x̂0 = x − σ·ε: the step is x + ε·Δ.
            Prediction.Epsilon => StepCoefficients.Of(1, delta, sigmaUp),
            // x̂0 = x/(σ² + 1) − σ/√(σ² + 1)·v.
            Prediction.Velocity => StepCoefficients.Of(1 + (1 - 1 / (sigma * sigma + 1)) * delta / sigma, delta / Math.Sqrt(sigma * sigma + 1), sigmaUp),
            _ => StepCoefficients.Of(1 + delta / sigma, -delta / sigma, sigmaUp),
        };
    }

    /// <summary>σ_up of an ancestral step, for whether it draws noise (the last step's is 0).</summary>
    internal bool AncestralDrawsNoise(int stepIndex) => _sigmas[stepIndex + 1] > 0;
}

/// <summary>
/// diffusers' EulerAncestralDiscreteScheduler: the Euler step to σ_down = √(σ_next² − σ_up²), then fresh noise times
/// σ_up = √(σ_next²(σ² − σ_next²)/σ²) (Ho et al.'s ancestral sampling, eta 1).
/// </summary>
public sealed class EulerAncestralDiscreteScheduler : IDiffusionScheduler
{
    private readonly EulerDiscreteScheduler _euler;

    public EulerAncestralDiscreteScheduler(SchedulerConfig config, int steps)
    {
        _euler = new EulerDiscreteScheduler(SchedulerFactory.EulerAncestral, config, steps, allowKarras: false);
    }

    public string Name => _euler.Name;

    public IReadOnlyList<double> Timesteps => _euler.Timesteps;

    public IReadOnlyList<double> Sigmas => _euler.Sigmas;

    public double InitNoiseSigma => _euler.InitNoiseSigma;

    public float ModelInputScale(int stepIndex) => _euler.ModelInputScale(stepIndex);

    public void Step(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, GaussianNoise noise)
        => LatentStep.Step(this, modelOutput, stepIndex, sample, noise);

    public StepForm Form => new(Clamps: false, AddsNoise: true);

    public StepCoefficients Coefficients(int stepIndex) => _euler.Coefficients(stepIndex, ancestral: true);

    public bool DrawsNoise(int stepIndex) => _euler.AncestralDrawsNoise(stepIndex);
}
