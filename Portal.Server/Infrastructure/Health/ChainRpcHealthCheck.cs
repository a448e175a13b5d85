using Heurist.Contracts.Rpc;
using Heurist.Portal.Server.Infrastructure.Chain;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Nethereum.Web3;

namespace Heurist.Portal.Server.Infrastructure.Health;

/// <summary>Ready only when the chain's JSON-RPC endpoint answers eth_chainId and eth_blockNumber (one batch).</summary>
public sealed class ChainRpcHealthCheck(IWeb3 web3, IOptions<ChainOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var endpoint = options.Value.RpcUrl!;
        try
        {
            var (chainId, block) = await ChainRpc.ChainIdAndBlockNumberAsync(web3).WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy($"chain {chainId} at block {block} ({endpoint})");
        }
        catch (Exception ex) when (ChainRpc.IsRpcFailure(ex))
        {
            return HealthCheckResult.Unhealthy(ChainRpc.Describe(endpoint, ex));
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"{endpoint} did not answer within 3 s");
        }
    }
}
