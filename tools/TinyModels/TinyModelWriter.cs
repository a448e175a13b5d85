using System.Text.Json.Nodes;
using Heurist.Protocol.Models;
using Heurist.TinyModels.Graph;
using Heurist.TinyModels.Models;
using Heurist.TinyModels.Onnx;
using Heurist.TinyModels.Tokenizers;
using DataType = Heurist.TinyModels.Onnx.TensorProto.Types.DataType;

namespace Heurist.TinyModels;

/// <summary>
/// Writes the tiny demo models: one folder per catalog id (<c>sd15</c>, <c>sdxl</c>, <c>flux-dev</c>) laid
/// out like the diffusers/Optimum ONNX exports, with the same graph input and output names, element types
/// and ranks as the real models, tiny hidden sizes and random weights. Every spatial and sequence
/// dimension is symbolic, so any image size that is a multiple of 8 runs. The same seed writes the same bytes.
/// With <see cref="TinyPrecision.Fp16"/> the same folders hold float16 graphs, as an Optimum
/// <c>--dtype fp16</c> export does (see <see cref="Float16Interface"/> for how they differ from a real one).
/// </summary>
public static class TinyModelWriter
{
    /// <summary>Hidden size of the CLIP ViT-L/14-like text encoder (SD 1.5, SDXL's first, Flux's CLIP).</summary>
    public const int ClipHidden = 32;

    /// <summary>Hidden and projection size of SDXL's OpenCLIP bigG-like second encoder (text_embeds).</summary>
    public const int Clip2Hidden = 48;

    /// <summary>SDXL's UNet context: both encoders' penultimate hidden states side by side.</summary>
    public const int SdxlContext = ClipHidden + Clip2Hidden;

    /// <summary>Hidden size of Flux's T5 encoder.</summary>
    public const int T5Hidden = 64;

    /// <summary>Latent channels of the Flux VAE.</summary>
    public const int FluxLatentChannels = 16;

    /// <summary>Flux packs 2×2 latent pixels of 16 channels into one 64-channel token.</summary>
    public const int FluxPackedChannels = FluxLatentChannels * 4;

    public const string Sd15 = "sd15";
    public const string Sdxl = "sdxl";
    public const string FluxDev = "flux-dev";

