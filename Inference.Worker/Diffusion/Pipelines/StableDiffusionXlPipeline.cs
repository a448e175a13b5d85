using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Tokenizers;
using Heurist.Protocol.Jobs;

namespace Heurist.Inference.Worker.Diffusion.Pipelines;

/// <summary>
/// Stable Diffusion XL: two CLIP text encoders whose penultimate hidden states are concatenated, the second one's
/// pooled projection (text_embeds) and the size conditioning (time_ids) as extra UNet inputs, classifier-free guidance
/// with zero embeddings for an empty negative prompt (as SDXL base does), and the 4-channel VAE decoder.
/// </summary>
public sealed class StableDiffusionXlPipeline : DiffusionPipeline
{
    private readonly ClipTokenizer _tokenizer;
    private readonly ClipTokenizer _tokenizer2;
    private readonly ModelGraph _textEncoder;
    private readonly ModelGraph _textEncoder2;
    private readonly ModelGraph _unet;
    private readonly string _penultimate;
    private readonly string _penultimate2;
    private readonly float _vaeScale;

    public StableDiffusionXlPipeline(ModelFolder folder, InferenceDevice device) : base(folder, device)
    {
        _tokenizer = ClipTokenizer.Load(Path.Combine(folder.Path, "tokenizer"));
        _tokenizer2 = ClipTokenizer.Load(Path.Combine(folder.Path, "tokenizer_2"));
        _textEncoder = LoadGraph("text_encoder");
        _textEncoder2 = LoadGraph("text_encoder_2");
        _penultimate = ModelInterfaces.PenultimateHiddenStateName(_textEncoder.Component, Path.GetFileName(_textEncoder.Path), _textEncoder.OutputNames);
        _penultimate2 = ModelInterfaces.PenultimateHiddenStateName(_textEncoder2.Component, Path.GetFileName(_textEncoder2.Path), _textEncoder2.OutputNames);
        _textEncoder.Require(ModelInterfaces.SdxlTextEncoder.InputNames, [_penultimate, .. ModelInterfaces.SdxlTextEncoder.OutputNames]);
        _textEncoder2.Require(ModelInterfaces.SdxlTextEncoder2.InputNames, [_penultimate2, .. ModelInterfaces.SdxlTextEncoder2.OutputNames]);
        _unet = LoadGraph("unet", denoiser: true).Require(ModelInterfaces.SdxlUnet);
        _vaeScale = (float)folder.ConfigNumber("vae_decoder", "scaling_factor", 0.13025);
    }

    protected override int LatentChannels => 4;

    /// <summary>The prompt's embeddings and pooled embeddings: [uncond, cond] with guidance, the prompt's alone without.</summary>
    private sealed record Conditioning(float[] Embeddings, long[] Shape, float[] Pooled, long[] PooledShape, bool Guided);

    protected override object EncodePrompt(ResolvedImageJob job)
    {
        var (hidden, hiddenShape, pooled, pooledShape) = Encode(job.Prompt);
        if (job.Guidance <= 1)
        {
            return new Conditioning(hidden, hiddenShape, pooled, pooledShape, Guided: false);
        }
        var (negativeHidden, negativePooled) = string.IsNullOrWhiteSpace(job.NegativePrompt)
            ? (new float[hidden.Length], new float[pooled.Length])
            : Drop(Encode(job.NegativePrompt));
        return new Conditioning(
            [.. negativeHidden, .. hidden], [2, hiddenShape[1], hiddenShape[2]],
            [.. negativePooled, .. pooled], [2, pooledShape[1]],
            Guided: true);

        static (float[], float[]) Drop((float[] Hidden, long[] _, float[] Pooled, long[] __) encoded) => (encoded.Hidden, encoded.Pooled);
    }

    private (float[] Hidden, long[] HiddenShape, float[] Pooled, long[] PooledShape) Encode(string prompt)
    {
        var first = _textEncoder.Run(
            new Dictionary<string, NamedTensor> { ["input_ids"] = NamedTensor.OfIntegers(ToLongs(_tokenizer.Encode(prompt)), 1, _tokenizer.MaxLength) },
            [_penultimate])[_penultimate];
        var second = _textEncoder2.Run(
            new Dictionary<string, NamedTensor> { ["input_ids"] = NamedTensor.OfIntegers(ToLongs(_tokenizer2.Encode(prompt)), 1, _tokenizer2.MaxLength) },
            [_penultimate2, "text_embeds"]);
        var secondHidden = second[_penultimate2];
        var pooled = second["text_embeds"];

        // Concatenate the two encoders' features token by token: [1, tokens, d1 + d2].
        var tokens = (int)first.Shape[1];
        var (d1, d2) = ((int)first.Shape[2], (int)secondHidden.Shape[2]);
        var a = first.FloatsOrThrow(_penultimate);
        var b = secondHidden.FloatsOrThrow(_penultimate2);
        var joined = new float[tokens * (d1 + d2)];
        for (var t = 0; t < tokens; t++)
        {
            Array.Copy(a, t * d1, joined, t * (d1 + d2), d1);
            Array.Copy(b, t * d2, joined, (t * (d1 + d2)) + d1, d2);
        }
        return (joined, [1, tokens, d1 + d2], pooled.FloatsOrThrow("text_embeds"), pooled.Shape);
    }

    internal override DenoiserCall Denoiser(object conditioning, ResolvedImageJob job, long[] latentShape)
    {
        var text = (Conditioning)conditioning;
        var batch = text.Guided ? 2 : 1;
        // Original size, crop corner, target size: a plain generation at the requested size.
        float[] timeIds = Repeat([job.Height, job.Width, 0, 0, job.Height, job.Width], batch);
        return new DenoiserCall(_unet, "sample", latentShape, "out_sample", text.Guided ? job.Guidance : null, "timestep", 1,
            new Dictionary<string, NamedTensor>(StringComparer.Ordinal)
            {
                ["encoder_hidden_states"] = NamedTensor.OfFloats(text.Embeddings, text.Shape),
                ["text_embeds"] = NamedTensor.OfFloats(text.Pooled, text.PooledShape),
                ["time_ids"] = NamedTensor.OfFloats(timeIds, batch, 6),
            });
    }

    protected override float[] ToDecoderLatents(float[] latents, int latentHeight, int latentWidth)
        => StableDiffusion15Pipeline.Scale(latents, 1f / _vaeScale);
}
