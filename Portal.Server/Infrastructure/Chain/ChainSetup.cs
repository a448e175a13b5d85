using System.ComponentModel.DataAnnotations;
using Heurist.Contracts.Rpc;
using Heurist.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Infrastructure.Chain;

/// <summary>The chain the portal reads and writes (section "Chain").</summary>
public sealed class ChainOptions
{
    public const string Section = "Chain";

    public const string RpcUrlSetting = "Chain:RpcUrl";

    /// <summary>JSON-RPC endpoint of an EVM node.</summary>
    [Required(ErrorMessage = "Chain:RpcUrl is not set: give the JSON-RPC URL of an EVM node (for example http://127.0.0.1:8545).")]
    public Uri? RpcUrl { get; set; }
}

public static class ChainSetup
{
    public static IServiceCollection AddChain(this IServiceCollection services)
    {
        services.AddOptions<ChainOptions>()
            .BindConfiguration(ChainOptions.Section)
            .ValidateDataAnnotations()
            .Validate(
                options => options.RpcUrl is null || (options.RpcUrl.IsAbsoluteUri && options.RpcUrl.Scheme is "http" or "https"),
                "Chain:RpcUrl must be an absolute http:// or https:// URL.")
            .ValidateOnStart();

        // One long-lived client without the default retry handler: callers of the chain decide how to retry
        // (the indexer resumes from its cursor), and a start-up check must fail fast on an unreachable node.
        services.AddSingleton(provider => new EthereumRpcClient(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = TimeSpan.FromSeconds(10) },
            provider.GetRequiredService<IOptions<ChainOptions>>().Value.RpcUrl!));

        services.AddStartupCheck(ChainOptions.RpcUrlSetting, async (provider, cancellationToken) =>
            await provider.GetRequiredService<EthereumRpcClient>().GetChainIdAsync(cancellationToken));
        return services;
    }
}
