using Heurist.Protocol.Jobs;
using Heurist.Protocol.Models;

namespace Heurist.Protocol.Tests.Jobs;

public sealed class ImageJobRulesTests
{
    private readonly ModelCatalog _catalog = ModelCatalog.CreateDefault();

    private static ImageJobSpec Valid => new() { Prompt = "a red fox in snow", ModelId = "sdxl" };

    [Fact]
    public void A_prompt_and_a_model_are_enough() => Assert.Empty(ImageJobRules.Validate(Valid, _catalog));

    public static TheoryData<ImageJobSpec, string, string> BadSpecs => new()
    {
        { Valid with { Prompt = null }, "prompt", "prompt is required." },
        { Valid with { Prompt = "   " }, "prompt", "prompt is required." },
        { Valid with { Prompt = new string('a', 2001) }, "prompt", "prompt must be at most 2000 characters (it has 2001)." },
        { Valid with { NegativePrompt = new string('n', 2001) }, "negativePrompt", "negativePrompt must be at most 2000 characters (it has 2001)." },
        { Valid with { Prompt = "a fox\0 in snow" }, "prompt", "prompt must not contain the NUL character (U+0000, at position 5)." },
        { Valid with { NegativePrompt = "\0" }, "negativePrompt", "negativePrompt must not contain the NUL character (U+0000, at position 0)." },
        { Valid with { ModelId = null }, "modelId", "modelId is required: one of sd15, sdxl, flux-dev." },
        { Valid with { ModelId = "dall-e" }, "modelId", "modelId 'dall-e' is not in the catalog: use one of sd15, sdxl, flux-dev." },
        { Valid with { Width = 1020 }, "width", "width must be a multiple of 8 (got 1020)." },
        { Valid with { Height = 2056 }, "height", "height must be at most 2048 (got 2056)." },
        { Valid with { Width = 256 }, "width", "width must be between 512 and 2048 for this model (got 256)." },
        { Valid with { ModelId = "sd15", Height = 1536 }, "height", "height must be between 256 and 1024 for this model (got 1536)." },
        { Valid with { Width = -8 }, "width", "width must be between 512 and 2048 for this model (got -8)." },
        { Valid with { ModelId = "flux-dev", Width = 1032 }, "width", "width must be a multiple of 16 for this model (got 1032)." },
        { Valid with { Steps = 0 }, "steps", "steps must be between 1 and 50 (got 0)." },
        { Valid with { Steps = 51 }, "steps", "steps must be between 1 and 50 (got 51)." },
        { Valid with { Guidance = -0.5 }, "guidance", "guidance must be between 0 and 20 (got -0.5)." },
        { Valid with { Guidance = 20.5 }, "guidance", "guidance must be between 0 and 20 (got 20.5)." },
        { Valid with { Guidance = double.NaN }, "guidance", "guidance must be between 0 and 20 (got NaN)." },
        { Valid with { Seed = -1 }, "seed", "seed must be between 0 and 9007199254740991 (got -1)." },
        { Valid with { Seed = 9_007_199_254_740_992 }, "seed", "seed must be between 0 and 9007199254740991 (got 9007199254740992)." },
        { Valid with { Scheduler = "flow-match-euler" }, "scheduler", "scheduler 'flow-match-euler' does not run sdxl: use one of euler, euler-ancestral, ddim, lcm." },
        { Valid with { ModelId = "flux-dev", Scheduler = "ddim" }, "scheduler", "scheduler 'ddim' does not run flux-dev: use one of flow-match-euler." },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void Each_bad_field_is_named_with_the_reason(ImageJobSpec spec, string field, string message)
    {
        var errors = ImageJobRules.Validate(spec, _catalog);
        Assert.Equal([field], errors.Keys);
        Assert.Equal([message], errors[field]);
    }

    [Fact]
    public void Every_bad_field_is_reported_at_once()
    {
        var errors = ImageJobRules.Validate(new ImageJobSpec { ModelId = "sd15", Width = 7, Steps = 99 }, _catalog);
        Assert.Equal(["modelId", "prompt", "steps", "width"], errors.Keys.Where(k => k != "modelId").Prepend("modelId").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_missing_body_is_refused() => Assert.Equal(["body"], ImageJobRules.Validate(null, _catalog).Keys);

    [Theory]
    [InlineData(1, 50, 0.0, 20.0)]
    [InlineData(50, 1, 20.0, 0.0)]
    public void The_limits_themselves_are_allowed(int steps, int otherSteps, double guidance, double otherGuidance)
    {
        Assert.Empty(ImageJobRules.Validate(Valid with { Steps = steps, Guidance = guidance, Width = 2048, Height = 512 }, _catalog));
        Assert.Empty(ImageJobRules.Validate(Valid with { Steps = otherSteps, Guidance = otherGuidance }, _catalog));
    }

    [Fact]
    public void Random_seeds_stay_within_what_a_browser_keeps_exactly()
    {
        var random = new Random(3);
        for (var i = 0; i < 1000; i++)
        {
            Assert.InRange(ImageJobRules.Resolve(Valid, _catalog, random).Seed, 0L, ImageJobRules.MaxSeed);
        }
    }

    [Fact]
    public void Resolving_fills_the_model_defaults_and_a_random_seed()
    {
        var job = ImageJobRules.Resolve(new ImageJobSpec { Prompt = "  a fox  ", ModelId = "flux-dev" }, _catalog, new Random(7));

        Assert.Equal(new ResolvedImageJob("a fox", "", "flux-dev", 1024, 1024, 28, 3.5, job.Seed, "flow-match-euler"), job);
        Assert.Equal(job.Seed, ImageJobRules.Resolve(new ImageJobSpec { Prompt = "a fox", ModelId = "flux-dev" }, _catalog, new Random(7)).Seed);
    }

    [Fact]
    public void A_given_seed_is_kept()
        => Assert.Equal(42L, ImageJobRules.Resolve(Valid with { Seed = 42 }, _catalog, new Random()).Seed);

    [Fact]
    public void Resolving_an_invalid_spec_is_refused()
        => Assert.Throws<ArgumentException>(() => ImageJobRules.Resolve(Valid with { Steps = 0 }, _catalog, new Random()));
}
