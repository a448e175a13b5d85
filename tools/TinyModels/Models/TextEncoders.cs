using Heurist.TinyModels.Graph;
using Heurist.TinyModels.Onnx;
using DataType = Heurist.TinyModels.Onnx.TensorProto.Types.DataType;

namespace Heurist.TinyModels.Models;

/// <summary>What a CLIP text encoder export puts out besides last_hidden_state.</summary>
public enum ClipOutputs
{
    /// <summary>CLIPTextModel as SD 1.5 and Flux export it: last_hidden_state, pooler_output.</summary>
    Pooled,

    /// <summary>CLIPTextModel as SDXL's first encoder exports it: last_hidden_state, pooler_output, hidden_states.0…N.</summary>
    PooledAndHiddenStates,

    /// <summary>CLIPTextModelWithProjection (SDXL's second encoder): text_embeds, last_hidden_state, hidden_states.0…N.</summary>
    ProjectedAndHiddenStates,
}

/// <summary>The text encoders: CLIP (every pipeline) and the T5 encoder (Flux).</summary>
public static class TextEncoders
{
    /// <summary>Layers in each tiny encoder; hidden_states has one entry more (the embedding output).</summary>
    public const int Layers = 2;

    /// <summary>CLIP's context length: the position table has this many rows.</summary>
    public const int ClipMaxPositions = 77;

    /// <summary>T5's tokenizer limit for Flux.1 [dev]; the stand-in position table has this many rows.</summary>
    public const int T5MaxPositions = 512;

    /// <summary>
    /// A CLIP text transformer: token + position embedding, <see cref="Layers"/> pre-norm layers
    /// (self-attention, MLP), a final LayerNorm. The pooled output is the final hidden state at the
    /// first position holding the highest token id, which is the end-of-text token as CLIP's pooler finds it
    /// (ArgMax over input_ids).
    /// </summary>
    public static ModelProto Clip(DeterministicRandom random, int vocabularySize, DataType idType, int hidden, ClipOutputs outputs)
    {
        var g = new OnnxGraphBuilder("clip_text_encoder", random);
        var ids = g.AddInput("input_ids", idType, "batch", "sequence");

        var tokens = g.Gather(g.AddRandom("token_embedding", 1f, vocabularySize, hidden), ids);
        var positionTable = g.AddRandom("position_embedding", 1f, ClipMaxPositions, hidden);
        var positions = g.Slice(positionTable, g.Int64s(0), g.Shape(ids, 1, 2), axis: 0);
        var h = g.Add(tokens, positions);

        var hiddenStates = new List<string> { h };
        for (var layer = 0; layer < Layers; layer++)
        {
            using var scope = g.Scope($"layer{layer}");
            var normed = g.LayerNorm(h, hidden, "layer_norm1");
            h = g.Add(h, g.Attention(normed, normed, hidden, hidden, hidden, hidden, "self_attn"));
            h = g.Add(h, g.Mlp(g.LayerNorm(h, hidden, "layer_norm2"), hidden, 2 * hidden, hidden, "mlp"));
            hiddenStates.Add(h);
        }
        var last = g.LayerNorm(h, hidden, "final_layer_norm");

        // ArgMax runs on floats: ids below 2^24 are exact, and float ArgMax is on every ONNX Runtime build.
        var endOfText = g.ArgMax(g.Cast(ids, DataType.Float), axis: 1, keepDims: true);
        var index = g.Expand(g.Unsqueeze(endOfText, 2), 1, 1, hidden);
        var pooled = g.Squeeze(g.GatherElements(last, index, axis: 1), 1);

        if (outputs == ClipOutputs.ProjectedAndHiddenStates)
        {
            g.AddOutput(g.Linear(pooled, hidden, hidden, "text_projection", bias: false), "text_embeds", DataType.Float, "batch", hidden);
            g.AddOutput(last, "last_hidden_state", DataType.Float, "batch", "sequence", hidden);
        }
        else
        {
            g.AddOutput(last, "last_hidden_state", DataType.Float, "batch", "sequence", hidden);
            g.AddOutput(pooled, "pooler_output", DataType.Float, "batch", hidden);
        }
        if (outputs != ClipOutputs.Pooled)
        {
            for (var i = 0; i < hiddenStates.Count; i++)
            {
                g.AddOutput(hiddenStates[i], $"hidden_states.{i}", DataType.Float, "batch", "sequence", hidden);
            }
        }
        return g.Build($"Tiny random-weight CLIP text encoder ({outputs}), hidden size {hidden}.");
    }

    /// <summary>
    /// A T5 encoder: token embedding, <see cref="Layers"/> pre-RMSNorm layers (self-attention, MLP), a
    /// final RMSNorm. A learned absolute position table stands in for T5's relative attention bias, so
    /// word order matters as it does in the real encoder.
    /// </summary>
    public static ModelProto T5(DeterministicRandom random, int vocabularySize, int hidden)
    {
        var g = new OnnxGraphBuilder("t5_encoder", random);
        var ids = g.AddInput("input_ids", DataType.Int64, "batch", "sequence");

        var tokens = g.Gather(g.AddRandom("shared", 1f, vocabularySize, hidden), ids);
        var positionTable = g.AddRandom("position_embedding", 0.5f, T5MaxPositions, hidden);
        var h = g.Add(tokens, g.Slice(positionTable, g.Int64s(0), g.Shape(ids, 1, 2), axis: 0));
        for (var layer = 0; layer < Layers; layer++)
        {
            using var scope = g.Scope($"block{layer}");
            var normed = g.RmsNorm(h, hidden, "attention_norm");
            h = g.Add(h, g.Attention(normed, normed, hidden, hidden, hidden, hidden, "self_attention"));
            h = g.Add(h, g.Mlp(g.RmsNorm(h, hidden, "mlp_norm"), hidden, 2 * hidden, hidden, "mlp"));
        }
        g.AddOutput(g.RmsNorm(h, hidden, "final_layer_norm"), "last_hidden_state", DataType.Float, "batch", "sequence", hidden);
        return g.Build($"Tiny random-weight T5 encoder, hidden size {hidden}.");
    }
}
