using Heurist.Portal.Client;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Shared;
using MudBlazor.Services;

namespace Heurist.Portal.Server.Components;

/// <summary>
/// Rendering the pages, the one place the server uses the client project: the components (prerendered, Server
/// and WebAssembly interactive) and the browser-side services they need when they run on the server.
/// </summary>
public static class ComponentsSetup
{
    public static IServiceCollection AddPortalComponents(this IServiceCollection services)
    {
        services.AddRazorComponents()
            .AddInteractiveServerComponents()
            .AddInteractiveWebAssemblyComponents();
        services.AddMudServices();
        services.AddScoped<CreatorIdentity>();
        // The wallet's JS module, WalletService and the cascading authentication state: the same in every render mode.
        // Registered by AuthSetup: IAuthClient and IChainClient (the server's own implementations) and the server's
        // WalletAuthenticationStateProvider subclass, through AddWalletAuthenticationState<T>(), which WalletService needs.
        services.AddWallet();
        return services;
    }

    public static WebApplication MapPortalComponents(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .AddInteractiveWebAssemblyRenderMode()
            .AddAdditionalAssemblies(typeof(PortalClientServices).Assembly);
        return app;
    }
}
