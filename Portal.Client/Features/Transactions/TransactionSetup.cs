using Heurist.Portal.Client.Features.Staking;
using Heurist.Protocol.Api.Staking;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Heurist.Portal.Client.Features.Transactions;

public static class TransactionSetup
{
    /// <summary>
    /// The transaction flow and the contract reads, in every render mode (both hosts call this through AddWallet);
    /// and the stake dialog's what-if, <see cref="OutlookStakeEstimates"/>, transient so that each dialog keeps its
    /// own reads of the miner and the account, unless a host registered another <see cref="IStakeEstimates"/> first.
    /// </summary>
    public static IServiceCollection AddTransactions(this IServiceCollection services)
    {
        services.AddScoped<TransactionRunner>();
        services.AddScoped<ContractReader>();
        services.TryAddTransient<IStakeEstimates, OutlookStakeEstimates>();
        return services;
    }
}
