using Heurist.Protocol.Api.Staking;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Heurist.Portal.Client.Features.Transactions;

public static class TransactionSetup
{
    /// <summary>
    /// The transaction flow and the contract reads, in every render mode; and the stake dialog's estimates, which
    /// know no history until a host registers its own <see cref="IStakeEstimates"/> first.
    /// </summary>
    public static IServiceCollection AddTransactions(this IServiceCollection services)
    {
        services.AddScoped<TransactionRunner>();
        services.AddScoped<ContractReader>();
        services.TryAddScoped<IStakeEstimates, NoStakeEstimates>();
        return services;
    }
}
