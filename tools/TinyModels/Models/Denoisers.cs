using Heurist.TinyModels.Graph;
using Heurist.TinyModels.Onnx;
using DataType = Heurist.TinyModels.Onnx.TensorProto.Types.DataType;

namespace Heurist.TinyModels.Models;

/// <summary>The noise predictors: the SD 1.5 and SDXL UNets and the Flux transformer.</summary>
public static class Denoisers
{
    /// <summary>Latent channels of SD 1.5 and SDXL.</summary>
    public const int UnetLatentChannels = 4;

    /// <summary>Channels inside the tiny UNets.</summary>
    public const int UnetChannels = 16;

    /// <summary>Sinusoidal frequencies per SDXL time id; 6 ids give 6·2·4 = 48 features.</summary>
    public const int TimeIdFrequencies = 4;

    /// <summary>Width of the tiny Flux transformer.</summary>
    public const int FluxInner = 32;

    /// <summary>
    /// SD 1.5's UNet: <c>sample</c> [batch, 4, height, width], <c>timestep</c> int64 [steps] (one value
    /// broadcast over the batch, or one per sample), <c>encoder_hidden_states</c> [batch, sequence, context]
    /// → <c>out_sample</c> like sample.
    /// </summary>
    public static ModelProto Sd15Unet(DeterministicRandom random, int contextFeatures)
    {
        var g = new OnnxGraphBuilder("sd15_unet", random);
        var sample = g.AddInput("sample", DataType.Float, "batch", UnetLatentChannels, "height", "width");
        var timestep = g.AddInput("timestep", DataType.Int64, "steps");
        var context = g.AddInput("encoder_hidden_states", DataType.Float, "batch", "sequence", contextFeatures);

        var timeEmbedding = g.TimestepEmbedding(g.Cast(timestep, DataType.Float), UnetChannels, "time_embedding");
        var output = UnetBody(g, sample, timeEmbedding, context, contextFeatures);
        g.AddOutput(output, "out_sample", DataType.Float, "batch", UnetLatentChannels, "height", "width");
        return g.Build("Tiny random-weight UNet with the interface of the Stable Diffusion 1.5 ONNX export.");
    }

    /// <summary>
    /// SDXL's UNet: as SD 1.5's with a float timestep [batch], plus the added conditioning
    /// <c>text_embeds</c> [batch, pooled] and <c>time_ids</c> [batch, 6] (original size, crop, target size).
    /// </summary>
    public static ModelProto SdxlUnet(DeterministicRandom random, int contextFeatures, int pooledFeatures)
    {
        var g = new OnnxGraphBuilder("sdxl_unet", random);
        var sample = g.AddInput("sample", DataType.Float, "batch", UnetLatentChannels, "height", "width");
        var timestep = g.AddInput("timestep", DataType.Float, "batch");
        var context = g.AddInput("encoder_hidden_states", DataType.Float, "batch", "sequence", contextFeatures);
        var textEmbeds = g.AddInput("text_embeds", DataType.Float, "batch", pooledFeatures);
        var timeIds = g.AddInput("time_ids", DataType.Float, "batch", 6);

        var timeEmbedding = g.TimestepEmbedding(timestep, UnetChannels, "time_embedding");
        // As SDXL does: each time id gets its own sinusoidal features, flattened and joined to the pooled text.
        using (g.Scope("add_embedding"))
        {
            var timeIdFeatures = g.Reshape(g.Sinusoidal(timeIds, TimeIdFrequencies, exponentStep: 4, "time_ids"), 0, 6 * 2 * TimeIdFrequencies);
            var added = g.Concat(-1, timeIdFeatures, textEmbeds);
            timeEmbedding = g.Add(timeEmbedding, g.Mlp(added, (6 * 2 * TimeIdFrequencies) + pooledFeatures, UnetChannels, UnetChannels, "mlp"));
        }
        var output = UnetBody(g, sample, timeEmbedding, context, contextFeatures);
        g.AddOutput(output, "out_sample", DataType.Float, "batch", UnetLatentChannels, "height", "width");
        return g.Build("Tiny random-weight UNet with the interface of the Stable Diffusion XL ONNX export.");
    }

