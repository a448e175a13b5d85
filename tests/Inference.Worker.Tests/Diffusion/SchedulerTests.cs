using Heurist.Inference.Worker.Diffusion.Noise;
using Heurist.Inference.Worker.Diffusion.Schedulers;

namespace Heurist.Inference.Worker.Tests.Diffusion;

public sealed class SchedulerTests
{
    // Stable Diffusion 1.5's scheduler_config.json (runwayml/stable-diffusion-v1-5, scheduler/), as shipped.
    private const string Sd15Json = """
        {
          "_class_name": "PNDMScheduler",
          "_diffusers_version": "0.6.0",
          "beta_end": 0.012,
          "beta_schedule": "scaled_linear",
          "beta_start": 0.00085,
          "num_train_timesteps": 1000,
          "set_alpha_to_one": false,
          "skip_prk_steps": true,
          "steps_offset": 1,
          "trained_betas": null,
          "clip_sample": false
        }
        """;

    // FLUX.1-dev's scheduler_config.json.
    private const string FluxJson = """
        {
          "_class_name": "FlowMatchEulerDiscreteScheduler",
          "_diffusers_version": "0.30.0.dev0",
          "base_image_seq_len": 256,
          "base_shift": 0.5,
          "max_image_seq_len": 4096,
          "max_shift": 1.15,
          "num_train_timesteps": 1000,
          "shift": 3.0,
          "use_dynamic_shifting": true
        }
        """;

    private static readonly SchedulerConfig Sd15 = SchedulerConfig.Parse(Sd15Json);
    private static readonly SchedulerConfig Flux = SchedulerConfig.Parse(FluxJson);

    [Fact]
    public void The_config_parser_reads_the_known_keys_keeps_the_class_name_and_ignores_the_rest()
    {
        Assert.Equal("PNDMScheduler", Sd15.ClassName);
        Assert.Equal(0.00085, Sd15.BetaStart);
        Assert.Equal(0.012, Sd15.BetaEnd);
        Assert.Equal("scaled_linear", Sd15.BetaSchedule);
        Assert.Equal(1, Sd15.StepsOffset);
        Assert.False(Sd15.SetAlphaToOne);
        Assert.False(Sd15.ClipSample);
        Assert.Null(Sd15.TrainedBetas);
        // Missing keys keep diffusers' defaults; the spacing is left to each scheduler.
        Assert.Equal("epsilon", Sd15.PredictionType);
        Assert.Null(Sd15.TimestepSpacing);
        Assert.Equal(50, Sd15.OriginalInferenceSteps);

        Assert.True(Flux.UseDynamicShifting);
        Assert.Equal(3.0, Flux.Shift);
        Assert.Equal(4096, Flux.MaxImageSeqLen);
    }

    [Fact]
    public void A_config_value_of_the_wrong_type_names_its_key()
    {
        var error = Assert.Throws<SchedulerSettingException>(() => SchedulerConfig.Parse("""{ "beta_start": "small" }"""));
        Assert.Equal("beta_start", error.Setting);
        Assert.Contains("beta_start", error.Message, StringComparison.Ordinal);

        Assert.Equal("steps_offset", Assert.Throws<SchedulerSettingException>(() => SchedulerConfig.Parse("""{ "steps_offset": 1.5 }""")).Setting);
    }

    [Fact]
    public void Ddim_on_sd15_with_50_steps_visits_981_961_down_to_1()
    {
        // "leading": 1000 // 50 = 20, so 0, 20, …, 980 reversed, plus steps_offset 1.
        var ddim = SchedulerFactory.Create("ddim", Sd15, 50);

        Assert.Equal(Enumerable.Range(0, 50).Select(i => 981.0 - 20 * i), ddim.Timesteps);
        Assert.Equal(1.0, ddim.InitNoiseSigma);
    }

    [Fact]
    public void The_largest_sigma_of_the_sd_schedule_is_14_6146()
    {
        // scaled_linear betas from 0.00085 to 0.012 over 1000 steps give ᾱ_999 ≈ 0.0046600 and
        // σ_max = √((1 − ᾱ)/ᾱ) ≈ 14.6146, the value every SD 1.5 Euler sampler starts from.
        var euler = new EulerDiscreteScheduler(Sd15, 20);

        Assert.Equal(999.0, euler.Timesteps[0]);
        Assert.Equal(14.6146, euler.Sigmas[0], 4e-4);
        Assert.Equal(0.0, euler.Sigmas[^1]);
        // SD 1.5's config has no timestep_spacing, so Euler takes its default "linspace", whose initial sigma is σ_max.
        Assert.Equal(euler.Sigmas[0], euler.InitNoiseSigma);
        Assert.Equal((float)(1 / Math.Sqrt(euler.Sigmas[0] * euler.Sigmas[0] + 1)), euler.ModelInputScale(0));
    }

