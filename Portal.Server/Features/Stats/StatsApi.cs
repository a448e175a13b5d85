using Heurist.Protocol.Api.Stats;
using Microsoft.Net.Http.Headers;

namespace Heurist.Portal.Server.Features.Stats;

/// <summary>
/// The network's numbers as JSON: /api/stats, /api/leaderboard and /api/miners/{id}. Every answer carries a strong
/// ETag and Cache-Control: no-cache, so clients and proxies may keep it and revalidate with If-None-Match (304).
/// </summary>
public static class StatsApi
{
    public static IEndpointRouteBuilder MapStatsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Stats");

        api.MapGet("/stats", async (HttpContext context, NetworkStatsService stats, CancellationToken cancellationToken)
                => Answer(context, await stats.GetStatsBodyAsync(cancellationToken)))
            .WithName("GetNetworkStats")
            .WithSummary("Requests, active GPUs, points, images, minted NFTs and stake; requests per hour over 7 days, each model's share and the top 10 GPU models.")
            .WithDescription("Computed from the rollup tables every Portal:StatsRefreshSeconds; asOf says when. Active means a heartbeat within the last 5 minutes.")
            .Produces<NetworkStats>()
            .Produces(StatusCodes.Status304NotModified);

        api.MapGet("/leaderboard", GetLeaderboardAsync)
            .WithName("GetLeaderboard")
            .WithSummary("One page of the miner leaderboard, sorted and filtered on the server.")
            .WithDescription("sort: points (default), points24h, points7d, jobs, latency, uptime24h, uptime7d, stake, efficiency, bribe, vram, miner, gpu or apr (expected APR, misses last). "
                + "desc: true (default) or false. gpu: an exact device name; model: a model id the miner serves; active: true or false; q: text the miner id contains (any case). "
                + $"page counts from 1; pageSize is 1 to {LeaderboardQuery.MaxPageSize} (default {LeaderboardQuery.DefaultPageSize}).")
            .Produces<LeaderboardPage>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem();

        api.MapGet("/miners/{id}", async (string id, HttpContext context, NetworkStatsService stats, CancellationToken cancellationToken)
                => await stats.GetMinerBodyAsync(id, cancellationToken) is { } body
                    ? Answer(context, body)
                    : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no miner {id}."))
            .WithName("GetMiner")
            .WithSummary("A miner's identity, device, models and leaderboard numbers, uptime sessions over 7 days, points and jobs per day over 30 days, latency distribution, stakers and bribe history.")
            .Produces<MinerDetails>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static async Task<IResult> GetLeaderboardAsync(
        HttpContext context,
        NetworkStatsService stats,
        string? sort,
        bool? desc,
        string? gpu,
        string? model,
        bool? active,
        int? page,
        int? pageSize,
        string? q,
        CancellationToken cancellationToken)
    {
        if (!LeaderboardQueryRules.TryParseSort(sort, out var sortKey))
        {
            return TypedResults.ValidationProblem(LeaderboardQueryRules.UnknownSort().ToDictionary(), title: LeaderboardQueryRules.InvalidTitle);
        }
        var query = new LeaderboardQuery(
            sortKey,
            desc ?? true,
            string.IsNullOrEmpty(gpu) ? null : gpu,
            string.IsNullOrEmpty(model) ? null : model,
            active,
            page ?? 1,
            pageSize ?? LeaderboardQuery.DefaultPageSize,
            string.IsNullOrWhiteSpace(q) ? null : q.Trim());
        if (LeaderboardQueryRules.Validate(query) is { IsValid: false } errors)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: LeaderboardQueryRules.InvalidTitle);
        }
        return Answer(context, await stats.GetLeaderboardBodyAsync(query, cancellationToken));
    }

    // If-None-Match compares tags weakly (RFC 9110 13.1.2): W/"x" matches "x".
    private static IResult Answer(HttpContext context, JsonBody body)
    {
        var headers = context.Response.Headers;
        headers.ETag = body.ETag;
        headers.CacheControl = "no-cache";
        var tags = context.Request.Headers.IfNoneMatch;
        if (tags.Count > 0 && EntityTagHeaderValue.TryParseList(tags, out var parsed)
            && parsed.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Tag == body.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(body.Utf8, "application/json");
    }
}
