namespace Heurist.TinyModels.Tests;

public sealed class InferenceTests(GeneratedModels models)
{
    public static TheoryData<string, int, int, int> ModelsAtSizes()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var model in ModelInterfaces.All.Keys)
        {
            data.Add(model, 1, 64, 64);
            // Non-square, batch 2 as classifier-free guidance runs it.
            data.Add(model, 2, 64, 96);
        }
        return data;
    }

    public static TheoryData<string, string> ModelInputsByName()
    {
        var data = new TheoryData<string, string>();
        foreach (var (model, ports) in ModelInterfaces.All)
        {
            foreach (var input in ports.Inputs)
            {
                data.Add(model, input.Name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelsAtSizes))]
    public void Each_model_runs_and_gives_finite_outputs_of_the_declared_shape(string model, int batch, int height, int width)
    {
        var run = ModelInputs.For(model, batch, height, width);

        var outputs = models.Session(model).Run(run.Inputs);

        foreach (var port in ModelInterfaces.All[model].Outputs)
        {
            var expected = port.Shape.Select(d => d is string symbol ? run.Dims[symbol] : (int)d).ToArray();
            var output = outputs[port.Name];
            Assert.Equal(expected, output.Shape);
            Assert.All(output.Data, v => Assert.True(float.IsFinite(v), $"{port.Name} has {v}"));
            // Text encoder states stay in the range of a LayerNorm'd transformer.
            Assert.True(output.Data.Max(MathF.Abs) < 50, $"{port.Name} reaches {output.Data.Max(MathF.Abs)}");
        }
    }

    [Theory]
    [InlineData("sd15/vae_decoder/model.onnx", 1f)]
    [InlineData("sdxl/vae_decoder/model.onnx", 1f)]
    [InlineData("flux-dev/vae_decoder/model.onnx", 1f)]
    // Latents divided by a scaling factor (1 / 0.18215 ≈ 5.5) and left large by a random denoiser.
    [InlineData("sd15/vae_decoder/model.onnx", 30f)]
    [InlineData("flux-dev/vae_decoder/model.onnx", 30f)]
    public void Vae_decoders_give_images_in_minus_one_to_one_that_use_the_range(string model, float latentScale)
    {
        var latents = ModelInputs.For(model, 1, 64, 96).Inputs.Single();
        var scaled = latents with { Data = ((float[])latents.Data).Select(v => v * latentScale).ToArray() };

        var image = models.Session(model).Run([scaled])["sample"].Data;

        Assert.All(image, v => Assert.InRange(v, -1f, 1f));
        // Not a flat or saturated image: values spread, and most pixels are away from ±1.
        Assert.True(image.Max() - image.Min() > 0.5f, $"range {image.Min()}..{image.Max()}");
        Assert.True(image.Count(v => MathF.Abs(v) < 0.99f) > image.Length * 9 / 10, "more than a tenth of the pixels saturate");
    }

    [Theory]
    [InlineData("sd15/unet/model.onnx", "out_sample")]
    [InlineData("sdxl/unet/model.onnx", "out_sample")]
    [InlineData("flux-dev/transformer/model.onnx", "out_hidden_states")]
    public void Noise_predictions_stay_within_one_and_are_not_flat(string model, string output)
    {
        var prediction = models.Session(model).Run(ModelInputs.For(model, 2, 64, 96).Inputs)[output].Data;

        Assert.All(prediction, v => Assert.InRange(v, -1f, 1f));
        var mean = prediction.Average();
        var std = Math.Sqrt(prediction.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(std, 0.05, 1.0);
    }

    [Theory]
    [MemberData(nameof(ModelInputsByName))]
    public void Changing_any_input_changes_every_output(string model, string input)
    {
        var run = ModelInputs.For(model, 1, 64, 64);
        var session = models.Session(model);
        var changedInputs = run.Inputs.Select(i => i.Name == input ? i.Changed() : i).ToList();

        var before = session.Run(run.Inputs);
        var after = session.Run(changedInputs);

        foreach (var (name, output) in before)
        {
            var largestChange = output.Data.Zip(after[name].Data).Max(p => MathF.Abs(p.First - p.Second));
            Assert.True(largestChange > 1e-4f, $"{name} moved by at most {largestChange} when {input} changed");
        }
    }

    [Theory]
    [MemberData(nameof(ModelInterfaces.Models), MemberType = typeof(ModelInterfaces))]
    public void Identical_inputs_give_identical_outputs_in_the_same_session_and_in_a_new_one(string model)
    {
        var run = ModelInputs.For(model, 2, 64, 96);

        var first = models.Session(model).Run(run.Inputs);
        var again = models.Session(model).Run(run.Inputs);
        using var fresh = new Microsoft.ML.OnnxRuntime.InferenceSession(models.PathOf(model));
        var fromFresh = fresh.Run(run.Inputs);

        foreach (var (name, output) in first)
        {
            Assert.Equal(output.Data, again[name].Data);
            Assert.Equal(output.Data, fromFresh[name].Data);
        }
    }
}
