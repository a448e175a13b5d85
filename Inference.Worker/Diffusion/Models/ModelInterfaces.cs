using System.Globalization;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Protocol.Models;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Heurist.Inference.Worker.Diffusion.Models;

/// <summary>
/// One tensor a pipeline feeds into a graph or reads out of it: its name, the element types that work (ModelGraph
/// converts between them), and the number of dimensions when the pipeline's tensor has a fixed one.
/// </summary>
public sealed record TensorBinding(string Name, IReadOnlyList<TensorElementType> ElementTypes, int? Rank = null)
{
    /// <summary>"float32 or float16, 4 dimensions", as the check prints it.</summary>
    public string Describe()
        => TypeNames() + Rank switch
        {
            null => "",
            1 => ", 1 dimension",
            { } rank => string.Create(CultureInfo.InvariantCulture, $", {rank} dimensions"),
        };

    /// <summary>"float32, float16, int32 or int64".</summary>
    public string TypeNames()
    {
        var names = ElementTypes.Select(ModelInterfaces.TypeName).ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }
}

/// <summary>
/// What a pipeline binds on one graph: every input it feeds (an input the graph declares beyond these gets no value,
/// and ONNX Runtime refuses to run) and the outputs it reads.
/// </summary>
public sealed record GraphInterface(string Component, IReadOnlyList<TensorBinding> Inputs, IReadOnlyList<TensorBinding> Outputs)
{
    /// <summary>
    /// SDXL's text encoders: the pipeline also reads the second-to-last of the graph's hidden_states.N outputs, whose
    /// name depends on the export (<see cref="ModelInterfaces.PenultimateHiddenStateName"/> finds it); null elsewhere.
    /// </summary>
    public TensorBinding? PenultimateHiddenState { get; init; }

    public IReadOnlyList<string> InputNames => [.. Inputs.Select(i => i.Name)];

    public IReadOnlyList<string> OutputNames => [.. Outputs.Select(o => o.Name)];
}

public enum TokenizerKind
{
    Clip,
    T5,
}

/// <summary>A tokenizer folder a pipeline loads, and which tokenizer reads it.</summary>
public sealed record TokenizerInterface(string Folder, TokenizerKind Kind);

/// <summary>
/// The one declaration of what each pipeline binds on its graphs: input and output names, element types and ranks.
/// The pipelines require these names when they load a graph, and <c>models check</c> checks a folder against them
/// without loading it, so a folder that would fail at load fails the check first, with the same message.
/// </summary>
public static class ModelInterfaces
{
    private static readonly TensorElementType[] Floats = [TensorElementType.Float, TensorElementType.Float16];

    private static readonly TensorElementType[] TokenIds = [TensorElementType.Int32, TensorElementType.Int64];

    // SD timesteps are whole numbers: exports take them as int64 (Optimum) or float (older diffusers scripts), and
    // the denoising loops write a timestep as float32, float16 or int64 (DenoiseLoop).
    private static readonly TensorElementType[] WholeNumbers = [TensorElementType.Float, TensorElementType.Float16, TensorElementType.Int64];

    private static readonly TensorBinding HiddenState = new("hidden_states.N-1", Floats, 3);

    public static readonly GraphInterface VaeDecoder = new(
        "vae_decoder",
        [new("latent_sample", Floats, 4)],
        [new("sample", Floats, 4)]);

    public static readonly GraphInterface Sd15TextEncoder = new(
        "text_encoder",
        [new("input_ids", TokenIds, 2)],
        [new("last_hidden_state", Floats, 3)]);

    public static readonly GraphInterface Sd15Unet = new(
        "unet",
        [new("sample", Floats, 4), new("timestep", WholeNumbers), new("encoder_hidden_states", Floats, 3)],
        [new("out_sample", Floats, 4)]);

    public static readonly GraphInterface SdxlTextEncoder = new(
        "text_encoder",
        [new("input_ids", TokenIds, 2)],
        []) { PenultimateHiddenState = HiddenState };

    public static readonly GraphInterface SdxlTextEncoder2 = new(
        "text_encoder_2",
        [new("input_ids", TokenIds, 2)],
        [new("text_embeds", Floats, 2)]) { PenultimateHiddenState = HiddenState };

