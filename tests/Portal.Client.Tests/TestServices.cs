using Bunit;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Shared;
using Heurist.Portal.Client.Tests.Features.Minting;
using Heurist.Portal.Client.Tests.Features.Provenance;
using Heurist.Portal.Client.Tests.Features.Stats;
using Heurist.Portal.Client.Tests.Features.Wallet;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Chain;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Network;
using Heurist.Protocol.Api.Provenance;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;

namespace Heurist.Portal.Client.Tests;

/// <summary>
/// The services every component test needs: MudBlazor, loose JS interop, a fixed clock, an in-memory network, and the
/// wallet (the layout's account menu) with an in-memory session and chain.
/// </summary>
internal static class TestServices
{
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The reward address every sample miner and worker pays to.</summary>
    public const string RewardAddress = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    /// <remarks>
    /// Pass renderPopoverProvider: false when testing the layout, which has its own provider. A page's own services
    /// go in through <paramref name="configure"/>, which runs before the service provider is built.
    /// </remarks>
    public static (FakeTimeProvider Clock, InMemoryNetworkClient Network) AddTestServices(
        this BunitContext context, bool renderPopoverProvider = true, Action<IServiceCollection>? configure = null)
    {
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Services.AddMudServices();
        var clock = new FakeTimeProvider(Now);
        var network = new InMemoryNetworkClient(clock);
        context.Services.AddSingleton<TimeProvider>(clock);
        context.Services.AddSingleton<INetworkClient>(network);
        configure?.Invoke(context.Services);
        // After the test's own: a wallet test passes its in-memory clients to watch them.
        context.Services.TryAddSingleton<IAuthClient>(new InMemoryAuthClient());
        context.Services.TryAddSingleton<IChainClient>(new InMemoryChainClient());
        context.Services.TryAddScoped<CreatorIdentity>();
        // Images show a mint button (or their NFT's badge) wherever they appear.
        context.Services.TryAddSingleton<IMintingClient>(new InMemoryMintingClient());
        context.Services.TryAddSingleton<INftClient>(new InMemoryNftClient());
        context.Services.TryAddSingleton<IProvenanceClient>(new InMemoryProvenanceClient());
        // The Stats page shows the model allocation.
        context.Services.TryAddSingleton<IAllocationClient>(new InMemoryAllocationClient());
        context.Services.AddWalletAuthenticationState<WalletAuthenticationStateProvider>();
        context.Services.AddWallet();
        // Reaching the renderer builds the service provider, so this comes after every registration.
        context.Renderer.SetRendererInfo(new RendererInfo("WebAssembly", isInteractive: true));
        // Tooltips and menus render into the popover provider, which lives in the layout.
        if (renderPopoverProvider)
        {
            context.Render<MudPopoverProvider>();
        }
        return (clock, network);
    }
}
