using Heurist.Portal.Data.Images;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heurist.Portal.Server.Tests.Features.Studio;

/// <summary>Watching a job's progress tells its worker that someone is looking, so that it renders previews.</summary>
public sealed class StudioWatchTests(PortalApp portal) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task Watching_a_running_job_marks_it_watched_for_the_next_seconds()
    {
        var ct = TestContext.Current.CancellationToken;
        var jobId = await AddJobAsync(ImageJobState.Running, ct);
        await using var scope = portal.Services.CreateAsyncScope();
        var studio = scope.ServiceProvider.GetRequiredService<IStudioClient>();

        await foreach (var view in studio.WatchAsync(jobId, ct))
        {
            Assert.Equal(ImageJobState.Running, view.State);
            break;
        }

        var watchedUntil = await WatchedUntilAsync(jobId, ct);
        Assert.NotNull(watchedUntil);
        Assert.InRange(watchedUntil.Value, DateTimeOffset.UtcNow.AddSeconds(5), DateTimeOffset.UtcNow.AddSeconds(16));
    }

    [Fact]
    public async Task Watching_a_finished_job_does_not_mark_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var jobId = await AddJobAsync(ImageJobState.Succeeded, ct);
        await using var scope = portal.Services.CreateAsyncScope();
        var studio = scope.ServiceProvider.GetRequiredService<IStudioClient>();

        var views = new List<ImageJobView>();
        await foreach (var view in studio.WatchAsync(jobId, ct))
        {
            views.Add(view);
        }

        Assert.Equal(ImageJobState.Succeeded, Assert.Single(views).State);
        Assert.Null(await WatchedUntilAsync(jobId, ct));
    }

    private async Task<Guid> AddJobAsync(ImageJobState state, CancellationToken ct)
    {
        var job = new ImageJob
        {
            Id = Guid.NewGuid(),
            CreatorId = "creator-watch-tests",
            CreatedAt = DateTimeOffset.UtcNow,
            Prompt = "a lighthouse at dawn",
            NegativePrompt = "",
            ModelId = "sd15",
            Width = 512,
            Height = 512,
            Steps = 20,
            Guidance = 7,
            Seed = 42,
            Scheduler = "euler",
            State = state,
            ProgressStep = 3,
        };
        await using var db = PostgresFixture.CreateContext(portal.ConnectionString);
        db.ImageJobs.Add(job);
        await db.SaveChangesAsync(ct);
        return job.Id;
    }

    private async Task<DateTimeOffset?> WatchedUntilAsync(Guid jobId, CancellationToken ct)
    {
        await using var db = PostgresFixture.CreateContext(portal.ConnectionString);
        return await db.ImageJobs.AsNoTracking().Where(j => j.Id == jobId).Select(j => j.WatchedUntil).SingleAsync(ct);
    }
}
