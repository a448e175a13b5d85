namespace Heurist.Inference.Worker.Diffusion.Schedulers;

/// <summary>The parts that the discrete-time schedulers share, each following diffusers (and numpy where it computes them).</summary>
internal static class ScheduleMath
{
    public static readonly string[] PredictionTypes = ["epsilon", "v_prediction", "sample"];

    /// <summary>The prediction type as an enum, parsed once: the step loops branch on it for every latent value.</summary>
    public static Prediction ParsePrediction(string predictionType) => predictionType switch
    {
        "epsilon" => Prediction.Epsilon,
        "v_prediction" => Prediction.Velocity,
        _ => Prediction.Sample,
    };

    public static readonly string[] Spacings = ["leading", "trailing", "linspace"];

    /// <summary>numpy.linspace(start, stop, count): start + i·step with step = (stop − start)/(count − 1), and stop exactly last.</summary>
    public static double[] Linspace(double start, double stop, int count)
    {
        var values = new double[count];
        if (count == 1)
        {
            values[0] = start;
            return values;
        }
        var step = (stop - start) / (count - 1);
        for (var i = 0; i < count; i++)
        {
            values[i] = i * step + start;
        }
        values[count - 1] = stop;
        return values;
    }

    public static void RequireSteps(string scheduler, SchedulerConfig config, int steps)
    {
        if (config.NumTrainTimesteps < 1)
        {
            throw new SchedulerSettingException("num_train_timesteps", $"must be at least 1, not {config.NumTrainTimesteps}.");
        }
        if (steps < 1)
        {
            throw new SchedulerSettingException("steps", $"{scheduler} needs at least 1 step, not {steps}.");
        }
        if (steps > config.NumTrainTimesteps)
        {
            throw new SchedulerSettingException(
                "steps", $"{scheduler} cannot take {steps} steps: num_train_timesteps is {config.NumTrainTimesteps}.");
        }
    }

    public static void RequireOneOf(string scheduler, string setting, string value, IReadOnlyList<string> supported)
    {
        if (!supported.Contains(value, StringComparer.Ordinal))
        {
            throw new SchedulerSettingException(
                setting, $"'{value}' is not supported by {scheduler}; use {string.Join(" or ", supported.Select(s => $"'{s}'"))}.");
        }
    }

    public static void RequireOff(string scheduler, string setting, bool on)
    {
        if (on)
        {
            throw new SchedulerSettingException(setting, $"{scheduler} does not implement {setting} = true.");
        }
    }

    /// <summary>betas → ᾱ_t = Π(1 − β_s), s ≤ t. "linear": linspace(β_start, β_end); "scaled_linear": linspace(√β_start, √β_end)².</summary>
    public static double[] AlphasCumprod(string scheduler, SchedulerConfig config)
    {
        RequireOff(scheduler, "rescale_betas_zero_snr", config.RescaleBetasZeroSnr);
        double[] betas;
        if (config.TrainedBetas is { } trained)
        {
            if (trained.Count != config.NumTrainTimesteps)
            {
                throw new SchedulerSettingException(
                    "trained_betas", $"holds {trained.Count} betas but num_train_timesteps is {config.NumTrainTimesteps}.");
            }
            betas = [.. trained];
        }
        else
        {
            RequireOneOf(scheduler, "beta_schedule", config.BetaSchedule, ["linear", "scaled_linear"]);
            betas = config.BetaSchedule == "linear"
                ? Linspace(config.BetaStart, config.BetaEnd, config.NumTrainTimesteps)
                : Linspace(Math.Sqrt(config.BetaStart), Math.Sqrt(config.BetaEnd), config.NumTrainTimesteps).Select(b => b * b).ToArray();
        }
        var alphasCumprod = new double[betas.Length];
        var product = 1.0;
        for (var t = 0; t < betas.Length; t++)
        {
            product *= 1.0 - betas[t];
            alphasCumprod[t] = product;
        }
        return alphasCumprod;
    }

