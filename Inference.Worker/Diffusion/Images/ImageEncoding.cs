using Heurist.Protocol.Models;
using SkiaSharp;

namespace Heurist.Inference.Worker.Diffusion.Images;

/// <summary>Turns decoder output and intermediate latents into PNG bytes.</summary>
public static class ImageEncoding
{
    /// <summary>
    /// Encodes a VAE output (3 × height × width, values in [−1, 1]) as an opaque RGBA PNG. The same pixels always give
    /// the same bytes, so a job re-run on the same worker stores the same content address.
    /// </summary>
    public static byte[] EncodePng(ReadOnlySpan<float> chw, int width, int height)
    {
        var plane = width * height;
        if (chw.Length != 3 * plane)
        {
            throw new ArgumentException($"Expected 3 × {height} × {width} values, got {chw.Length}.", nameof(chw));
        }
        var rgba = new byte[plane * 4];
        for (var i = 0; i < plane; i++)
        {
            rgba[(i * 4) + 0] = ToByte(chw[i]);
            rgba[(i * 4) + 1] = ToByte(chw[plane + i]);
            rgba[(i * 4) + 2] = ToByte(chw[(2 * plane) + i]);
            rgba[(i * 4) + 3] = 255;
        }
        return Encode(rgba, width, height);
    }

    /// <summary>
    /// A cheap look at latents mid-denoising: each latent pixel mapped to a colour by a fixed linear projection
    /// (the usual "latent to RGB" approximation), at latent resolution. Not the decoded image, but it shows
    /// composition and colour settling step by step without running the VAE.
    /// </summary>
    public static byte[] PreviewPng(ReadOnlySpan<float> latents, int channels, int height, int width, PipelineKind pipeline)
    {
        var plane = width * height;
        if (latents.Length < channels * plane)
        {
            throw new ArgumentException($"Expected {channels} × {height} × {width} latents, got {latents.Length}.", nameof(latents));
        }
        var factors = Factors(pipeline, channels);
        var rgba = new byte[plane * 4];
        for (var i = 0; i < plane; i++)
        {
            for (var colour = 0; colour < 3; colour++)
            {
                double sum = 0;
                for (var c = 0; c < channels; c++)
                {
                    sum += latents[(c * plane) + i] * factors[c, colour];
                }
                rgba[(i * 4) + colour] = ToByte((float)sum);
            }
            rgba[(i * 4) + 3] = 255;
        }
        return Encode(rgba, width, height);
    }

    private static byte ToByte(float value)
    {
        var scaled = ((value + 1f) * 0.5f * 255f) + 0.5f;
        return scaled <= 0 ? (byte)0 : scaled >= 255 ? (byte)255 : (byte)scaled;
    }

    private static byte[] Encode(byte[] rgba, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = System.Runtime.InteropServices.GCHandle.Alloc(rgba, System.Runtime.InteropServices.GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            // A fast zlib level with one filter: generated images barely compress better at level 9, and encoding stays a few ms.
            using var data = pixmap.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.Sub, 3))
                ?? throw new InvalidOperationException($"SkiaSharp could not encode a {width} × {height} PNG.");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }

    // Rows: latent channels; columns: R, G, B. The 4-channel factors are the widely used approximations for the
    // SD 1.5 and SDXL VAEs; other latent spaces (Flux's 16 channels) fall back to an even spread over R, G, B.
    private static double[,] Factors(PipelineKind pipeline, int channels)
    {
        if (channels == 4 && pipeline == PipelineKind.StableDiffusion15)
        {
            return new[,] { { 0.298, 0.207, 0.208 }, { 0.187, 0.286, 0.173 }, { -0.158, 0.189, 0.264 }, { -0.184, -0.271, -0.473 } };
        }
        if (channels == 4)
        {
            return new[,] { { 0.3651, 0.4232, 0.4341 }, { -0.2533, -0.0042, 0.1068 }, { 0.1076, 0.1111, -0.0362 }, { -0.3165, -0.2492, -0.2188 } };
        }
        var spread = new double[channels, 3];
        for (var c = 0; c < channels; c++)
        {
            spread[c, c % 3] = 3.0 / channels;
        }
        return spread;
    }
}