    [Fact]
    public void Leading_spacing_starts_the_noise_at_the_square_root_of_sigma_max_squared_plus_one()
    {
        // diffusers' init_noise_sigma: √(σ_max² + 1) for "leading", σ_max for "linspace" and "trailing".
        var leading = new EulerDiscreteScheduler(Sd15 with { TimestepSpacing = "leading" }, 30);
        var trailing = new EulerDiscreteScheduler(Sd15 with { TimestepSpacing = "trailing" }, 30);

        Assert.Equal(Math.Sqrt(leading.Sigmas[0] * leading.Sigmas[0] + 1), leading.InitNoiseSigma, 1e-12);
        Assert.Equal(trailing.Sigmas[0], trailing.InitNoiseSigma);
        // leading: 1000 // 30 = 33, so the first timestep is 29·33 + 1 = 958; trailing starts at 1000 − 1.
        Assert.Equal(958.0, leading.Timesteps[0]);
        Assert.Equal(999.0, trailing.Timesteps[0]);
    }

    [Fact]
    public void Flux_at_1024_pixels_square_shifts_by_mu_1_15()
    {
        // 1024² pixels → a 128² latent → 64² = 4096 patches of 2×2: the top of the line through (256, 0.5) and
        // (4096, 1.15), so μ = 1.15. At 256 patches (256² pixels) μ is the base shift 0.5.
        Assert.Equal(1.15, FlowMatchEulerDiscreteScheduler.ShiftFor(Flux, 4096), 1e-12);
        Assert.Equal(0.5, FlowMatchEulerDiscreteScheduler.ShiftFor(Flux, 256), 1e-12);

        var flow = (FlowMatchEulerDiscreteScheduler)SchedulerFactory.Create("flow-match-euler", Flux, 28, 4096);
        // σ = 1 is a fixed point of the shift; σ = 1/28 becomes e^1.15/(e^1.15 + 27).
        Assert.Equal(1000.0, flow.Timesteps[0], 1e-9);
        Assert.Equal(Math.Exp(1.15) / (Math.Exp(1.15) + 27), flow.Sigmas[27], 1e-12);
        Assert.Equal(0.0, flow.Sigmas[28]);
        Assert.Equal(1.0, flow.InitNoiseSigma);
        Assert.Equal(1f, flow.ModelInputScale(5));
    }

    [Fact]
    public void A_flow_step_moves_the_sample_along_the_velocity_by_the_sigma_difference()
    {
        var flow = SchedulerFactory.Create("flow-match-euler", Flux, 1, 4096);
        float[] sample = [1f, -2f, 0.5f];

        // One step: σ goes from 1 to 0, so x ← x − v, which turns pure noise into the predicted image.
        flow.Step([0.25f, 0.5f, -1f], 0, sample, new GaussianNoise(0));

        Assert.Equal([0.75f, -2.5f, 1.5f], sample);
    }

    [Fact]
    public void Lcm_with_4_steps_visits_999_759_499_259()
    {
        // original_inference_steps 50 → k = 20 → [19, 39, …, 999] reversed; indices ⌊i·50/4⌋ = 0, 12, 25, 37.
        var lcm = (LcmScheduler)SchedulerFactory.Create("lcm", Sd15, 4);

        Assert.Equal([999.0, 759.0, 499.0, 259.0], lcm.Timesteps);
        // At t = 0 the consistency function is the identity: c_skip = 1, c_out = 0.
        Assert.Equal((1.0, 0.0), lcm.BoundaryScalings(0));
        // At t = 999 it is almost all model: c_skip = 0.25/(9990² + 0.25).
        Assert.Equal(0.25 / (9990.0 * 9990.0 + 0.25), lcm.BoundaryScalings(999).Skip, 1e-20);
    }

