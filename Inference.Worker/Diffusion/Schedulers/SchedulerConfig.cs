using System.Text.Json;

namespace Heurist.Inference.Worker.Diffusion.Schedulers;

/// <summary>
/// The settings of a diffusers <c>scheduler_config.json</c> that the schedulers here read. Keys it does not know are
/// ignored; a key that is missing keeps the default below, which is diffusers' default for that argument. Where the
/// diffusers schedulers disagree on a default (<c>timestep_spacing</c>, <c>clip_sample</c>), the property is null and
/// each scheduler applies its own, as <c>from_config</c> does.
/// </summary>
public sealed record SchedulerConfig
{
    /// <summary>The <c>_class_name</c> the file was written for (e.g. "PNDMScheduler"); informational.</summary>
    public string? ClassName { get; init; }

    public int NumTrainTimesteps { get; init; } = 1000;

    public double BetaStart { get; init; } = 0.0001;

    public double BetaEnd { get; init; } = 0.02;

    /// <summary>"linear" or "scaled_linear".</summary>
    public string BetaSchedule { get; init; } = "linear";

    /// <summary>Explicit betas, which replace the schedule when present.</summary>
    public IReadOnlyList<double>? TrainedBetas { get; init; }

    /// <summary>"epsilon", "v_prediction" or "sample".</summary>
    public string PredictionType { get; init; } = "epsilon";

    /// <summary>"leading", "trailing" or "linspace"; null takes the scheduler's default.</summary>
    public string? TimestepSpacing { get; init; }

    public int StepsOffset { get; init; }

    public bool SetAlphaToOne { get; init; } = true;

    /// <summary>Clamp the predicted x0 to ±<see cref="ClipSampleRange"/>; null takes the scheduler's default (DDIM true, LCM false).</summary>
    public bool? ClipSample { get; init; }

    public double ClipSampleRange { get; init; } = 1.0;

    public bool UseKarrasSigmas { get; init; }

    /// <summary>Only "linear" is implemented.</summary>
    public string InterpolationType { get; init; } = "linear";

    /// <summary>Only "discrete" is implemented.</summary>
    public string TimestepType { get; init; } = "discrete";

    /// <summary>Only "zero" is implemented.</summary>
    public string FinalSigmasType { get; init; } = "zero";

    public bool RescaleBetasZeroSnr { get; init; }

    public bool Thresholding { get; init; }

    public bool UseExponentialSigmas { get; init; }

    public bool UseBetaSigmas { get; init; }

    /// <summary>LCM: the distillation schedule's length.</summary>
    public int OriginalInferenceSteps { get; init; } = 50;

    /// <summary>LCM: the factor on the timestep in the boundary-condition scalings.</summary>
    public double TimestepScaling { get; init; } = 10.0;

    /// <summary>Flow matching: the static shift used when <see cref="UseDynamicShifting"/> is off.</summary>
    public double Shift { get; init; } = 1.0;

    public bool UseDynamicShifting { get; init; }

    public double BaseShift { get; init; } = 0.5;

    public double MaxShift { get; init; } = 1.15;

    public int BaseImageSeqLen { get; init; } = 256;

    public int MaxImageSeqLen { get; init; } = 4096;

    /// <summary>Flow matching: only "exponential" is implemented.</summary>
    public string TimeShiftType { get; init; } = "exponential";

    /// <summary>Flow matching: must be null; stretching to a terminal value is not implemented.</summary>
    public double? ShiftTerminal { get; init; }

    public bool InvertSigmas { get; init; }

    public bool StochasticSampling { get; init; }

    /// <summary>Reads a scheduler_config.json file.</summary>
    public static SchedulerConfig Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Parses the JSON of a scheduler_config.json; a value of the wrong JSON type names its key.</summary>
    public static SchedulerConfig Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new SchedulerSettingException("scheduler_config", "the file must hold a JSON object.");
        }
        var config = new SchedulerConfig();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            var key = property.Name;
            config = key switch
            {
                "_class_name" => config with { ClassName = Text(key, value) },
                "num_train_timesteps" => config with { NumTrainTimesteps = Integer(key, value) },
                "beta_start" => config with { BetaStart = Number(key, value) },
                "beta_end" => config with { BetaEnd = Number(key, value) },
                "beta_schedule" => config with { BetaSchedule = Text(key, value) },
                "trained_betas" => config with { TrainedBetas = Numbers(key, value) },
                "prediction_type" => config with { PredictionType = Text(key, value) },
                "timestep_spacing" => config with { TimestepSpacing = Text(key, value) },
                "steps_offset" => config with { StepsOffset = Integer(key, value) },
                "set_alpha_to_one" => config with { SetAlphaToOne = Boolean(key, value) },
                "clip_sample" => config with { ClipSample = Boolean(key, value) },
                "clip_sample_range" => config with { ClipSampleRange = Number(key, value) },
                "use_karras_sigmas" => config with { UseKarrasSigmas = Boolean(key, value) },
                "interpolation_type" => config with { InterpolationType = Text(key, value) },
                "timestep_type" => config with { TimestepType = Text(key, value) },
                "final_sigmas_type" => config with { FinalSigmasType = Text(key, value) },
                "rescale_betas_zero_snr" => config with { RescaleBetasZeroSnr = Boolean(key, value) },
                "thresholding" => config with { Thresholding = Boolean(key, value) },
                "use_exponential_sigmas" => config with { UseExponentialSigmas = Boolean(key, value) },
                "use_beta_sigmas" => config with { UseBetaSigmas = Boolean(key, value) },
                "original_inference_steps" => config with { OriginalInferenceSteps = Integer(key, value) },
                "timestep_scaling" => config with { TimestepScaling = Number(key, value) },
                "shift" => config with { Shift = Number(key, value) },
                "use_dynamic_shifting" => config with { UseDynamicShifting = Boolean(key, value) },
                "base_shift" => config with { BaseShift = Number(key, value) },
                "max_shift" => config with { MaxShift = Number(key, value) },
                "base_image_seq_len" => config with { BaseImageSeqLen = Integer(key, value) },
                "max_image_seq_len" => config with { MaxImageSeqLen = Integer(key, value) },
                "time_shift_type" => config with { TimeShiftType = Text(key, value) },
                "shift_terminal" => config with { ShiftTerminal = Number(key, value) },
                "invert_sigmas" => config with { InvertSigmas = Boolean(key, value) },
                "stochastic_sampling" => config with { StochasticSampling = Boolean(key, value) },
                _ => config,
            };
        }
        return config;
    }

    private static string Text(string key, JsonElement value)
        => value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new SchedulerSettingException(key, $"expected a string, found {value.ValueKind}.");

    private static double Number(string key, JsonElement value)
        => value.ValueKind == JsonValueKind.Number
            ? value.GetDouble()
            : throw new SchedulerSettingException(key, $"expected a number, found {value.ValueKind}.");

    private static int Integer(string key, JsonElement value)
        => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw new SchedulerSettingException(key, $"expected an integer, found {value}.");

    private static bool Boolean(string key, JsonElement value)
        => value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean()
            : throw new SchedulerSettingException(key, $"expected true or false, found {value.ValueKind}.");

    private static double[] Numbers(string key, JsonElement value)
        => value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(item => Number(key, item)).ToArray()
            : throw new SchedulerSettingException(key, $"expected an array of numbers, found {value.ValueKind}.");
}
