using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Heurist.Portal.Data.Images;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Provenance;

namespace Heurist.Portal.Server.Features.Minting;

/// <summary>
/// The ERC-721 metadata of an image's NFT, written the same way every time (so the same image and portal address
/// always give the same bytes and the same sha256): name, description, image, external_url, attributes, and the
/// image's provenance copied from what its worker recorded.
/// </summary>
public static class NftMetadataBuilder
{
    /// <summary>The property of an image's stored metadata that holds its provenance (the worker writes it).</summary>
    public const string ProvenanceProperty = ImageProvenance.MetadataProperty;

    /// <summary>The longest prompt the description quotes; the provenance keeps the whole prompt.</summary>
    public const int DescriptionPromptLength = 500;

    public static (string Json, string Sha256) Build(ImageJob job, string imageMetadata, Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var sha256 = job.ImageSha256 ?? throw new InvalidOperationException("Only a finished image has NFT metadata.");
        var tokenId = NftTokenIds.FromImageSha256(sha256);
        var root = baseUrl.AbsoluteUri.TrimEnd('/');

        using var buffer = new MemoryStream();
        // Readable text ("é", a quote) as the provenance writes it, so the provenance is copied byte for byte.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("name", $"Imaginaries #{NftTokenIds.Abbreviate(tokenId)}");
            json.WriteString("description", Description(job));
            json.WriteString("image", $"{root}/api/images/{sha256}.png");
            json.WriteString("external_url", $"{root}/nft/{tokenId}");
            json.WriteStartArray("attributes");
            Trait(json, "Model", job.ModelId);
            Trait(json, "Scheduler", job.Scheduler);
            Trait(json, "Steps", job.Steps.ToString(CultureInfo.InvariantCulture));
            Trait(json, "Guidance", job.Guidance.ToString("0.##", CultureInfo.InvariantCulture));
            Trait(json, "Seed", job.Seed.ToString(CultureInfo.InvariantCulture));
            Trait(json, "Size", $"{job.Width}×{job.Height}");
            json.WriteEndArray();
            if (Provenance(imageMetadata) is { } provenance)
            {
                json.WritePropertyName(ProvenanceProperty);
                provenance.WriteTo(json);
            }
            json.WriteEndObject();
        }
        var bytes = buffer.ToArray();
        return (Encoding.UTF8.GetString(bytes), Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static string Description(ImageJob job)
    {
        var prompt = job.Prompt.Length <= DescriptionPromptLength ? job.Prompt : job.Prompt[..DescriptionPromptLength] + "…";
        return $"\"{prompt}\" — made with {job.ModelId} on the Heurist network. Its provenance holds the whole recipe: re-run it and compare the bytes.";
    }

    private static void Trait(Utf8JsonWriter json, string type, string value)
    {
        json.WriteStartObject();
        json.WriteString("trait_type", type);
        json.WriteString("value", value);
        json.WriteEndObject();
    }

    private static JsonElement? Provenance(string imageMetadata)
    {
        if (string.IsNullOrWhiteSpace(imageMetadata))
        {
            return null;
        }
        using var document = JsonDocument.Parse(imageMetadata);
        if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty(ProvenanceProperty, out var provenance))
        {
            return null;
        }
        try
        {
            // The database's jsonb keeps its own key order: the provenance's own form is the one anyone re-serializes.
            using var canonical = JsonDocument.Parse(ImageProvenance.FromMetadata(imageMetadata)!.ToJson());
            return canonical.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Recorded before the provenance had all its fields: passed on as it was stored.
            return provenance.Clone();
        }
    }
}