    /// <summary>
    /// The timesteps of diffusers' three spacings (Lin et al. 2023, table 2), largest first:
    /// leading: (steps − 1 − i)·(T // steps) + steps_offset; trailing: round(T − i·T/steps) − 1 (numpy arange then round);
    /// linspace: linspace(0, T − 1, steps) reversed, either rounded to integers (DDIM) or to float32 (Euler).
    /// </summary>
    public static double[] SpacedTimesteps(SchedulerConfig config, int steps, string spacing, bool roundLinspaceToInteger)
    {
        var train = config.NumTrainTimesteps;
        var timesteps = new double[steps];
        switch (spacing)
        {
            case "leading":
                var stride = train / steps;
                for (var i = 0; i < steps; i++)
                {
                    timesteps[i] = (double)(steps - 1 - i) * stride + config.StepsOffset;
                }
                break;
            case "trailing":
                // numpy.arange(T, 0, −T/steps) fills start + i·delta with delta = (start + step) − start.
                var ratio = (double)train / steps;
                var delta = (train - ratio) - train;
                for (var i = 0; i < steps; i++)
                {
                    timesteps[i] = Math.Round(train + i * delta, MidpointRounding.ToEven) - 1;
                }
                break;
            default:
                var spaced = Linspace(0, train - 1, steps);
                for (var i = 0; i < steps; i++)
                {
                    var t = spaced[steps - 1 - i];
                    timesteps[i] = roundLinspaceToInteger ? Math.Round(t, MidpointRounding.ToEven) : (float)t;
                }
                break;
        }
        return timesteps;
    }

    /// <summary>σ_t = √((1 − ᾱ_t)/ᾱ_t) for every training timestep.</summary>
    public static double[] TrainingSigmas(double[] alphasCumprod)
        => alphasCumprod.Select(a => Math.Sqrt((1 - a) / a)).ToArray();

    /// <summary>numpy.interp(x, arange(n), values): clamped at both ends, slope·(x − j) + values[j] inside.</summary>
    public static double Interpolate(double x, double[] values)
    {
        if (x <= 0)
        {
            return values[0];
        }
        if (x >= values.Length - 1)
        {
            return values[^1];
        }
        var j = (int)Math.Floor(x);
        var slope = values[j + 1] - values[j];
        return slope * (x - j) + values[j];
    }

    /// <summary>Karras et al. (2022) eq. 5 with ρ = 7 between the first and last of <paramref name="sigmas"/>.</summary>
    public static double[] KarrasSigmas(double[] sigmas)
    {
        const double rho = 7.0;
        var minInvRho = Math.Pow(sigmas[^1], 1 / rho);
        var maxInvRho = Math.Pow(sigmas[0], 1 / rho);
        var ramp = Linspace(0, 1, sigmas.Length);
        return ramp.Select(r => Math.Pow(maxInvRho + r * (minInvRho - maxInvRho), rho)).ToArray();
    }

    /// <summary>
    /// The (fractional) training timestep of a sigma, as diffusers' _sigma_to_t: linear interpolation in log σ between
    /// the two training sigmas around it, clamped to the table.
    /// </summary>
    public static double SigmaToTimestep(double sigma, double[] logTrainingSigmas)
    {
        var logSigma = Math.Log(Math.Max(sigma, 1e-10));
        var low = 0;
        for (var i = 0; i < logTrainingSigmas.Length; i++)
        {
            if (logSigma - logTrainingSigmas[i] >= 0)
            {
                low = i;
            }
        }
        low = Math.Min(low, logTrainingSigmas.Length - 2);
        var lowLog = logTrainingSigmas[low];
        var highLog = logTrainingSigmas[low + 1];
        var w = Math.Clamp((lowLog - logSigma) / (lowLog - highLog), 0, 1);
        return (1 - w) * low + w * (low + 1);
    }

    public static void RequireStepIndex(int stepIndex, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(stepIndex, steps);
    }

    public static void RequireStep(ReadOnlySpan<float> modelOutput, int stepIndex, Span<float> sample, int steps)
    {
        RequireStepIndex(stepIndex, steps);
        if (modelOutput.Length != sample.Length)
        {
            throw new ArgumentException(
                $"The model output has {modelOutput.Length} values but the sample has {sample.Length}.", nameof(modelOutput));
        }
    }
}

/// <summary>What a denoiser predicts: the noise, the velocity (v-prediction) or the clean sample.</summary>
internal enum Prediction
{
    Epsilon,
    Velocity,
    Sample,
}
