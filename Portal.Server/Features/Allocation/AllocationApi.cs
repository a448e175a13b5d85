using System.Globalization;
using Heurist.Portal.Server.Features.Stats;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;
using Microsoft.Net.Http.Headers;

namespace Heurist.Portal.Server.Features.Allocation;

/// <summary>
/// GET /api/governance/allocation?hours=: the model allocation now and its history, as JSON with a strong ETag and
/// Cache-Control: no-cache, so clients revalidate with If-None-Match (304).
/// </summary>
public static class AllocationApi
{
    public static IEndpointRouteBuilder MapAllocationApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/" + GovernanceRoutes.Allocation, GetAllocationAsync)
            .WithTags("Governance")
            .WithName("GetModelAllocation")
            .WithSummary("Each catalog model's voted, demand, target and actual share and online workers now, and the target and actual shares over the last hours.")
            .WithDescription($"hours is 1 to {GovernanceRoutes.MaxAllocationHours} (default {ModelAllocationHistory.DefaultHours}). "
                + "target = Alpha × voted + (1 − Alpha) × demand, scaled over the models an online worker can serve; the actual share is the part of online "
                + $"workers serving the model, from the queues they report. The history has at most {ModelAllocationHistory.MaxPointsPerModel} points per model.")
            .Produces<AllocationStatus>()
            .Produces(StatusCodes.Status304NotModified)
            .ProducesValidationProblem();
        return app;
    }

    private static async Task<IResult> GetAllocationAsync(HttpContext context, AllocationReader reader, string? hours, CancellationToken cancellationToken)
    {
        var span = ModelAllocationHistory.DefaultHours;
        if (hours is not null && !int.TryParse(hours, NumberStyles.None, CultureInfo.InvariantCulture, out span))
        {
            span = 0;
        }
        if (ModelAllocationHistory.Validate(span) is { IsValid: false } errors)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: ModelAllocationHistory.InvalidTitle);
        }
        return Answer(context, await reader.GetBodyAsync(span, cancellationToken));
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
