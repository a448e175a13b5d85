using Heurist.Protocol.Jobs;
using Heurist.Protocol.Models;

namespace Heurist.Protocol.Tests.Models;

public sealed class ModelCatalogTests
{
    private readonly ModelCatalog _catalog = ModelCatalog.CreateDefault();

    [Theory]
    [InlineData("sd15", ModelCategory.StableDiffusion15, "0.3", 8)]
    [InlineData("sdxl", ModelCategory.StableDiffusionXl, "1", 16)]
    [InlineData("flux-dev", ModelCategory.FluxDev, "10", 24)]
    public void The_default_catalog_carries_the_seed_multipliers_and_minimum_gpus(string id, ModelCategory category, string multiplier, double vram)
    {
        var model = _catalog.FindImageModel(id)!;
        Assert.Equal(category, model.Category);
        Assert.Equal(decimal.Parse(multiplier, System.Globalization.CultureInfo.InvariantCulture), model.PointsMultiplier);
        Assert.Equal(vram, model.MinVramGiB);
    }

    [Fact]
    public void Every_default_model_id_is_a_valid_queue_name_and_its_defaults_pass_its_own_limits()
    {
        foreach (var model in _catalog.Image)
        {
            Assert.Null(JobQueues.Validate(model.Id));
            Assert.Empty(ImageJobRules.Validate(new ImageJobSpec
            {
                Prompt = "a lighthouse",
                ModelId = model.Id,
                Width = model.DefaultWidth,
                Height = model.DefaultHeight,
                Steps = model.DefaultSteps,
                Guidance = model.DefaultGuidance,
                Scheduler = model.DefaultScheduler,
            }, _catalog));
        }
    }

    [Theory]
    [InlineData("openhermes-mixtral-8x7b-gptq", "1", 40)]
    [InlineData("dolphin-2.9-llama3-8b", "0.24", 16)]
    [InlineData("openhermes-2-pro-mistral-7b", "0.2", 16)]
    public void Language_models_carry_their_llama_multipliers(string id, string multiplier, double vram)
    {
        var model = _catalog.FindLanguageModel(id)!;
        Assert.Equal(decimal.Parse(multiplier, System.Globalization.CultureInfo.InvariantCulture), model.PointsMultiplier);
        Assert.Equal(vram, model.MinVramGiB);
    }
}
