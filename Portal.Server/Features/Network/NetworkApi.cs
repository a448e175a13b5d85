using Heurist.Protocol.Api.Network;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Heurist.Portal.Server.Features.Network;

/// <summary>REST endpoints for the live state of the network: /api/network/…</summary>
public static class NetworkApi
{
    public static IEndpointRouteBuilder MapNetworkApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/network").WithTags("Network");

        api.MapGet("/workers", (INetworkClient network, CancellationToken cancellationToken)
                => network.GetOnlineWorkersAsync(cancellationToken))
            .WithName("GetOnlineWorkers")
            .WithSummary("Workers whose last heartbeat is within Portal:OnlineWindowSeconds, ordered by miner id.");

        api.MapGet("/queues", (INetworkClient network, CancellationToken cancellationToken)
                => network.GetQueuesAsync(cancellationToken))
            .WithName("GetQueues")
            .WithSummary("Each job queue with its waiting and running jobs and the online workers serving it.");

        api.MapPost("/probes", StartProbeAsync)
            .WithName("StartProbe")
            .WithSummary("Enqueues a no-op job on a queue, to measure how soon a worker picks it up.");

        api.MapGet("/probes/{id:guid}", GetProbeAsync)
            .WithName("GetProbe")
            .WithSummary("A probe and, once a worker has run it, which miner did and when.");

        return app;
    }

    private static async Task<Results<Created<ProbeStatus>, ValidationProblem>> StartProbeAsync(
        StartProbeRequest? request, INetworkClient network, CancellationToken cancellationToken)
    {
        if (StartProbeRequestRules.Validate(request) is { IsValid: false } errors)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: StartProbeRequestRules.InvalidTitle);
        }
        var probe = await network.StartProbeAsync(request!, cancellationToken);
        return TypedResults.Created($"/api/network/probes/{probe.Id}", probe);
    }

    private static async Task<Results<Ok<ProbeStatus>, ProblemHttpResult>> GetProbeAsync(
        Guid id, INetworkClient network, CancellationToken cancellationToken)
        => await network.GetProbeAsync(id, cancellationToken) is { } probe
            ? TypedResults.Ok(probe)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no probe {id}.");
}
