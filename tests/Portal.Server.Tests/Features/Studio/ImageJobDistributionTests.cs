using System.Net.Http.Json;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Server.Tests.Features.Studio;

/// <summary>Jobs through the portal, Hangfire on PostgreSQL and real worker processes: shared queues and dead workers.</summary>
public sealed class ImageJobDistributionTests(PortalApp portal, TinyModelsFixture tiny) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task Four_workers_sharing_one_queue_run_a_hundred_jobs_each_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var workers = Enumerable.Range(1, 4).Select(i => WorkerProcesses.Start(portal.ConnectionString, $"shared-queue-{i}", tiny.Folder, "sd15")).ToList();
        try
        {
            var client = portal.CreateClient();
            await Readiness.WaitUntilAsync(async () => (await client.GetFromJsonAsync<List<StudioModel>>("/api/models", ct))!
                .Single(m => m.Id == "sd15").WorkersOnline == 4, workers, TimeSpan.FromMinutes(2), cancellationToken: ct);

            var submitted = new List<Guid>();
            for (var i = 0; i < 100; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs")
                {
                    Content = JsonContent.Create(new ImageJobSpec { Prompt = $"job {i}", ModelId = "sd15", Width = 256, Height = 256, Steps = 4, Seed = i }),
                };
                request.Headers.Add(CreatorIds.Header, "four-workers-test");
                using var response = await client.SendAsync(request, ct);
                submitted.Add((await response.Content.ReadFromJsonAsync<ImageJobView>(ct))!.Id);
            }

            await using var db = PostgresFixture.CreateContext(portal.ConnectionString);
            await Readiness.WaitUntilAsync(
                async () => await db.ImageJobs.CountAsync(j => submitted.Contains(j.Id) && j.State == ImageJobState.Succeeded, ct) == 100,
                workers, TimeSpan.FromMinutes(5), cancellationToken: ct);

            var jobs = await db.ImageJobs.AsNoTracking().Where(j => submitted.Contains(j.Id)).ToListAsync(ct);
            Assert.All(jobs, j => Assert.Equal(1, j.Attempts));
            Assert.Equal(100, await db.PointsCredits.CountAsync(c => submitted.Contains(c.JobId), ct));
            // The queue was shared: more than one worker took jobs from it.
            Assert.True(jobs.Select(j => j.MinerId).Distinct().Count() > 1, "One worker ran every job.");

            // The portal and the workers kept the rollups as they went: they match a recount of the rows.
            var recount = await RollupRecount.CountAsync(db, ct);
            var rollups = await RollupRecount.ReadRollupsAsync(db, ct);
            Assert.Equal(recount.NetworkHours, rollups.NetworkHours);
            Assert.Equal(recount.MinerHours, rollups.MinerHours);
            Assert.Equal(recount.LatencyDays, rollups.LatencyDays);
            Assert.Equal(recount.Totals, rollups.Totals);
            Assert.True(rollups.NetworkHours.Sum(h => h.ImagesGenerated) >= 100);
        }
        finally
        {
            foreach (var worker in workers)
            {
                await worker.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_job_whose_worker_is_killed_mid_render_completes_on_another_worker()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = WorkerProcesses.Start(portal.ConnectionString, "killed-worker", tiny.Folder, "sdxl", abandonedJobSeconds: 3);
        ChildProcess? second = null;
        try
        {
            var client = portal.CreateClient();
            await Readiness.WaitUntilAsync(async () => (await client.GetFromJsonAsync<List<StudioModel>>("/api/models", ct))!
                .Single(m => m.Id == "sdxl").WorkersOnline >= 1, [first], TimeSpan.FromMinutes(2), cancellationToken: ct);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs")
            {
                Content = JsonContent.Create(new ImageJobSpec { Prompt = "survives a crash", ModelId = "sdxl", Width = 1536, Height = 1536, Steps = 50, Seed = 5 }),
            };
            request.Headers.Add(CreatorIds.Header, "killed-worker-test");
            using var response = await client.SendAsync(request, ct);
            var jobId = (await response.Content.ReadFromJsonAsync<ImageJobView>(ct))!.Id;

            await using var db = PostgresFixture.CreateContext(portal.ConnectionString);
            await Readiness.WaitUntilAsync(async () => await db.ImageJobs.AnyAsync(j => j.Id == jobId && j.ProgressStep > 0, ct), [first], TimeSpan.FromMinutes(2), cancellationToken: ct);
            using (var process = System.Diagnostics.Process.GetProcessById(first.ProcessId))
            {
                process.Kill();
            }
            second = WorkerProcesses.Start(portal.ConnectionString, "rescue-worker", tiny.Folder, "sdxl", abandonedJobSeconds: 3);

            await Readiness.WaitUntilAsync(
                async () => await db.ImageJobs.AnyAsync(j => j.Id == jobId && j.State == ImageJobState.Succeeded, ct), [second], TimeSpan.FromMinutes(3), cancellationToken: ct);
            var job = await db.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
            Assert.Equal("rescue-worker", job.MinerId);
            Assert.Equal(2, job.Attempts);
            Assert.Equal(1, await db.PointsCredits.CountAsync(c => c.JobId == jobId, ct));
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }
}
