using Heurist.TinyModels.Graph;
using Heurist.TinyModels.Onnx;
using DataType = Heurist.TinyModels.Onnx.TensorProto.Types.DataType;

namespace Heurist.TinyModels.Models;

/// <summary>The VAE decoder: latents to an RGB image eight times larger, in [-1, 1].</summary>
public static class VaeDecoder
{
    /// <summary>Pixels per latent along each side, as every SD and Flux VAE has.</summary>
    public const int ScaleFactor = 8;

    private const int Channels = 16;

    /// <summary>
    /// <c>latent_sample</c> [batch, latentChannels, latent_height, latent_width] → <c>sample</c>
    /// [batch, 3, height, width]: input scaling, conv, ×2 nearest upsample, conv, ×4 bilinear upsample,
    /// conv, Tanh.
    /// </summary>
    public static ModelProto Build(DeterministicRandom random, int latentChannels)
    {
        var g = new OnnxGraphBuilder("vae_decoder", random);
        var latents = g.AddInput("latent_sample", DataType.Float, "batch", latentChannels, "latent_height", "latent_width");

        // Latents reach a decoder divided by the scaling factor, and a random-weight denoiser leaves them at
        // any scale; dividing by √(mean(z²) + 1) per sample keeps small latents as they are, brings large ones
        // to unit size, and so keeps the final Tanh out of saturation. The mean is not removed, so every
        // change of the latents still shows.
        using (g.Scope("input_scale"))
        {
            var meanSquare = g.ReduceMean(g.Mul(latents, latents), keepDims: true, 1, 2, 3);
            latents = g.Div(latents, g.Sqrt(g.Add(meanSquare, g.Scalar(1f, "one"))));
        }
        var h = g.Silu(g.Conv2d(latents, latentChannels, Channels, 3, "conv_in"));
        h = g.Upsample(h, 2, "nearest", "up1/scales");
        h = g.Silu(g.Conv2d(h, Channels, Channels, 3, "up1/conv"));
        h = g.Upsample(h, ScaleFactor / 2, "linear", "up2/scales");
        var image = g.Tanh(g.Conv2d(h, Channels, 3, 3, "conv_out", gain: 4f));
        g.AddOutput(image, "sample", DataType.Float, "batch", 3, "height", "width");
        return g.Build($"Tiny random-weight VAE decoder for {latentChannels}-channel latents.");
    }
}
