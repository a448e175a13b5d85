using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Heurist.Portal.Server.Features.Auth;

/// <summary>The Sign-In with Ethereum registrations.</summary>
public static class AuthSetup
{
    /// <summary>
    /// Registers <see cref="SiweVerifier"/> as a singleton. It asks the chain through the portal's <c>IWeb3</c> (from
    /// <c>AddChain</c>) and reads the time from <see cref="TimeProvider"/> (the system clock unless one is registered).
    /// </summary>
    public static IServiceCollection AddSiweVerifier(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SiweVerifier>();
        return services;
    }
}
