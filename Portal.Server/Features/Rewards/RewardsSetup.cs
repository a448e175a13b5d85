using Heurist.Portal.Data.Jobs;
using Heurist.Protocol.Api.Rewards;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Rewards;

public static class RewardsSetup
{
    public static IServiceCollection AddRewards(this IServiceCollection services)
    {
        services.AddOptions<RewardsOptions>()
            .BindConfiguration(RewardsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RewardsOptions>, RewardsOptionsValidator>();
        services.AddSingleton<EpochSettler>();
        services.AddScoped<IEpochSettlementJob, EpochSettlementJob>();
        services.AddHostedService<SettlementServer>();
        services.AddScoped<RewardsService>();
        services.AddScoped<IRewardsClient>(provider => provider.GetRequiredService<RewardsService>());
        return services;
    }
}
