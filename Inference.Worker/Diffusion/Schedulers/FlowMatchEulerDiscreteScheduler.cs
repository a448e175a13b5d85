using Heurist.Inference.Worker.Diffusion.Noise;

namespace Heurist.Inference.Worker.Diffusion.Schedulers;

/// <summary>
/// diffusers' FlowMatchEulerDiscreteScheduler as the Flux pipeline drives it (rectified flow, Liu et al. 2022;
/// Esser et al. 2024): σ = linspace(1, 1/steps, steps), shifted either dynamically by the image's sequence length,
/// σ' = e^μ/(e^μ + (1/σ − 1)) with μ linear in the sequence length between (base_image_seq_len, base_shift) and
/// (max_image_seq_len, max_shift), or statically, σ' = shift·σ/(1 + (shift − 1)·σ). The model timesteps are
/// σ'·num_train_timesteps, a final σ = 0 is appended, and each step is x ← x + (σ_next − σ)·v.
/// </summary>
public sealed class FlowMatchEulerDiscreteScheduler : IDiffusionScheduler
{
    private readonly double[] _sigmas;
    private readonly double[] _timesteps;

    public FlowMatchEulerDiscreteScheduler(SchedulerConfig config, int steps, int? imageSequenceLength = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ScheduleMath.RequireSteps(Name, config, steps);
        ScheduleMath.RequireOneOf(Name, "time_shift_type", config.TimeShiftType, ["exponential"]);
        ScheduleMath.RequireOff(Name, "use_karras_sigmas", config.UseKarrasSigmas);
        ScheduleMath.RequireOff(Name, "use_exponential_sigmas", config.UseExponentialSigmas);
        ScheduleMath.RequireOff(Name, "use_beta_sigmas", config.UseBetaSigmas);
        ScheduleMath.RequireOff(Name, "invert_sigmas", config.InvertSigmas);
        ScheduleMath.RequireOff(Name, "stochastic_sampling", config.StochasticSampling);
        if (config.ShiftTerminal is not null)
        {
            throw new SchedulerSettingException("shift_terminal", $"{Name} does not implement stretching the shift to a terminal value.");
        }

        var sigmas = ScheduleMath.Linspace(1.0, 1.0 / steps, steps);
        if (config.UseDynamicShifting)
        {
            if (imageSequenceLength is not { } length || length < 1)
            {
                throw new SchedulerSettingException(
                    "image_seq_len", $"{Name} with use_dynamic_shifting needs the image's sequence length (latent patches), not {imageSequenceLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.");
            }
            Mu = ShiftFor(config, length);
            var expMu = Math.Exp(Mu.Value);
            sigmas = sigmas.Select(s => expMu / (expMu + (1 / s - 1))).ToArray();
        }
        else
        {
            if (!(config.Shift > 0))
            {
                throw new SchedulerSettingException("shift", $"must be positive, not {config.Shift}.");
            }
            var shift = config.Shift;
            sigmas = sigmas.Select(s => shift * s / (1 + (shift - 1) * s)).ToArray();
        }
        _timesteps = sigmas.Select(s => s * config.NumTrainTimesteps).ToArray();
        _sigmas = [.. sigmas, 0.0];
    }

    public string Name => SchedulerFactory.FlowMatchEuler;

    public IReadOnlyList<double> Timesteps => _timesteps;

    /// <summary>σ for each step, then the final 0.</summary>
    public IReadOnlyList<double> Sigmas => _sigmas;

    /// <summary>μ of the dynamic shift, or null when the shift is static.</summary>
    public double? Mu { get; }

    public double InitNoiseSigma => 1.0;

    public float ModelInputScale(int stepIndex) => 1f;

    /// <summary>The Flux pipeline's calculate_shift: μ = m·len + b through (base_image_seq_len, base_shift) and (max_image_seq_len, max_shift).</summary>
    public static double ShiftFor(SchedulerConfig config, int imageSequenceLength)
    {
        ArgumentNullException.ThrowIfNull(config);
        var m = (config.MaxShift - config.BaseShift) / (config.MaxImageSeqLen - config.BaseImageSeqLen);
        var b = config.BaseShift - m * config.BaseImageSeqLen;
        return imageSequenceLength * m + b;
    }

    public void Step(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, GaussianNoise noise)
        => LatentStep.Step(this, modelOutput, stepIndex, sample, noise);

    public StepForm Form => new(Clamps: false, AddsNoise: false);

    public bool DrawsNoise(int stepIndex) => false;

    /// <summary>x ← x + (σ_next − σ)·v.</summary>
    public StepCoefficients Coefficients(int stepIndex)
    {
        ScheduleMath.RequireStepIndex(stepIndex, _timesteps.Length);
        return StepCoefficients.Of(1, _sigmas[stepIndex + 1] - _sigmas[stepIndex]);
    }
}