    [Fact]
    public void The_last_ancestral_step_adds_no_noise_and_equals_the_euler_step()
    {
        var euler = new EulerDiscreteScheduler(Sd15, 10);
        var ancestral = new EulerAncestralDiscreteScheduler(Sd15, 10);
        float[] output = [0.5f, -0.25f, 1f, 0f];
        float[] a = [1f, 2f, -3f, 0.5f];
        float[] b = [.. a];
        var noise = new GaussianNoise(11);

        euler.Step(output, 9, a, noise);
        ancestral.Step(output, 9, b, noise);

        Assert.Equal(a, b);
        // σ_next = 0 gives σ_up = 0, so nothing was drawn from the stream.
        Assert.Equal(new GaussianNoise(11).Sample(4), noise.Sample(4));
    }

    [Fact]
    public void An_ancestral_step_with_another_noise_stream_gives_another_sample()
    {
        var ancestral = new EulerAncestralDiscreteScheduler(Sd15, 10);
        float[] a = [1f, 2f, -3f, 0.5f];
        float[] b = [.. a];

        ancestral.Step([0.5f, -0.25f, 1f, 0f], 0, a, new GaussianNoise(1).ForStep(0));
        ancestral.Step([0.5f, -0.25f, 1f, 0f], 0, b, new GaussianNoise(2).ForStep(0));

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void An_unknown_scheduler_is_refused_with_the_list_of_valid_ones()
    {
        var error = Assert.Throws<UnknownSchedulerException>(() => SchedulerFactory.Create("dpm++", Sd15, 20));

        Assert.Equal("dpm++", error.Scheduler);
        Assert.Equal("scheduler", error.Setting);
        Assert.Equal(["euler", "euler-ancestral", "ddim", "lcm", "flow-match-euler"], error.ValidNames);
        Assert.Contains("'dpm++'", error.Message, StringComparison.Ordinal);
        Assert.Contains("flow-match-euler", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("euler", 0)]
    [InlineData("ddim", -1)]
    [InlineData("euler-ancestral", 1001)]
    [InlineData("lcm", 1001)]
    [InlineData("flow-match-euler", 0)]
    public void A_step_count_outside_1_to_num_train_timesteps_is_refused(string name, int steps)
    {
        var error = Assert.Throws<SchedulerSettingException>(() => SchedulerFactory.Create(name, Sd15, steps, 4096));

        Assert.Equal("steps", error.Setting);
        Assert.Contains(steps.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lcm_refuses_more_steps_than_its_original_schedule()
    {
        var error = Assert.Throws<SchedulerSettingException>(() => SchedulerFactory.Create("lcm", Sd15, 51));

        Assert.Equal("steps", error.Setting);
        Assert.Contains("original_inference_steps", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("euler", "beta_schedule", """{ "beta_schedule": "squaredcos_cap_v2" }""")]
    [InlineData("ddim", "beta_schedule", """{ "beta_schedule": "sigmoid" }""")]
    [InlineData("euler", "prediction_type", """{ "prediction_type": "flow" }""")]
    [InlineData("lcm", "prediction_type", """{ "prediction_type": "x0" }""")]
    [InlineData("ddim", "timestep_spacing", """{ "timestep_spacing": "random" }""")]
    [InlineData("euler", "interpolation_type", """{ "interpolation_type": "log_linear" }""")]
    [InlineData("euler", "rescale_betas_zero_snr", """{ "rescale_betas_zero_snr": true }""")]
    [InlineData("ddim", "thresholding", """{ "thresholding": true }""")]
    [InlineData("ddim", "steps_offset", """{ "steps_offset": 100 }""")]
    [InlineData("euler", "trained_betas", """{ "trained_betas": [0.1, 0.2] }""")]
    [InlineData("flow-match-euler", "time_shift_type", """{ "time_shift_type": "linear" }""")]
    [InlineData("flow-match-euler", "image_seq_len", """{ "use_dynamic_shifting": true }""")]
    public void An_unsupported_setting_is_refused_by_name(string name, string setting, string json)
    {
        var error = Assert.Throws<SchedulerSettingException>(() => SchedulerFactory.Create(name, SchedulerConfig.Parse(json), 20));

        Assert.Equal(setting, error.Setting);
        Assert.StartsWith(setting + ":", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_refuses_a_model_output_of_another_length_and_an_index_past_the_schedule()
    {
        var ddim = SchedulerFactory.Create("ddim", Sd15, 10);
        var noise = new GaussianNoise(0);

        Assert.Throws<ArgumentException>(() => ddim.Step(new float[3], 0, new float[4], noise));
        Assert.Throws<ArgumentOutOfRangeException>(() => ddim.Step(new float[4], 10, new float[4], noise));
    }
}
