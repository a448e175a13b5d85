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
        services.AddMudServices(PortalClientServices.ConfigureMud);
        services.AddScoped<CreatorIdentity>();
        // The wallet's JS module, WalletService and the cascading authentication state, as in WebAssembly; the state
        // itself comes from the request's cookie (ServerAuthenticationState). IAuthClient and IChainClient are the
        // server's own (Features/Auth, Features/Chain).
        services.AddWallet();
        services.AddHttpContextAccessor();
        services.AddWalletAuthenticationState<ServerAuthenticationState>();
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
