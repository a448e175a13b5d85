using Microsoft.ML.OnnxRuntime.Tensors;

namespace Heurist.TinyModels.Tests;

/// <summary>
/// One expected graph input or output: name, element type and shape, where a string in the shape is a
/// symbolic (dynamic) dimension and an int a fixed one.
/// </summary>
public sealed record Port(string Name, TensorElementType Type, params object[] Shape)
{
    public override string ToString() => $"{Name} {Type} [{string.Join(", ", Shape)}]";
}

/// <summary>The exact interface of every tiny model: that of the real ONNX export, with tiny fixed sizes.</summary>
public static class ModelInterfaces
{
    private const TensorElementType F32 = TensorElementType.Float;
    private const TensorElementType I32 = TensorElementType.Int32;
    private const TensorElementType I64 = TensorElementType.Int64;

    public static readonly IReadOnlyDictionary<string, (Port[] Inputs, Port[] Outputs)> All =
        new Dictionary<string, (Port[] Inputs, Port[] Outputs)>(StringComparer.Ordinal)
        {
            ["sd15/text_encoder/model.onnx"] = (
                [new("input_ids", I32, "batch", "sequence")],
                [new("last_hidden_state", F32, "batch", "sequence", 32), new("pooler_output", F32, "batch", 32)]),
            ["sd15/unet/model.onnx"] = (
                [
                    new("sample", F32, "batch", 4, "height", "width"),
                    new("timestep", I64, "steps"),
                    new("encoder_hidden_states", F32, "batch", "sequence", 32),
                ],
                [new("out_sample", F32, "batch", 4, "height", "width")]),
            ["sd15/vae_decoder/model.onnx"] = (
                [new("latent_sample", F32, "batch", 4, "latent_height", "latent_width")],
                [new("sample", F32, "batch", 3, "height", "width")]),

            ["sdxl/text_encoder/model.onnx"] = (
                [new("input_ids", I32, "batch", "sequence")],
                [
                    new("last_hidden_state", F32, "batch", "sequence", 32),
                    new("pooler_output", F32, "batch", 32),
                    new("hidden_states.0", F32, "batch", "sequence", 32),
                    new("hidden_states.1", F32, "batch", "sequence", 32),
                    new("hidden_states.2", F32, "batch", "sequence", 32),
                ]),
            ["sdxl/text_encoder_2/model.onnx"] = (
                [new("input_ids", I64, "batch", "sequence")],
                [
                    new("text_embeds", F32, "batch", 48),
                    new("last_hidden_state", F32, "batch", "sequence", 48),
                    new("hidden_states.0", F32, "batch", "sequence", 48),
                    new("hidden_states.1", F32, "batch", "sequence", 48),
                    new("hidden_states.2", F32, "batch", "sequence", 48),
                ]),
            ["sdxl/unet/model.onnx"] = (
                [
                    new("sample", F32, "batch", 4, "height", "width"),
                    new("timestep", F32, "batch"),
                    new("encoder_hidden_states", F32, "batch", "sequence", 80),
                    new("text_embeds", F32, "batch", 48),
                    new("time_ids", F32, "batch", 6),
                ],
                [new("out_sample", F32, "batch", 4, "height", "width")]),
            ["sdxl/vae_decoder/model.onnx"] = (
                [new("latent_sample", F32, "batch", 4, "latent_height", "latent_width")],
                [new("sample", F32, "batch", 3, "height", "width")]),

            ["flux-dev/text_encoder/model.onnx"] = (
                [new("input_ids", I64, "batch", "sequence")],
                [new("last_hidden_state", F32, "batch", "sequence", 32), new("pooler_output", F32, "batch", 32)]),
            ["flux-dev/text_encoder_2/model.onnx"] = (
                [new("input_ids", I64, "batch", "sequence")],
                [new("last_hidden_state", F32, "batch", "sequence", 64)]),
            ["flux-dev/transformer/model.onnx"] = (
                [
                    new("hidden_states", F32, "batch", "image_sequence", 64),
                    new("encoder_hidden_states", F32, "batch", "text_sequence", 64),
                    new("pooled_projections", F32, "batch", 32),
                    new("timestep", F32, "batch"),
                    new("img_ids", F32, "image_sequence", 3),
                    new("txt_ids", F32, "text_sequence", 3),
                    new("guidance", F32, "batch"),
                ],
                [new("out_hidden_states", F32, "batch", "image_sequence", 64)]),
            ["flux-dev/vae_decoder/model.onnx"] = (
                [new("latent_sample", F32, "batch", 16, "latent_height", "latent_width")],
                [new("sample", F32, "batch", 3, "height", "width")]),
        };

    public static TheoryData<string> Models => [.. All.Keys];
}
