using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Protocol.Models;
using Heurist.Testing;

namespace Heurist.Inference.Worker.Tests.Diffusion;

public sealed class ModelFolderTests(TinyModelsFixture tiny)
{
    private static readonly ModelCatalog Catalog = ModelCatalog.CreateDefault();

    [Theory]
    [InlineData("sd15", PipelineKind.StableDiffusion15)]
    [InlineData("sdxl", PipelineKind.StableDiffusionXl)]
    [InlineData("flux-dev", PipelineKind.Flux)]
    public void A_demo_folder_is_recognised_and_every_file_is_hashed(string modelId, PipelineKind pipeline)
    {
        var folder = ModelFolder.Inspect(tiny.ModelFolder(modelId), Catalog.FindImageModel(modelId)!);

        Assert.Equal(pipeline, folder.Pipeline);
        Assert.True(folder.Demo);
        var files = Directory.EnumerateFiles(tiny.ModelFolder(modelId), "*", SearchOption.AllDirectories).Count();
        Assert.Equal(files, folder.FileHashes.Count);
        Assert.All(folder.FileHashes.Values, hash => Assert.Matches("^[0-9a-f]{64}$", hash));
        Assert.Equal(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Path.Combine(tiny.ModelFolder(modelId), "vae_decoder", "model.onnx")))),
            folder.FileHashes["vae_decoder/model.onnx"]);
    }

    [Fact]
    public void A_folder_of_another_pipeline_than_the_catalog_says_is_refused()
    {
        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Inspect(tiny.ModelFolder("sd15"), Catalog.FindImageModel("sdxl")!));
        Assert.Contains("holds a StableDiffusion15 model, but the catalog runs sdxl as StableDiffusionXl", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_folder_is_refused_naming_the_model()
    {
        var error = Assert.Throws<ModelFolderException>(() => ModelFolder.Inspect("/nonexistent/models/sdxl", Catalog.FindImageModel("sdxl")!));
        Assert.Equal("sdxl: there is no model folder at /nonexistent/models/sdxl", error.Message);
    }
}
