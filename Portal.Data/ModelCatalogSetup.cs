using Heurist.Protocol.Jobs;
using Heurist.Protocol.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Data;

/// <summary>The model catalog both hosts use: the seed defaults, or the "Models" section when configuration has one.</summary>
public static class ModelCatalogSetup
{
    public const string Section = "Models";

    public static IServiceCollection AddModelCatalog(this IServiceCollection services)
    {
        services.AddOptions<ModelCatalog>()
            .Configure<IConfiguration>((catalog, configuration) =>
            {
                var source = Read(configuration);
                catalog.Image = source.Image;
                catalog.Language = source.Language;
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModelCatalog>, ModelCatalogValidator>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<ModelCatalog>>().Value);
        return services;
    }

    /// <summary>The catalog of a configuration, for a tool that runs without a host (it is not validated).</summary>
    public static ModelCatalog Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        // A configured catalog replaces the defaults as a whole: binding onto the default lists would append to them.
        return section.Exists() ? section.Get<ModelCatalog>() ?? new ModelCatalog() : ModelCatalog.CreateDefault();
    }

    private sealed class ModelCatalogValidator : IValidateOptions<ModelCatalog>
    {
        public ValidateOptionsResult Validate(string? name, ModelCatalog options)
        {
            var errors = new List<string>();
            if (options.Image.Count == 0)
            {
                errors.Add("Models:Image must list at least one image model.");
            }
            for (var i = 0; i < options.Image.Count; i++)
            {
                var model = options.Image[i];
                var key = $"Models:Image:{i}";
                if (JobQueues.Validate(model.Id) is { } idError)
                {
                    errors.Add($"{key}:Id {idError} (the id is the model's queue name).");
                }
                if (options.Image.Count(m => m.Id == model.Id) > 1)
                {
                    errors.Add($"{key}:Id '{model.Id}' appears more than once.");
                }
                if (model.MinWidth < 8 || model.MinWidth > model.MaxWidth || model.MaxWidth > ImageJobRules.MaxSide
                    || model.MinHeight < 8 || model.MinHeight > model.MaxHeight || model.MaxHeight > ImageJobRules.MaxSide)
                {
                    errors.Add($"{key}: the size limits must satisfy 8 ≤ Min ≤ Max ≤ {ImageJobRules.MaxSide}.");
                }
                if (model.SizeMultiple is not (8 or 16 or 32 or 64))
                {
                    errors.Add($"{key}:SizeMultiple must be 8, 16, 32 or 64.");
                }
                if (model.PointsMultiplier < 0 || model.DeadlineSeconds <= 0 || model.MinVramGiB < 0)
                {
                    errors.Add($"{key}: PointsMultiplier and MinVramGiB must not be negative, and DeadlineSeconds must be positive.");
                }
                if (!ImageJobRules.SchedulersFor(model.Pipeline).Contains(model.DefaultScheduler))
                {
                    errors.Add($"{key}:DefaultScheduler '{model.DefaultScheduler}' does not run a {model.Pipeline} pipeline.");
                }
            }
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
