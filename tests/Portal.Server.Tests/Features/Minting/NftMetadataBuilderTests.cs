using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Server.Features.Minting;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Provenance;
using Heurist.Protocol.Jobs;

namespace Heurist.Portal.Server.Tests.Features.Minting;

/// <summary>The NFT metadata's schema: what marketplaces read, the same bytes every time, and the provenance in its own form.</summary>
public sealed class NftMetadataBuilderTests
{
    private const string Sha256 = "3f1a0c2e9b8d7f6a5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29";
    private static readonly Uri Portal = new("https://portal.example/");

    private static ImageJob Job(string prompt = "a lighthouse \"at\" dusk, é") => new()
    {
        Id = Guid.NewGuid(), CreatorId = "c", Prompt = prompt, NegativePrompt = "blurry", ModelId = "sdxl", Width = 1024, Height = 768,
        Steps = 30, Guidance = 6.5, Seed = 123456789012, Scheduler = "euler-a", State = ImageJobState.Succeeded, ImageSha256 = Sha256,
    };

    private static readonly ImageProvenance Provenance = new(
        "sdxl", new Dictionary<string, string> { ["unet/model.onnx"] = new string('a', 64), ["text_encoder/model.onnx"] = new string('b', 64) },
        "a lighthouse \"at\" dusk, é", "blurry", 123456789012, "euler-a", 30, 6.5, 1024, 768, "1.4.0", "1.32.0", "CPU", 2, Sha256);

    [Fact]
    public void The_metadata_has_the_erc721_fields_marketplaces_read()
    {
        var (json, sha256) = NftMetadataBuilder.Build(Job(), "{}", Portal);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var tokenId = NftTokenIds.FromImageSha256(Sha256);

        Assert.Equal($"Imaginaries #{NftTokenIds.Abbreviate(tokenId)}", root.GetProperty("name").GetString());
        Assert.Contains("a lighthouse \"at\" dusk, é", root.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal($"https://portal.example/api/images/{Sha256}.png", root.GetProperty("image").GetString());
        Assert.Equal($"https://portal.example/nft/{tokenId}", root.GetProperty("external_url").GetString());
        var traits = root.GetProperty("attributes").EnumerateArray().ToDictionary(a => a.GetProperty("trait_type").GetString()!, a => a.GetProperty("value").GetString());
        Assert.Equal(["Model", "Scheduler", "Steps", "Guidance", "Seed", "Size"], traits.Keys);
        Assert.Equal(("sdxl", "6.5", "123456789012", "1024×768"), (traits["Model"], traits["Guidance"], traits["Seed"], traits["Size"]));
        Assert.False(root.TryGetProperty("provenance", out _));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))), sha256);
    }

    [Fact]
    public void The_same_image_always_gives_the_same_bytes_and_the_provenance_in_its_canonical_form()
    {
        var canonical = Provenance.ToJson();
        // As jsonb gives it back: keys in its own order, other keys of the image's metadata around it.
        using var parsed = JsonDocument.Parse(canonical);
        var reordered = "{" + string.Join(",", parsed.RootElement.EnumerateObject().Reverse().Select(p => $"\"{p.Name}\":{p.Value.GetRawText()}")) + "}";
        var metadata = """{"model":"sdxl","provenance":""" + reordered + ""","timings":{"totalMs":12}}""";

        var first = NftMetadataBuilder.Build(Job(), metadata, Portal);
        var second = NftMetadataBuilder.Build(Job(), metadata, Portal);
        using var document = JsonDocument.Parse(first.Json);

        Assert.Equal(first, second);
        Assert.Equal(canonical, document.RootElement.GetProperty("provenance").GetRawText());
        Assert.Equal(canonical, ImageProvenance.FromMetadata(first.Json)!.ToJson());
        Assert.NotEqual(first.Sha256, NftMetadataBuilder.Build(Job("another prompt"), metadata, Portal).Sha256);
    }

    [Fact]
    public void An_incomplete_recorded_provenance_is_passed_on_as_stored_and_a_long_prompt_is_cut_in_the_description_only()
    {
        var longPrompt = new string('p', NftMetadataBuilder.DescriptionPromptLength + 50);
        var (json, _) = NftMetadataBuilder.Build(Job(longPrompt), """{"provenance":{"seed":1}}""", Portal);
        using var document = JsonDocument.Parse(json);

        Assert.Equal("""{"seed":1}""", document.RootElement.GetProperty("provenance").GetRawText());
        Assert.Contains(new string('p', NftMetadataBuilder.DescriptionPromptLength) + "…", document.RootElement.GetProperty("description").GetString(), StringComparison.Ordinal);
        var unfinished = Job();
        unfinished.ImageSha256 = null;
        Assert.Throws<InvalidOperationException>(() => NftMetadataBuilder.Build(unfinished, "{}", Portal));
    }
}
