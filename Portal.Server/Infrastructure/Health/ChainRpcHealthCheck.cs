using Heurist.Contracts.Rpc;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Heurist.Portal.Server.Infrastructure.Health;

/// <summary>Ready only when the chain's JSON-RPC endpoint answers eth_chainId and eth_blockNumber.</summary>
public sealed class ChainRpcHealthCheck(EthereumRpcClient rpc) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            var calls = await rpc.BatchAsync([("eth_chainId", []), ("eth_blockNumber", [])], timeout.Token);
            var chainId = EthereumRpcClient.ParseQuantity(calls[0]);
            var block = EthereumRpcClient.ParseQuantity(calls[1]);
            return HealthCheckResult.Healthy($"chain {chainId} at block {block} ({rpc.Endpoint})");
        }
        catch (RpcException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{rpc.Endpoint} did not answer within 3 s");
        }
    }
}
