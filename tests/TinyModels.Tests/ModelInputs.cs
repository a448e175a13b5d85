using Heurist.TinyModels.Tokenizers;

namespace Heurist.TinyModels.Tests;

/// <summary>Inputs for one run of a model, and the sizes its symbolic dimensions take in that run.</summary>
public sealed record ModelRun(IReadOnlyList<NamedTensor> Inputs, IReadOnlyDictionary<string, long> Dims);

/// <summary>
/// Realistic inputs for every tiny model at a given batch and image size: token ids as the tokenizers
/// produce them (77 for CLIP, 128 for T5), latents 8 times smaller than the image, Flux latents packed
/// 2×2, SDXL's time ids for that size.
/// </summary>
public static class ModelInputs
{
    public const int ClipLength = 77;
    public const int T5Length = 128;

    private static readonly int ClipVocabularySize = ClipVocabulary.Create().Tokens.Count;

    public static ModelRun For(string model, int batch, int height, int width)
    {
        var random = new Random(height * 1000 + width + batch);
        var (lh, lw) = (height / 8, width / 8);
        float[] Noise(long count) => [.. Enumerable.Range(0, checked((int)count)).Select(_ => (random.NextSingle() * 2) - 1)];
        float[] Filled(int count, float value) => [.. Enumerable.Repeat(value, count)];
        NamedTensor Float(string name, params long[] shape) => new(name, Noise(shape.Aggregate(1L, (a, b) => a * b)), shape);

        var component = model.Split('/')[1];
        switch (model)
        {
            case "sd15/unet/model.onnx":
                return new(
                    [
                        Float("sample", batch, 4, lh, lw),
                        new("timestep", new long[] { 500 }, [1]),
                        Float("encoder_hidden_states", batch, ClipLength, 32),
                    ],
                    Dims(("batch", batch), ("height", lh), ("width", lw), ("sequence", ClipLength), ("steps", 1)));
            case "sdxl/unet/model.onnx":
                return new(
                    [
                        Float("sample", batch, 4, lh, lw),
                        new("timestep", Filled(batch, 500f), [batch]),
                        Float("encoder_hidden_states", batch, ClipLength, 80),
                        Float("text_embeds", batch, 48),
                        new("time_ids", Enumerable.Range(0, batch).SelectMany(_ => new float[] { height, width, 0, 0, height, width }).ToArray(), [batch, 6]),
                    ],
                    Dims(("batch", batch), ("height", lh), ("width", lw), ("sequence", ClipLength)));
            case "flux-dev/transformer/model.onnx":
                var (ph, pw) = (lh / 2, lw / 2);
                var imageIds = new float[ph * pw * 3];
                for (var i = 0; i < ph * pw; i++)
                {
                    (imageIds[(3 * i) + 1], imageIds[(3 * i) + 2]) = (i / pw, i % pw);
                }
                return new(
                    [
                        Float("hidden_states", batch, ph * pw, 64),
                        Float("encoder_hidden_states", batch, T5Length, 64),
                        Float("pooled_projections", batch, 32),
                        new("timestep", Filled(batch, 0.8f), [batch]),
                        new("img_ids", imageIds, [ph * pw, 3]),
                        new("txt_ids", new float[T5Length * 3], [T5Length, 3]),
                        new("guidance", Filled(batch, 3.5f), [batch]),
                    ],
                    Dims(("batch", batch), ("image_sequence", ph * pw), ("text_sequence", T5Length)));
            case "flux-dev/text_encoder_2/model.onnx":
                return new([new("input_ids", T5Ids(batch), [batch, T5Length])], Dims(("batch", batch), ("sequence", T5Length)));
            default:
                if (component == "vae_decoder")
                {
                    var channels = model.StartsWith("flux-dev", StringComparison.Ordinal) ? 16 : 4;
                    return new(
                        [Float("latent_sample", batch, channels, lh, lw)],
                        Dims(("batch", batch), ("latent_height", lh), ("latent_width", lw), ("height", height), ("width", width)));
                }
                if (component.StartsWith("text_encoder", StringComparison.Ordinal))
                {
                    var ids = ClipIds(batch);
                    Array data = model == "sd15/text_encoder/model.onnx" || model == "sdxl/text_encoder/model.onnx"
                        ? ids.Select(i => (int)i).ToArray()
                        : ids;
                    return new([new("input_ids", data, [batch, ClipLength])], Dims(("batch", batch), ("sequence", ClipLength)));
                }
                throw new ArgumentException($"No inputs for {model}.", nameof(model));
        }
    }

    // <|startoftext|>, a few words (a different prompt per batch row), <|endoftext|>, then end-of-text padding.
    private static long[] ClipIds(int batch)
    {
        var (bos, eos) = (ClipVocabularySize - 2, ClipVocabularySize - 1);
        var ids = new long[batch * ClipLength];
        for (var b = 0; b < batch; b++)
        {
            var row = ids.AsSpan(b * ClipLength, ClipLength);
            row.Fill(eos);
            row[0] = bos;
            for (var i = 1; i <= 5; i++)
            {
                row[i] = 600 + (11 * i) + b;
            }
        }
        return ids;
    }

    // A few pieces, then </s> (1), then <pad> (0), as the T5 tokenizer pads for Flux.
    private static long[] T5Ids(int batch)
    {
        var ids = new long[batch * T5Length];
        for (var b = 0; b < batch; b++)
        {
            for (var i = 0; i < 6; i++)
            {
                ids[(b * T5Length) + i] = 4 + (7 * i) + b;
            }
            ids[(b * T5Length) + 6] = T5Vocabulary.EndOfSequenceId;
        }
        return ids;
    }

    private static Dictionary<string, long> Dims(params (string Name, long Size)[] dims)
        => dims.ToDictionary(d => d.Name, d => d.Size, StringComparer.Ordinal);
}
