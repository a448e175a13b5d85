using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Tokenizers;
using Heurist.Protocol.Jobs;

namespace Heurist.Inference.Worker.Diffusion.Pipelines;

/// <summary>
/// Flux.1 [dev]: CLIP's pooled output and T5's token embeddings condition a transformer that predicts a velocity
/// on 2×2-packed 16-channel latents (flow matching, distilled guidance passed as an input instead of two passes),
/// then the 16-channel VAE decoder with Flux's scaling and shift.
/// </summary>
public sealed class FluxPipeline : DiffusionPipeline
{
    private const int Channels = 16;
    private const int Packed = Channels * 4;

    private readonly ClipTokenizer _clip;
    private readonly T5Tokenizer _t5;
    private readonly ModelGraph _clipEncoder;
    private readonly ModelGraph _t5Encoder;
    private readonly ModelGraph _transformer;
    private readonly float _vaeScale;
    private readonly float _vaeShift;

    public FluxPipeline(ModelFolder folder, InferenceDevice device) : base(folder, device)
    {
        _clip = ClipTokenizer.Load(Path.Combine(folder.Path, "tokenizer"));
        _t5 = T5Tokenizer.Load(Path.Combine(folder.Path, "tokenizer_2"));
        _clipEncoder = LoadGraph("text_encoder").Require(ModelInterfaces.FluxTextEncoder);
        _t5Encoder = LoadGraph("text_encoder_2").Require(ModelInterfaces.FluxTextEncoder2);
        _transformer = LoadGraph("transformer", denoiser: true).Require(ModelInterfaces.FluxTransformer);
        _vaeScale = (float)folder.ConfigNumber("vae_decoder", "scaling_factor", 0.3611);
        _vaeShift = (float)folder.ConfigNumber("vae_decoder", "shift_factor", 0.1159);
    }

    protected override int LatentChannels => Channels;

    private sealed record Conditioning(NamedTensor Pooled, NamedTensor Tokens, NamedTensor TextIds);

    protected override object EncodePrompt(ResolvedImageJob job)
    {
        var pooled = _clipEncoder.Run(
            new Dictionary<string, NamedTensor> { ["input_ids"] = NamedTensor.OfIntegers(ToLongs(_clip.Encode(job.Prompt)), 1, _clip.MaxLength) },
            ["pooler_output"])["pooler_output"];
        var tokens = _t5Encoder.Run(
            new Dictionary<string, NamedTensor> { ["input_ids"] = NamedTensor.OfIntegers(ToLongs(_t5.Encode(job.Prompt)), 1, _t5.MaxLength) },
            ["last_hidden_state"])["last_hidden_state"];
        // Text tokens have no position in the image: all-zero ids.
        var textIds = NamedTensor.OfFloats(new float[_t5.MaxLength * 3], _t5.MaxLength, 3);
        return new Conditioning(pooled, tokens, textIds);
    }

    protected override int? ImageSequenceLength(int latentHeight, int latentWidth) => latentHeight / 2 * (latentWidth / 2);

    protected override float[] FromNoise(float[] noise, int latentHeight, int latentWidth) => Pack(noise, latentHeight, latentWidth);

    protected override long[] LatentShape(int latentHeight, int latentWidth) => [1, latentHeight / 2 * (latentWidth / 2), Packed];

    internal override DenoiserCall Denoiser(object conditioning, ResolvedImageJob job, long[] latentShape)
    {
        var text = (Conditioning)conditioning;
        var (rows, columns) = (job.Height / 16, job.Width / 16);
        // Flux's transformer takes time in [0, 1]; the scheduler counts it in training steps. Guidance is distilled into
        // an input, so the transformer runs once per step, at batch 1.
        return new DenoiserCall(_transformer, "hidden_states", latentShape, "out_hidden_states", null, "timestep", SchedulerConfig.NumTrainTimesteps,
            new Dictionary<string, NamedTensor>(StringComparer.Ordinal)
            {
                ["encoder_hidden_states"] = text.Tokens,
                ["pooled_projections"] = text.Pooled,
                ["img_ids"] = NamedTensor.OfFloats(ImageIds(rows, columns), rows * columns, 3),
                ["txt_ids"] = text.TextIds,
                ["guidance"] = NamedTensor.OfFloats([(float)job.Guidance], 1),
            });
    }

    protected override float[] ToDecoderLatents(float[] latents, int latentHeight, int latentWidth)
    {
        var unpacked = Unpack(latents, latentHeight, latentWidth);
        for (var i = 0; i < unpacked.Length; i++)
        {
            unpacked[i] = (unpacked[i] / _vaeScale) + _vaeShift;
        }
        return unpacked;
    }

    /// <summary>Each image patch's position: (0, row, column).</summary>
    private static float[] ImageIds(int rows, int columns)
    {
        var ids = new float[rows * columns * 3];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var at = ((r * columns) + c) * 3;
                ids[at + 1] = r;
                ids[at + 2] = c;
            }
        }
        return ids;
    }

    /// <summary>[16, H, W] → [(H/2)·(W/2), 64]: each 2×2 patch of every channel becomes one token, channel-major within it.</summary>
    internal static float[] Pack(float[] latents, int height, int width)
    {
        var columns = width / 2;
        var packed = new float[latents.Length];
        for (var c = 0; c < Channels; c++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var token = ((y / 2) * columns) + (x / 2);
                    var feature = (c * 4) + ((y % 2) * 2) + (x % 2);
                    packed[(token * Packed) + feature] = latents[(((c * height) + y) * width) + x];
                }
            }
        }
        return packed;
    }

    /// <summary>The inverse of <see cref="Pack"/>.</summary>
    internal static float[] Unpack(float[] packed, int height, int width)
    {
        var columns = width / 2;
        var latents = new float[packed.Length];
        for (var c = 0; c < Channels; c++)
        {
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    var token = ((y / 2) * columns) + (x / 2);
                    var feature = (c * 4) + ((y % 2) * 2) + (x % 2);
                    latents[(((c * height) + y) * width) + x] = packed[(token * Packed) + feature];
                }
            }
        }
        return latents;
    }
}