    /// <summary>
    /// Flux's transformer: packed latents <c>hidden_states</c> [batch, image_sequence, 64] and T5 states
    /// <c>encoder_hidden_states</c> [batch, text_sequence, t5], conditioned on <c>pooled_projections</c>,
    /// <c>timestep</c> and <c>guidance</c> (both [batch], scaled by 1000 inside as Flux does), with positions
    /// from <c>img_ids</c> and <c>txt_ids</c> [n, 3]. One joint-attention block over text and image tokens,
    /// modulated by the conditioning vector, then the image tokens are projected back to 64 channels.
    /// </summary>
    public static ModelProto FluxTransformer(DeterministicRandom random, int packedChannels, int textFeatures, int pooledFeatures)
    {
        const int D = FluxInner;
        var g = new OnnxGraphBuilder("flux_transformer", random);
        var image = g.AddInput("hidden_states", DataType.Float, "batch", "image_sequence", packedChannels);
        var text = g.AddInput("encoder_hidden_states", DataType.Float, "batch", "text_sequence", textFeatures);
        var pooled = g.AddInput("pooled_projections", DataType.Float, "batch", pooledFeatures);
        var timestep = g.AddInput("timestep", DataType.Float, "batch");
        var imageIds = g.AddInput("img_ids", DataType.Float, "image_sequence", 3);
        var textIds = g.AddInput("txt_ids", DataType.Float, "text_sequence", 3);
        var guidance = g.AddInput("guidance", DataType.Float, "batch");

        // Position features shared by text and image tokens, as Flux's RoPE is. The random phase keeps
        // txt_ids (all zeros in practice) visible in the output.
        string positionWeight, positionPhase;
        using (g.Scope("pos_embed"))
        {
            positionWeight = g.AddRandom("weight", 0.5f, 3, D);
            positionPhase = g.AddRandom("phase", MathF.PI, D);
        }
        string PositionFeatures(string ids) => g.Sin(g.Add(g.MatMul(ids, positionWeight), positionPhase));

        var imageTokens = g.Add(g.Linear(image, packedChannels, D, "x_embedder"), PositionFeatures(imageIds));
        var textTokens = g.Add(g.Linear(text, textFeatures, D, "context_embedder"), PositionFeatures(textIds));

        var thousand = g.Scalar(1000f, "timestep_scale");
        var conditioning = g.Add(
            g.Add(
                g.TimestepEmbedding(g.Mul(timestep, thousand), D, "time_embedding"),
                g.TimestepEmbedding(g.Mul(guidance, thousand), D, "guidance_embedding")),
            g.Linear(pooled, pooledFeatures, D, "pooled_embedding"));
        var activeConditioning = g.Silu(conditioning);

        var tokens = g.Concat(1, textTokens, imageTokens);
        using (g.Scope("joint_block"))
        {
            var normed = Modulate(g, g.LayerNorm(tokens, D, "norm1"), activeConditioning, D, "modulation1");
            tokens = g.Add(tokens, g.Attention(normed, normed, D, D, D, D, "attention"));
            var normed2 = Modulate(g, g.LayerNorm(tokens, D, "norm2"), activeConditioning, D, "modulation2");
            tokens = g.Add(tokens, g.Mlp(normed2, D, 2 * D, D, "mlp"));
        }

        var imageOut = g.Slice(tokens, g.Shape(text, 1, 2), g.Int64s(long.MaxValue), axis: 1);
        var projected = g.Linear(Modulate(g, g.LayerNorm(imageOut, D, "norm_out"), activeConditioning, D, "modulation_out"), D, packedChannels, "proj_out");
        g.AddOutput(g.Tanh(projected), "out_hidden_states", DataType.Float, "batch", "image_sequence", packedChannels);
        return g.Build("Tiny random-weight transformer with the interface of the Flux.1 [dev] ONNX export.");
    }

    // conv_in, the timestep added to every pixel, a residual conv, cross-attention of the pixels over the
    // text, conv_out; Tanh keeps the predicted noise within ±1.
    private static string UnetBody(OnnxGraphBuilder g, string sample, string timeEmbedding, string context, int contextFeatures)
    {
        const int C = UnetChannels;
        var h = g.Conv2d(sample, UnetLatentChannels, C, 3, "conv_in");
        h = g.Add(h, g.Unsqueeze(timeEmbedding, 2, 3));
        h = g.Add(h, g.Conv2d(g.Silu(h), C, C, 3, "resnet"));

        using (g.Scope("cross_attention"))
        {
            var shape = g.Shape(h);
            var pixels = g.Transpose(g.Reshape(h, 0, C, -1), 0, 2, 1);
            var attended = g.Attention(g.LayerNorm(pixels, C, "norm"), context, C, contextFeatures, C, C, "attn");
            var mixed = g.Add(pixels, attended);
            h = g.ReshapeTo(g.Transpose(mixed, 0, 2, 1), shape);
        }
        return g.Tanh(g.Conv2d(g.Silu(h), C, UnetLatentChannels, 3, "conv_out"));
    }

    // Adaptive LayerNorm as in DiT and Flux: x·(1 + scale) + shift, both from the conditioning vector.
    private static string Modulate(OnnxGraphBuilder g, string normed, string conditioning, int features, string name)
    {
        using var scope = g.Scope(name);
        var shift = g.Unsqueeze(g.Linear(conditioning, features, features, "shift", gain: 0.5f), 1);
        var scale = g.Unsqueeze(g.Linear(conditioning, features, features, "scale", gain: 0.5f), 1);
        return g.Add(g.Mul(normed, g.Add(scale, g.Scalar(1f, "one"))), shift);
    }
}
