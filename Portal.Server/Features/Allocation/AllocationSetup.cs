using Heurist.Portal.Server.Features.Governance;
using Heurist.Protocol.Api.Governance;

namespace Heurist.Portal.Server.Features.Allocation;

/// <summary>The model allocation's registrations: its settings, the service that steers the workers, and its reader.</summary>
public static class AllocationSetup
{
    public static IServiceCollection AddAllocation(this IServiceCollection services)
    {
        services.AddOptions<AllocationOptions>()
            .BindConfiguration(AllocationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AllocationRecomputer>();
        services.AddHostedService<AllocationService>();
        services.AddScoped<AllocationReader>();
        // Pages prerendered on the server read the allocation directly.
        services.AddScoped<IAllocationClient>(provider => provider.GetRequiredService<AllocationReader>());
        return services;
    }
}
