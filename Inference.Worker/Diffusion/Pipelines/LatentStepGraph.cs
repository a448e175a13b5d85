using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Schedulers;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Heurist.Inference.Worker.Diffusion.Pipelines;

/// <summary>
/// The scheduler step as an ONNX graph, so that it runs where the latents are: guidance on the denoiser's output,
/// <see cref="StepCoefficients"/>' arithmetic in the same order as <see cref="LatentStep"/> (each operation its own
/// node, so each is rounded on its own), and the denoiser's next input, scaled, cast to its element type and repeated
/// for each batch item. The coefficients come in one small float32 tensor each step. A second graph (the start) makes
/// the first input from the starting latents.
/// </summary>
internal sealed class LatentStepGraph(StepForm form, bool guided, TensorElementType outputType, TensorElementType inputType, long[] sampleShape, long[] latentShape)
{
    public const string Prediction = "prediction";
    public const string Latents = "latents";
    public const string Noise = "noise";
    public const string CoefficientsInput = "coefficients";
    public const string NextLatents = "next_latents";
    public const string DenoiserInput = "denoiser_input";

    /// <summary>X, Model, Noise, ClampX, ClampModel, Clamped, −ClampRange, ClampRange, the next input's scale, guidance.</summary>
    public const int Coefficients = 10;

    public const int InputScale = 8;

    /// <summary>What the graphs depend on: sessions are made once per distinct key.</summary>
    public string Key => $"step;{form};{guided};{outputType};{inputType};{string.Join('x', sampleShape)};{string.Join('x', latentShape)}";

    /// <summary>The coefficients as the graph reads them.</summary>
    public static void Write(in StepCoefficients k, float nextInputScale, double? guidance, float[] destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        destination[0] = k.X;
        destination[1] = k.Model;
        destination[2] = k.Noise;
        destination[3] = k.ClampX;
        destination[4] = k.ClampModel;
        destination[5] = k.Clamped;
        destination[6] = -k.ClampRange;
        destination[7] = k.ClampRange;
        destination[InputScale] = nextInputScale;
        destination[9] = (float)(guidance ?? 1);
    }

    public byte[] StepModel()
    {
        var graph = new OnnxModelWriter();
        graph.Input(Prediction, outputType, Dimensions(sampleShape));
        graph.Input(Latents, TensorElementType.Float, Dimensions(latentShape));
        graph.Input(CoefficientsInput, TensorElementType.Float, Coefficients);
        if (form.AddsNoise)
        {
            graph.Input(Noise, TensorElementType.Float, Dimensions(latentShape));
        }
        graph.Output(NextLatents, TensorElementType.Float, Dimensions(latentShape));
        graph.Output(DenoiserInput, inputType, Dimensions(sampleShape));
        var k = SplitCoefficients(graph);

        var prediction = Prediction;
        if (outputType != TensorElementType.Float)
        {
            prediction = graph.Temporary();
            graph.Node("Cast", [Prediction], [prediction], ("to", OnnxModelWriter.DataType(TensorElementType.Float)));
        }
        var model = prediction;
        if (guided)
        {
            // uncond + g·(cond − uncond), from the batch [uncond, cond].
            var (uncond, cond) = (graph.Temporary(), graph.Temporary());
            graph.Node("Split", [prediction], [uncond, cond], ("axis", 0));
            var difference = graph.Apply("Mul", graph.Apply("Sub", cond, uncond), k[9]);
            model = graph.Apply("Add", uncond, difference);
        }

        var sum = graph.Apply("Add", graph.Apply("Mul", Latents, k[0]), graph.Apply("Mul", model, k[1]));
        if (form.Clamps)
        {
            var original = graph.Apply("Add", graph.Apply("Mul", Latents, k[3]), graph.Apply("Mul", model, k[4]));
            var clamped = graph.Apply("Min", graph.Apply("Max", original, k[6]), k[7]);
            sum = graph.Apply("Add", sum, graph.Apply("Mul", clamped, k[5]));
        }
        if (form.AddsNoise)
        {
            sum = graph.Apply("Add", sum, graph.Apply("Mul", Noise, k[2]));
        }
        graph.Node("Identity", [sum], [NextLatents]);
        WriteInput(graph, sum, k[InputScale]);
        return graph.ToBytes("latent_step");
    }

    public byte[] StartModel()
    {
        var graph = new OnnxModelWriter();
        graph.Input(Latents, TensorElementType.Float, Dimensions(latentShape));
        graph.Input(CoefficientsInput, TensorElementType.Float, Coefficients);
        graph.Output(DenoiserInput, inputType, Dimensions(sampleShape));
        var k = SplitCoefficients(graph);
        WriteInput(graph, Latents, k[InputScale]);
        return graph.ToBytes("latent_start");
    }

    /// <summary>The denoiser's input from the latents: × scale, in its element type, once per batch item.</summary>
    private void WriteInput(OnnxModelWriter graph, string latents, string scale)
    {
        var input = graph.Apply("Mul", latents, scale);
        if (inputType != TensorElementType.Float)
        {
            var cast = graph.Temporary();
            graph.Node("Cast", [input], [cast], ("to", OnnxModelWriter.DataType(inputType)));
            input = cast;
        }
        if (guided)
        {
            graph.Node("Concat", [input, input], [DenoiserInput], ("axis", 0));
        }
        else
        {
            graph.Node("Identity", [input], [DenoiserInput]);
        }
    }

    private static string[] SplitCoefficients(OnnxModelWriter graph)
    {
        var k = Enumerable.Range(0, Coefficients).Select(_ => graph.Temporary()).ToArray();
        graph.Node("Split", [CoefficientsInput], k, ("axis", 0));
        return k;
    }

    private static object[] Dimensions(long[] shape) => [.. shape.Select(d => (object)d)];
}
