using Heurist.Portal.Client.Features.Transactions;
using Microsoft.AspNetCore.Components.Authorization;

namespace Heurist.Portal.Client.Features.Wallet;

/// <summary>The wallet's registrations, shared by the WebAssembly host and the server's component setup.</summary>
public static class WalletSetup
{
    /// <summary>
    /// What the wallet needs in every render mode: the JS module, <see cref="WalletService"/>, the transaction flow
    /// and the cascading authentication state. Each host also registers its <c>IAuthClient</c> and <c>IChainClient</c>, and its
    /// provider through <see cref="AddWalletAuthenticationState{TProvider}"/>.
    /// </summary>
    public static IServiceCollection AddWallet(this IServiceCollection services)
    {
        services.AddScoped<WalletInterop>();
        services.AddScoped<WalletService>();
        services.AddTransactions();
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>
    /// <typeparamref name="TProvider"/> as the scope's <see cref="WalletAuthenticationStateProvider"/> and as its
    /// <see cref="AuthenticationStateProvider"/> (one instance), with the authorization services components use.
    /// </summary>
    public static IServiceCollection AddWalletAuthenticationState<TProvider>(this IServiceCollection services)
        where TProvider : WalletAuthenticationStateProvider
    {
        services.AddAuthorizationCore();
        services.AddScoped<WalletAuthenticationStateProvider, TProvider>();
        services.AddScoped<AuthenticationStateProvider>(provider => provider.GetRequiredService<WalletAuthenticationStateProvider>());
        return services;
    }
}
