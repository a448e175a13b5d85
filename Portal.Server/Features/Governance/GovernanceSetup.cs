using Heurist.Contracts.Crypto;
using Heurist.Protocol.Api.Governance;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Nethereum.Web3;

namespace Heurist.Portal.Server.Features.Governance;

public static class GovernanceSetup
{
    /// <summary>The Snapshot hub, voting power and the governance reads, with Governance:* validated at start.</summary>
    public static IServiceCollection AddGovernance(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<GovernanceOptions>()
            .BindConfiguration(GovernanceOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => new AccountSignatureVerifier(provider.GetRequiredService<IWeb3>()));
        services.AddSingleton<VotingPowerService>();
        services.AddSingleton<SnapshotHub>();
        services.AddScoped<GovernanceService>();
        services.AddScoped<IGovernanceClient>(provider => provider.GetRequiredService<GovernanceService>());
        return services;
    }
}
