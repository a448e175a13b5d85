using Heurist.Portal.Data;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Server.Features.Studio;

/// <summary>REST endpoints of the Studio: /api/models, /api/jobs, /api/images, and the progress hub at /hubs/jobs.</summary>
public static class StudioApi
{
    public static IEndpointRouteBuilder MapStudioApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Studio");

        api.MapGet("/models", (IStudioClient studio, CancellationToken cancellationToken) => studio.GetModelsAsync(cancellationToken))
            .WithName("GetModels")
            .WithSummary("The image models of the catalog, with their defaults and limits and the workers online serving each.");

        api.MapPost("/jobs", SubmitAsync)
            .WithName("SubmitImageJob")
            .WithSummary("Validates an image job spec and queues it on its model's queue. The creator is the " + CreatorIds.Header + " header.");

        api.MapGet("/jobs", async Task<Results<Ok<IReadOnlyList<ImageJobView>>, ValidationProblem>> (
                [FromQuery] string? creatorId, [FromQuery] int? limit, IStudioClient studio, CancellationToken cancellationToken) =>
            string.IsNullOrWhiteSpace(creatorId)
                ? TypedResults.ValidationProblem(new FieldErrors().Add(CreatorIds.Field, "creatorId is required.").ToDictionary())
                : TypedResults.Ok(await studio.GetGalleryAsync(creatorId, limit ?? 48, cancellationToken)))
            .WithName("GetGallery")
            .WithSummary("A creator's image jobs, newest first.");

        api.MapGet("/jobs/{id:guid}", async Task<Results<Ok<ImageJobView>, ProblemHttpResult>> (Guid id, IStudioClient studio, CancellationToken cancellationToken) =>
                await studio.GetJobAsync(id, cancellationToken) is { } job ? TypedResults.Ok(job) : NoSuchJob(id))
            .WithName("GetImageJob");

        api.MapPost("/jobs/{id:guid}/cancel", async Task<Results<Ok<ImageJobView>, ProblemHttpResult>> (Guid id, IStudioClient studio, CancellationToken cancellationToken) =>
                await studio.CancelAsync(id, cancellationToken) is { } job ? TypedResults.Ok(job) : NoSuchJob(id))
            .WithName("CancelImageJob")
            .WithSummary("Cancels a queued job at once, or asks its worker to stop a running one.");

        api.MapGet("/images/{file}", GetImageAsync)
            .WithName("GetImage")
            .WithSummary("A generated PNG by its sha256 (/api/images/<sha256>.png); ?download=true asks the browser to save it.");

        app.MapHub<JobProgressHub>("/hubs/jobs");
        return app;
    }

    private static async Task<Results<Created<ImageJobView>, ValidationProblem>> SubmitAsync(
        ImageJobSpec? spec, HttpRequest request, StudioService studio, CancellationToken cancellationToken)
    {
        var creatorId = request.Headers[CreatorIds.Header].ToString();
        if (studio.Validate(creatorId, spec) is { IsValid: false } errors)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: StudioService.InvalidTitle);
        }
        var job = await studio.SubmitAsync(creatorId, spec!, cancellationToken);
        return TypedResults.Created($"/api/jobs/{job.Id}", job);
    }

    private static async Task<IResult> GetImageAsync(string file, bool? download, HttpContext http, IDbContextFactory<PortalDbContext> databases, CancellationToken cancellationToken)
    {
        var sha256 = file.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? file[..^4] : file;
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Images are addressed by their lowercase sha256: /api/images/<64 hex digits>.png.");
        }
        var etag = $"\"{sha256}\"";
        if (http.Request.Headers.IfNoneMatch.Contains(etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var png = await db.Images.AsNoTracking().Where(i => i.Sha256 == sha256).Select(i => i.Png).SingleOrDefaultAsync(cancellationToken);
        if (png is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no image {sha256}.");
        }
        // The address is the content's hash, so the content never changes.
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.File(png, "image/png", download == true ? $"heurist-{sha256[..12]}.png" : null);
    }

    private static ProblemHttpResult NoSuchJob(Guid id)
        => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no image job {id}.");
}

/// <summary>Streams an image job's progress to the browser: one view per change, until it finishes.</summary>
public sealed class JobProgressHub(IStudioClient studio) : Hub
{
    public IAsyncEnumerable<ImageJobView> Watch(Guid jobId, CancellationToken cancellationToken) => studio.WatchAsync(jobId, cancellationToken);
}
