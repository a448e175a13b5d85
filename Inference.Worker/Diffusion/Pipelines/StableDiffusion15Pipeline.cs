using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Tokenizers;
using Heurist.Protocol.Jobs;

namespace Heurist.Inference.Worker.Diffusion.Pipelines;

/// <summary>
/// Stable Diffusion 1.5: CLIP tokenizer and text encoder, a UNet with classifier-free guidance (the negative prompt's
/// embedding as the unconditional branch), and the 4-channel VAE decoder.
/// </summary>
public sealed class StableDiffusion15Pipeline : DiffusionPipeline
{
    private readonly ClipTokenizer _tokenizer;
    private readonly ModelGraph _textEncoder;
    private readonly ModelGraph _unet;
    private readonly float _vaeScale;

    public StableDiffusion15Pipeline(ModelFolder folder, InferenceDevice device) : base(folder, device)
    {
        _tokenizer = ClipTokenizer.Load(Path.Combine(folder.Path, "tokenizer"));
        _textEncoder = LoadGraph("text_encoder").Require(ModelInterfaces.Sd15TextEncoder);
        _unet = LoadGraph("unet", denoiser: true).Require(ModelInterfaces.Sd15Unet);
        _vaeScale = (float)folder.ConfigNumber("vae_decoder", "scaling_factor", 0.18215);
    }

    protected override int LatentChannels => 4;

    /// <summary>The prompt's embeddings: [uncond, cond] with guidance, the prompt's alone without.</summary>
    private sealed record Conditioning(NamedTensor Embeddings, bool Guided);

    protected override object EncodePrompt(ResolvedImageJob job)
    {
        // Guidance at or below 1 would weigh the negative prompt by nothing: skip the unconditional branch.
        var guided = job.Guidance > 1;
        var ids = guided
            ? [.. _tokenizer.Encode(job.NegativePrompt), .. _tokenizer.Encode(job.Prompt)]
            : _tokenizer.Encode(job.Prompt);
        var batch = guided ? 2 : 1;
        var hidden = _textEncoder.Run(
            new Dictionary<string, NamedTensor> { ["input_ids"] = NamedTensor.OfIntegers(ToLongs(ids), batch, _tokenizer.MaxLength) },
            ["last_hidden_state"])["last_hidden_state"];
        return new Conditioning(hidden, guided);
    }

    internal override DenoiserCall Denoiser(object conditioning, ResolvedImageJob job, long[] latentShape)
    {
        var text = (Conditioning)conditioning;
        return new DenoiserCall(_unet, "sample", latentShape, "out_sample", text.Guided ? job.Guidance : null, "timestep", 1,
            new Dictionary<string, NamedTensor>(StringComparer.Ordinal) { ["encoder_hidden_states"] = text.Embeddings });
    }

    protected override float[] ToDecoderLatents(float[] latents, int latentHeight, int latentWidth) => Scale(latents, 1f / _vaeScale);

    internal static float[] Scale(float[] values, float factor)
    {
        if (factor == 1f)
        {
            return values;
        }
        var scaled = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            scaled[i] = values[i] * factor;
        }
        return scaled;
    }
}
