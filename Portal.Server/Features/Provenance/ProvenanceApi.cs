using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Provenance;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Heurist.Portal.Server.Features.Provenance;

/// <summary>
/// Re-runs of an image's recorded recipe: POST /api/images/{sha256}/verify queues one, GET /api/verifications/{id}
/// follows it, GET /api/images/{sha256}/verifications lists an image's.
/// </summary>
public static class ProvenanceApi
{
    public static IEndpointRouteBuilder MapProvenanceApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/").WithTags("Provenance");

        api.MapPost(ProvenanceRoutes.Verify("{sha256}"), RequestAsync)
            .WithName("VerifyImage")
            .WithSummary("Queues a re-run of the image's recorded recipe on a worker with the recorded model files, or answers 'cannot verify' at once when none is online.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapGet("api/verifications/{id:guid}", async Task<Results<Ok<VerificationView>, ProblemHttpResult>> (
                Guid id, IProvenanceClient provenance, CancellationToken cancellationToken) =>
                await provenance.GetVerificationAsync(id, cancellationToken) is { } view
                    ? TypedResults.Ok(view)
                    : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no verification {id}."))
            .WithName("GetVerification")
            .WithSummary("A verification: Queued, Running, Identical, Different (both hashes and the environment fields that differed) or CannotVerify (and why).");

        api.MapGet(ProvenanceRoutes.Verifications("{sha256}"), ListAsync)
            .WithName("GetImageVerifications")
            .WithSummary($"An image's verifications, newest first (at most {ProvenanceService.ListLimit}).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Accepted<VerificationView>, ProblemHttpResult>> RequestAsync(
        string sha256, IProvenanceClient provenance, CancellationToken cancellationToken)
    {
        try
        {
            var view = await provenance.RequestVerificationAsync(sha256, cancellationToken);
            return TypedResults.Accepted($"/{ProvenanceRoutes.Verification(view.Id)}", view);
        }
        catch (ApiException refused) when (refused.Status is StatusCodes.Status404NotFound or StatusCodes.Status409Conflict)
        {
            return TypedResults.Problem(statusCode: refused.Status, title: refused.Title);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<VerificationView>>, ProblemHttpResult>> ListAsync(
        string sha256, IProvenanceClient provenance, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await provenance.ListVerificationsAsync(sha256, cancellationToken));
        }
        catch (ApiException refused) when (refused.Status == StatusCodes.Status404NotFound)
        {
            return TypedResults.Problem(statusCode: refused.Status, title: refused.Title);
        }
    }
}
