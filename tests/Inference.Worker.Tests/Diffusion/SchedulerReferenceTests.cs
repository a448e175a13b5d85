using System.Text.Json.Nodes;
using Heurist.Inference.Worker.Diffusion.Noise;
using Heurist.Inference.Worker.Diffusion.Schedulers;

namespace Heurist.Inference.Worker.Tests.Diffusion;

/// <summary>
/// Every case of reference/schedulers.json: a scheduler_config.json (parsed here by <see cref="SchedulerConfig.Parse"/>),
/// a scheduler name and a step count, with the timesteps, sigmas, initial noise sigma, input scales and the result of
/// a few steps on a fixed sample that schedulers.py computed from the papers' formulas in plain Python.
/// </summary>
public sealed class SchedulerReferenceTests
{
    private static readonly JsonObject Reference = ReferenceData.Load("schedulers.json");

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        var cases = Reference["cases"]!.AsArray();
        for (var i = 0; i < cases.Count; i++)
        {
            data.Add(i, cases[i]!["name"]!.GetValue<string>());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_schedule_matches_the_reference(int index, string name)
    {
        var item = Reference["cases"]![index]!;
        var scheduler = Create(item);

        Assert.Equal(item["scheduler"]!.GetValue<string>(), scheduler.Name);
        AssertClose(item["timesteps"].Doubles(), [.. scheduler.Timesteps], 1e-9, name + " timesteps");
        Assert.Equal(item["init_noise_sigma"]!.GetValue<double>(), scheduler.InitNoiseSigma, 1e-9);
        var scales = Enumerable.Range(0, scheduler.Timesteps.Count).Select(i => (double)scheduler.ModelInputScale(i)).ToArray();
        AssertClose(item["model_input_scales"].Doubles(), scales, 1e-6, name + " input scales");
        if (item["sigmas"] is { } sigmas)
        {
            var actual = scheduler switch
            {
                EulerDiscreteScheduler euler => euler.Sigmas,
                EulerAncestralDiscreteScheduler ancestral => ancestral.Sigmas,
                FlowMatchEulerDiscreteScheduler flow => flow.Sigmas,
                _ => throw new InvalidOperationException($"{name} has sigmas in the reference but not in C#."),
            };
            AssertClose(sigmas.Doubles(), [.. actual], 1e-9, name + " sigmas");
        }
        if (item["mu"] is { } mu)
        {
            Assert.Equal(mu.GetValue<double>(), ((FlowMatchEulerDiscreteScheduler)scheduler).Mu!.Value, 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Steps_on_a_fixed_sample_match_the_reference(int index, string name)
    {
        var item = Reference["cases"]![index]!;
        var scheduler = Create(item);
        var seed = (ulong)Reference["noise_seed"]!.GetValue<int>();

        foreach (var step in item["step_results"]!.AsArray())
        {
            var stepIndex = step!["index"]!.GetValue<int>();
            var sample = Reference["sample"].Floats();
            scheduler.Step(Reference["model_output"].Floats(), stepIndex, sample, new GaussianNoise(seed).ForStep(stepIndex));

            // Both sides compute in double and round once to float; allow a couple of float ulps for the order of operations.
            AssertClose(step["result"].Doubles(), sample.Select(v => (double)v).ToArray(), 5e-7, $"{name} step {stepIndex}");
        }
    }

    private static IDiffusionScheduler Create(JsonNode item)
    {
        var config = SchedulerConfig.Parse(item["config"]!.ToJsonString());
        return SchedulerFactory.Create(
            item["scheduler"]!.GetValue<string>(), config, item["steps"]!.GetValue<int>(), item["image_seq_len"]?.GetValue<int>());
    }

    private static void AssertClose(double[] expected, double[] actual, double relative, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} values, got {actual.Length}.");
        for (var i = 0; i < expected.Length; i++)
        {
            var tolerance = relative * Math.Max(1, Math.Abs(expected[i]));
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}.");
        }
    }
}
