using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Staking;

namespace Heurist.Portal.Server.Features.Staking;

/// <summary>GET /api/staking/accounts/{address}: what the My staking page shows, from the indexer's tables.</summary>
public static class StakingApi
{
    public static IEndpointRouteBuilder MapStakingApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/staking/accounts/{address}", async Task<IResult> (string address, IStakingClient staking, HttpContext context, CancellationToken cancellationToken) =>
            {
                try
                {
                    var account = await staking.GetAccountAsync(address, cancellationToken);
                    context.Response.Headers.CacheControl = "no-store";
                    return TypedResults.Ok(account);
                }
                catch (ApiException ex) when (ex.Status == StatusCodes.Status400BadRequest)
                {
                    return TypedResults.ValidationProblem(ex.Errors.ToDictionary(), title: ex.Title);
                }
            })
            .WithTags("Staking")
            .WithName("GetStakingAccount")
            .WithSummary("An account's stake per miner and kind, its HEU unstake requests still to withdraw, and its stake at the end of each epoch; amounts in wei as decimal strings.")
            .WithDescription("From the chain indexer's tables: indexedBlock is the next block the indexer will read, so every earlier block is included.")
            .Produces<StakingAccount>()
            .ProducesValidationProblem();
        return app;
    }
}
