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
        _textEncoder = LoadGraph("text_encoder").Require(["input_ids"], ["last_hidden_state"]);
        _unet = LoadGraph("unet").Require(["sample", "timestep", "encoder_hidden_states"], ["out_sample"]);
        _vaeScale = (float)folder.ConfigNumber("vae_decoder", "scaling_factor", 0.18215);
    }

    protected override int LatentChannels => 4;

    /// <summary>The prompt's embeddings, and the job's buffers the UNet reads from and writes into at every step.</summary>
    private sealed record Conditioning(float[] Embeddings, long[] Shape, bool Guided) : IDisposable
    {
        public DenoiserBuffers? Buffers { get; set; }

        public void Dispose() => Buffers?.Dispose();
    }

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
        return new Conditioning(hidden.FloatsOrThrow("last_hidden_state"), hidden.Shape, guided);
    }

    protected override float[] Predict(object conditioning, float[] latents, double timestep, float inputScale, ResolvedImageJob job)
    {
        var text = (Conditioning)conditioning;
        var batch = text.Guided ? 2 : 1;
        var buffers = text.Buffers ??= new DenoiserBuffers(latents.Length, batch);
        if (buffers.Bound is null)
        {
            long[] shape = [batch, 4, job.Height / 8, job.Width / 8];
            var time = TimestepTensor(_unet, "timestep", timestep, batch);
            buffers.Timestep = time.Floats;
            buffers.Bound = _unet.Bind(new Dictionary<string, NamedTensor>
            {
                ["sample"] = NamedTensor.OfFloats(buffers.Input, shape),
                ["timestep"] = time,
                ["encoder_hidden_states"] = NamedTensor.OfFloats(text.Embeddings, text.Shape),
            }, "out_sample", buffers.Output, shape);
        }
        buffers.FillInput(latents, inputScale);
        buffers.SetTimestep(timestep);
        buffers.Bound.Run();
        return buffers.Prediction(text.Guided ? job.Guidance : null);
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
