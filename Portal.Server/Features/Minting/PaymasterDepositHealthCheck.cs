using System.Numerics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Heurist.Portal.Server.Features.Minting;

/// <summary>Degraded when the paymaster's EntryPoint deposit is below Minting:LowDepositEth: sponsored mints will soon fail.</summary>
public sealed class PaymasterDepositHealthCheck(MintingChain chain) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (chain.Unavailable() is { } off)
        {
            return HealthCheckResult.Healthy(off);
        }
        BigInteger deposit;
        try
        {
            deposit = await chain.EntryPoint.BalanceOfAsync(chain.Manifest.Contracts.HeuristPaymaster).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (Contracts.Rpc.ChainRpc.IsRpcFailure(ex))
        {
            return HealthCheckResult.Degraded("The paymaster's deposit cannot be read: the chain does not answer.");
        }
        var eth = (double)((decimal)deposit / 1_000_000_000_000_000_000m);
        var data = new Dictionary<string, object> { ["depositEth"] = eth, ["lowDepositEth"] = chain.Options.LowDepositEth };
        return eth < chain.Options.LowDepositEth
            ? HealthCheckResult.Degraded($"The paymaster's EntryPoint deposit is {eth:0.####} ETH, below {chain.Options.LowDepositEth} ETH: top it up (EntryPoint.depositTo) before sponsored mints fail.", data: data)
            : HealthCheckResult.Healthy($"The paymaster's EntryPoint deposit is {eth:0.####} ETH.", data);
    }
}
