using Heurist.Portal.Server.Features.Auth;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Rewards;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Rewards;

/// <summary>
/// The settled epochs and every account's rewards as JSON (/api/rewards/epochs, /api/rewards/accounts/{address}), and
/// POST /api/rewards/settle, which runs settlement now (operators only outside Development, like the job dashboard).
/// </summary>
public static class RewardsApi
{
    public static IEndpointRouteBuilder MapRewardsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/rewards").WithTags("Rewards");

        api.MapGet("/epochs", async Task<Results<Ok<IReadOnlyList<RewardEpochSummary>>, ValidationProblem>> (
                int? limit, IRewardsClient rewards, CancellationToken cancellationToken) =>
                limit is < 1 or > RewardsRules.MaxEpochs
                    ? TypedResults.ValidationProblem(
                        new FieldErrors().Add("limit", $"limit must be between 1 and {RewardsRules.MaxEpochs}.").ToDictionary(), title: "The query is invalid.")
                    : TypedResults.Ok(await rewards.GetEpochsAsync(limit ?? RewardsRules.DefaultEpochs, cancellationToken)))
            .WithName("GetRewardEpochs")
            .WithSummary("The settled epochs, newest first: status (Computed, Posted, Empty), window in chain time, root, totals in wei, leaf count and the postRoot transaction.")
            .WithDescription($"limit: 1 to {RewardsRules.MaxEpochs} (default {RewardsRules.DefaultEpochs}).");

        api.MapGet("/epochs/{epoch}", GetEpochAsync)
            .WithName("GetRewardEpoch")
            .WithSummary("One epoch's totals and its whole Merkle tree as OpenZeppelin's StandardMerkleTree.dump() writes it (standard-v1), so StandardMerkleTree.load recomputes the posted root.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/accounts/{address}", GetAccountAsync)
            .WithName("GetRewardAccount")
            .WithSummary("An account's leaf in each epoch, with amounts in wei and whole tokens, its Merkle proof for RewardsDistributor.claim, and whether and in which transaction it was claimed.");

        var settle = api.MapPost("/settle", SettleAsync)
            .WithName("SettleEpochs")
            .WithSummary("Runs epoch settlement now: settles and posts every ended epoch not settled yet, and answers what it did with each.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        if (!app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            settle.RequireAuthorization(SessionSetup.AdminPolicy);
        }
        return app;
    }

    private static async Task<Results<Ok<RewardEpochTree>, ProblemHttpResult, ValidationProblem>> GetEpochAsync(
        string epoch, IRewardsClient rewards, CancellationToken cancellationToken)
    {
        if (!long.TryParse(epoch, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return TypedResults.ValidationProblem(
                new FieldErrors().Add("epoch", $"'{epoch}' is not an epoch number (0 or more).").ToDictionary(), title: "The epoch is invalid.");
        }
        return await rewards.GetEpochAsync(number, cancellationToken) is { } tree
            ? TypedResults.Ok(tree)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Epoch {number} is not settled.");
    }

    private static async Task<Results<Ok<RewardAccount>, ValidationProblem>> GetAccountAsync(
        string address, IRewardsClient rewards, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await rewards.GetAccountAsync(address, cancellationToken));
        }
        catch (ApiException refused) when (refused.Status == StatusCodes.Status400BadRequest)
        {
            return TypedResults.ValidationProblem(refused.Errors.ToDictionary(), title: refused.Title);
        }
    }

    private static async Task<Results<Ok<SettlementRun>, ProblemHttpResult>> SettleAsync(
        EpochSettler settler, IOptions<RewardsOptions> options, CancellationToken cancellationToken)
        => options.Value.Enabled
            ? TypedResults.Ok(await settler.RunAsync(cancellationToken))
            : TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: $"Epoch settlement is off: {RewardsOptions.SettlementKeySetting} is not set.");
}