    /// <summary>
    /// Writes <c>folder/sd15</c>, <c>folder/sdxl</c> and <c>folder/flux-dev</c> and returns every file written.
    /// With <see cref="TinyPrecision.Fp16"/> every floating-point graph input, output and weight is float16
    /// (the float32 weights of the same seed, rounded); file names, graph names and shapes stay the same.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(string folder, int seed = 1, TinyPrecision precision = TinyPrecision.Fp32)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var clip = ClipVocabulary.Create();
        var t5 = T5Vocabulary.Create();
        var written = new List<string>();
        written.AddRange(WriteSd15(new ModelFolder(Path.Combine(folder, Sd15)), seed, precision, clip));
        written.AddRange(WriteSdxl(new ModelFolder(Path.Combine(folder, Sdxl)), seed, precision, clip));
        written.AddRange(WriteFlux(new ModelFolder(Path.Combine(folder, FluxDev)), seed, precision, clip, t5));
        return written;
    }

    private static IReadOnlyList<string> WriteSd15(ModelFolder folder, int seed, TinyPrecision precision, ClipVocabulary clip)
    {
        WriteDemoLabel(folder, PipelineKind.StableDiffusion15, "the Stable Diffusion 1.5 ONNX export", precision);
        folder.WriteText("model_index.json", """
            {
              "_class_name": "OnnxStableDiffusionPipeline",
              "requires_safety_checker": false,
              "safety_checker": [null, null],
              "feature_extractor": [null, null],
              "scheduler": ["diffusers", "PNDMScheduler"],
              "text_encoder": ["diffusers", "OnnxRuntimeModel"],
              "tokenizer": ["transformers", "CLIPTokenizer"],
              "unet": ["diffusers", "OnnxRuntimeModel"],
              "vae_decoder": ["diffusers", "OnnxRuntimeModel"]
            }

            """);
        folder.WriteText("scheduler/scheduler_config.json", """
            {
              "_class_name": "PNDMScheduler",
              "beta_start": 0.00085,
              "beta_end": 0.012,
              "beta_schedule": "scaled_linear",
              "num_train_timesteps": 1000,
              "prediction_type": "epsilon",
              "set_alpha_to_one": false,
              "steps_offset": 1,
              "timestep_spacing": "leading",
              "clip_sample": false
            }

            """);
        TokenizerFiles.WriteClip(folder, "tokenizer", clip, ClipVocabulary.EndOfText);
        WriteClipEncoder(folder, seed, precision, Sd15, "text_encoder", clip, DataType.Int32, ClipHidden, ClipOutputs.Pooled);
        WriteModel(folder, seed, precision, Sd15, "unet", r => Denoisers.Sd15Unet(r, ClipHidden));
        folder.WriteJson("unet/config.json", UnetConfig(ClipHidden));
        WriteVae(folder, seed, precision, Sd15, Denoisers.UnetLatentChannels, scaling: 0.18215, shift: null);
        return folder.Written;
    }

    private static IReadOnlyList<string> WriteSdxl(ModelFolder folder, int seed, TinyPrecision precision, ClipVocabulary clip)
    {
        WriteDemoLabel(folder, PipelineKind.StableDiffusionXl, "the Stable Diffusion XL ONNX export", precision);
        folder.WriteText("model_index.json", """
            {
              "_class_name": "OnnxStableDiffusionXLPipeline",
              "force_zeros_for_empty_prompt": true,
              "scheduler": ["diffusers", "EulerDiscreteScheduler"],
              "text_encoder": ["diffusers", "OnnxRuntimeModel"],
              "text_encoder_2": ["diffusers", "OnnxRuntimeModel"],
              "tokenizer": ["transformers", "CLIPTokenizer"],
              "tokenizer_2": ["transformers", "CLIPTokenizer"],
              "unet": ["diffusers", "OnnxRuntimeModel"],
              "vae_decoder": ["diffusers", "OnnxRuntimeModel"]
            }

            """);
        folder.WriteText("scheduler/scheduler_config.json", """
            {
              "_class_name": "EulerDiscreteScheduler",
              "beta_start": 0.00085,
              "beta_end": 0.012,
              "beta_schedule": "scaled_linear",
              "num_train_timesteps": 1000,
              "prediction_type": "epsilon",
              "steps_offset": 1,
              "timestep_spacing": "leading",
              "interpolation_type": "linear",
              "use_karras_sigmas": false
            }

            """);
        TokenizerFiles.WriteClip(folder, "tokenizer", clip, ClipVocabulary.EndOfText);
        // SDXL's second tokenizer (OpenCLIP's) pads with "!" rather than with the end-of-text token.
        TokenizerFiles.WriteClip(folder, "tokenizer_2", clip, "!");
        WriteClipEncoder(folder, seed, precision, Sdxl, "text_encoder", clip, DataType.Int32, ClipHidden, ClipOutputs.PooledAndHiddenStates);
        WriteClipEncoder(folder, seed, precision, Sdxl, "text_encoder_2", clip, DataType.Int64, Clip2Hidden, ClipOutputs.ProjectedAndHiddenStates);
        WriteModel(folder, seed, precision, Sdxl, "unet", r => Denoisers.SdxlUnet(r, SdxlContext, Clip2Hidden));
        var unetConfig = UnetConfig(SdxlContext);
        // The pipeline checks time_ids against these: 6 ids · their features + the pooled text embedding.
        unetConfig["addition_embed_type"] = "text_time";
        unetConfig["addition_time_embed_dim"] = 2 * Denoisers.TimeIdFrequencies;
        unetConfig["projection_class_embeddings_input_dim"] = (6 * 2 * Denoisers.TimeIdFrequencies) + Clip2Hidden;
        folder.WriteJson("unet/config.json", unetConfig);
        WriteVae(folder, seed, precision, Sdxl, Denoisers.UnetLatentChannels, scaling: 0.13025, shift: null);
        return folder.Written;
    }

    private static IReadOnlyList<string> WriteFlux(ModelFolder folder, int seed, TinyPrecision precision, ClipVocabulary clip, T5Vocabulary t5)
    {
        WriteDemoLabel(folder, PipelineKind.Flux, "the Flux.1 [dev] ONNX export", precision);
        folder.WriteText("model_index.json", """
            {
              "_class_name": "FluxPipeline",
              "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"],
              "text_encoder": ["diffusers", "OnnxRuntimeModel"],
              "text_encoder_2": ["diffusers", "OnnxRuntimeModel"],
              "tokenizer": ["transformers", "CLIPTokenizer"],
              "tokenizer_2": ["transformers", "T5TokenizerFast"],
              "transformer": ["diffusers", "OnnxRuntimeModel"],
              "vae_decoder": ["diffusers", "OnnxRuntimeModel"]
            }

            """);
        folder.WriteText("scheduler/scheduler_config.json", """
            {
              "_class_name": "FlowMatchEulerDiscreteScheduler",
              "num_train_timesteps": 1000,
              "shift": 3.0,
              "use_dynamic_shifting": true,
              "base_shift": 0.5,
              "max_shift": 1.15,
              "base_image_seq_len": 256,
              "max_image_seq_len": 4096
            }

            """);
        TokenizerFiles.WriteClip(folder, "tokenizer", clip, ClipVocabulary.EndOfText);
        TokenizerFiles.WriteT5(folder, "tokenizer_2", t5);
        WriteClipEncoder(folder, seed, precision, FluxDev, "text_encoder", clip, DataType.Int64, ClipHidden, ClipOutputs.Pooled);
        WriteModel(folder, seed, precision, FluxDev, "text_encoder_2", r => TextEncoders.T5(r, t5.Pieces.Count, T5Hidden));
        folder.WriteJson("text_encoder_2/config.json", new JsonObject
        {
            ["_class_name"] = "T5EncoderModel",
            ["d_model"] = T5Hidden,
            ["num_layers"] = TextEncoders.Layers,
            ["vocab_size"] = t5.Pieces.Count,
        });
        WriteModel(folder, seed, precision, FluxDev, "transformer", r => Denoisers.FluxTransformer(r, FluxPackedChannels, T5Hidden, ClipHidden));
        folder.WriteJson("transformer/config.json", new JsonObject
        {
            ["_class_name"] = "FluxTransformer2DModel",
            ["in_channels"] = FluxPackedChannels,
            ["joint_attention_dim"] = T5Hidden,
            ["pooled_projection_dim"] = ClipHidden,
            ["guidance_embeds"] = true,
            ["num_layers"] = 1,
            ["num_single_layers"] = 0,
        });
        WriteVae(folder, seed, precision, FluxDev, FluxLatentChannels, scaling: 0.3611, shift: 0.1159);
        return folder.Written;
    }

    private static void WriteDemoLabel(ModelFolder folder, PipelineKind pipeline, string realModel, TinyPrecision precision)
    {
        var export = precision == TinyPrecision.Fp16 ? $"{realModel} in float16" : realModel;
        folder.WriteJson("heurist-model.json", new JsonObject
        {
            ["demo"] = true,
            ["description"] = $"Tiny random-weight demo model generated by tools/TinyModels: it has the graph interface of {export} but draws noise-like images, not pictures.",
            ["pipeline"] = pipeline.ToString(),
        });
    }

    private static void WriteClipEncoder(ModelFolder folder, int seed, TinyPrecision precision, string modelId, string component, ClipVocabulary clip, DataType idType, int hidden, ClipOutputs outputs)
    {
        WriteModel(folder, seed, precision, modelId, component, r => TextEncoders.Clip(r, clip.Tokens.Count, idType, hidden, outputs));
        folder.WriteJson($"{component}/config.json", new JsonObject
        {
            ["_class_name"] = outputs == ClipOutputs.ProjectedAndHiddenStates ? "CLIPTextModelWithProjection" : "CLIPTextModel",
            ["hidden_size"] = hidden,
            ["projection_dim"] = hidden,
            ["num_hidden_layers"] = TextEncoders.Layers,
            ["max_position_embeddings"] = TextEncoders.ClipMaxPositions,
            ["vocab_size"] = clip.Tokens.Count,
        });
    }

    private static JsonObject UnetConfig(int contextFeatures) => new()
    {
        ["_class_name"] = "UNet2DConditionModel",
        ["cross_attention_dim"] = contextFeatures,
        ["in_channels"] = Denoisers.UnetLatentChannels,
        ["out_channels"] = Denoisers.UnetLatentChannels,
        ["sample_size"] = 8,
    };

    private static void WriteVae(ModelFolder folder, int seed, TinyPrecision precision, string modelId, int latentChannels, double scaling, double? shift)
    {
        WriteModel(folder, seed, precision, modelId, "vae_decoder", r => VaeDecoder.Build(r, latentChannels));
        var config = new JsonObject
        {
            ["_class_name"] = "AutoencoderKL",
            // Four entries because pipelines derive the VAE's scale factor, 2^(entries - 1) = 8, from the length.
            ["block_out_channels"] = new JsonArray(16, 16, 16, 16),
            ["latent_channels"] = latentChannels,
            ["out_channels"] = 3,
            ["scaling_factor"] = scaling,
        };
        if (shift is { } value)
        {
            config["shift_factor"] = value;
        }
        folder.WriteJson("vae_decoder/config.json", config);
    }

    private static void WriteModel(ModelFolder folder, int seed, TinyPrecision precision, string modelId, string component, Func<DeterministicRandom, ModelProto> build)
    {
        var path = $"{component}/model.onnx";
        // The random stream does not depend on the precision, so a float16 model holds the float32 model's weights, rounded.
        var model = build(DeterministicRandom.ForStream(seed, $"{modelId}/{path}"));
        folder.WriteModel(path, precision == TinyPrecision.Fp16 ? Float16Interface.Convert(model) : model);
    }
}