    public static readonly GraphInterface SdxlUnet = new(
        "unet",
        [
            new("sample", Floats, 4), new("timestep", WholeNumbers), new("encoder_hidden_states", Floats, 3),
            new("text_embeds", Floats, 2), new("time_ids", Floats, 2),
        ],
        [new("out_sample", Floats, 4)]);

    public static readonly GraphInterface FluxTextEncoder = new(
        "text_encoder",
        [new("input_ids", TokenIds, 2)],
        [new("pooler_output", Floats, 2)]);

    public static readonly GraphInterface FluxTextEncoder2 = new(
        "text_encoder_2",
        [new("input_ids", TokenIds, 2)],
        [new("last_hidden_state", Floats, 3)]);

    // Flux's time is a fraction in [0, 1]: an integer input would round it away.
    public static readonly GraphInterface FluxTransformer = new(
        "transformer",
        [
            new("hidden_states", Floats, 3), new("encoder_hidden_states", Floats, 3), new("pooled_projections", Floats, 2),
            new("timestep", Floats, 1), new("img_ids", Floats, 2), new("txt_ids", Floats, 2), new("guidance", Floats, 1),
        ],
        [new("out_hidden_states", Floats, 3)]);

    /// <summary>The graphs of a pipeline, in the order of <see cref="ModelFolder.RequiredGraphs"/>.</summary>
    public static IReadOnlyList<GraphInterface> Graphs(PipelineKind pipeline) => pipeline switch
    {
        PipelineKind.StableDiffusion15 => [Sd15TextEncoder, Sd15Unet, VaeDecoder],
        PipelineKind.StableDiffusionXl => [SdxlTextEncoder, SdxlTextEncoder2, SdxlUnet, VaeDecoder],
        PipelineKind.Flux => [FluxTextEncoder, FluxTextEncoder2, FluxTransformer, VaeDecoder],
        _ => throw new ArgumentOutOfRangeException(nameof(pipeline), pipeline, null),
    };

    /// <summary>The tokenizer folders a pipeline loads.</summary>
    public static IReadOnlyList<TokenizerInterface> Tokenizers(PipelineKind pipeline) => pipeline switch
    {
        PipelineKind.StableDiffusion15 => [new("tokenizer", TokenizerKind.Clip)],
        PipelineKind.StableDiffusionXl => [new("tokenizer", TokenizerKind.Clip), new("tokenizer_2", TokenizerKind.Clip)],
        PipelineKind.Flux => [new("tokenizer", TokenizerKind.Clip), new("tokenizer_2", TokenizerKind.T5)],
        _ => throw new ArgumentOutOfRangeException(nameof(pipeline), pipeline, null),
    };

    /// <summary>
    /// SDXL conditions on the second-to-last layer: hidden_states.(N−1) where hidden_states.N is the last one. Throws
    /// <see cref="ModelInterfaceException"/> naming the file when the graph exports fewer than two.
    /// </summary>
    public static string PenultimateHiddenStateName(string component, string fileName, IReadOnlyCollection<string> outputNames)
    {
        ArgumentNullException.ThrowIfNull(outputNames);
        var layers = outputNames
            .Where(n => n.StartsWith("hidden_states.", StringComparison.Ordinal))
            .Select(n => int.TryParse(n["hidden_states.".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1)
            .Where(i => i >= 0)
            .ToList();
        if (layers.Count < 2)
        {
            throw new ModelInterfaceException(
                $"{component}/{fileName} exports no hidden_states.N outputs (it has {string.Join(", ", outputNames)}); export it with output_hidden_states.");
        }
        return string.Create(CultureInfo.InvariantCulture, $"hidden_states.{layers.Max() - 1}");
    }

    /// <summary>An ONNX element type as the check prints it: float32, float16, int64…</summary>
    public static string TypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.BFloat16 => "bfloat16",
        TensorElementType.Double => "float64",
        TensorElementType.Int8 => "int8",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Int16 => "int16",
        TensorElementType.UInt16 => "uint16",
        TensorElementType.Int32 => "int32",
        TensorElementType.UInt32 => "uint32",
        TensorElementType.Int64 => "int64",
        TensorElementType.UInt64 => "uint64",
        TensorElementType.Bool => "bool",
        TensorElementType.String => "string",
        _ => string.Create(CultureInfo.InvariantCulture, $"type {(int)type}"),
    };
}
