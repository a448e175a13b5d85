using Heurist.Portal.Client.Features.Governance;
using Heurist.Portal.Client.Features.Minting;
using Heurist.Portal.Client.Features.Network;
using Heurist.Portal.Client.Features.Provenance;
using Heurist.Portal.Client.Features.Rewards;
using Heurist.Portal.Client.Features.Staking;
using Heurist.Portal.Client.Features.Stats;
using Heurist.Portal.Client.Features.Studio;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Chain;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Network;
using Heurist.Protocol.Api.Provenance;
using Heurist.Protocol.Api.Rewards;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Api.Studio;
using MudBlazor;
using MudBlazor.Services;

namespace Heurist.Portal.Client;

/// <summary>The WebAssembly side's registrations: MudBlazor, the HTTP implementations of the shared service interfaces, and the wallet with its session.</summary>
public static class PortalClientServices
{
    /// <summary>MudBlazor as both hosts set it up: messages at the bottom, clear of the app bar's account panel.</summary>
    public static void ConfigureMud(MudServicesConfiguration mud)
    {
        ArgumentNullException.ThrowIfNull(mud);
        mud.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomLeft;
    }

    public static IServiceCollection AddPortalClientServices(this IServiceCollection services, Uri baseAddress)
    {
        services.AddMudServices(PortalClientServices.ConfigureMud);
        services.AddSingleton(TimeProvider.System);
        services.AddScoped(_ => new HttpClient { BaseAddress = baseAddress });
        services.AddScoped<INetworkClient, HttpNetworkClient>();
        services.AddScoped<IStudioClient, HttpStudioClient>();
        services.AddScoped<INetworkStatsClient, HttpNetworkStatsClient>();
        services.AddScoped<IAllocationClient, HttpAllocationClient>();
        services.AddScoped<IStakingClient, HttpStakingClient>();
        services.AddScoped<IRewardsClient, HttpRewardsClient>();
        services.AddScoped<IMintingClient, HttpMintingClient>();
        services.AddScoped<INftClient, HttpNftClient>();
        services.AddScoped<IProvenanceClient, HttpProvenanceClient>();
        services.AddScoped<IGovernanceClient, HttpGovernanceClient>();
        services.AddScoped<CreatorIdentity>();
        services.AddScoped<IAuthClient, HttpAuthClient>();
        services.AddScoped<IChainClient, HttpChainClient>();
        services.AddWalletAuthenticationState<WalletAuthenticationStateProvider>();
        services.AddWallet();
        return services;
    }
}
