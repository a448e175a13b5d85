using Hangfire;
using Hangfire.States;
using Heurist.Inference.Worker.Mining;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Jobs;
using Heurist.Protocol.Jobs;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heurist.Inference.Worker.Tests.Mining;

/// <summary>A running worker process follows the portal's assignment: its Hangfire queues change without a restart.</summary>
[Integration]
public sealed class QueueSwitchTests(PostgresFixture postgres, TinyModelsFixture tiny)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_new_assignment_switches_the_queues_without_a_restart_after_the_running_job_finishes()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("queueswitch");
        using var host = TestWorkerHost.Build(database, new Dictionary<string, string?>
        {
            ["Worker:ModelsPath"] = tiny.Folder,
            ["Worker:Models:0"] = "sd15",
            ["Worker:Models:1"] = "sdxl",
            ["Worker:CpuThreads"] = "2",
            ["Worker:QueuePollMilliseconds"] = "50",
        });
        await host.StartAsync(ct);
        try
        {
            var registry = host.Services.GetRequiredService<MinerRegistry>();
            var assignment = host.Services.GetRequiredService<QueueAssignment>();
            var storage = host.Services.GetRequiredService<JobStorage>();
            var jobs = new BackgroundJobClient(storage);
            var minerId = registry.MinerId;
            var startedAt = await StartedAtAsync(database, minerId, ct);

            // Without an assignment it serves every model it holds.
            await WaitForQueuesAsync(database, minerId, ["default", "sd15", "sdxl"], ct);
            await AssignAsync(database, minerId, ["sd15"], ct);
            await WaitForQueuesAsync(database, minerId, ["default", "sd15"], ct);

            // An sdxl job waits, unserved; an sd15 job is taken and held mid-run: its first write waits for a row lock.
            var waiting = await AddJobAsync(database, "sdxl", ct);
            Enqueue(jobs, waiting, "sdxl");
            var running = await AddJobAsync(database, "sd15", ct);
            await using (var holder = PostgresFixture.CreateContext(database))
            {
                await using var hold = await holder.Database.BeginTransactionAsync(ct);
                await holder.Database.ExecuteSqlAsync($"SELECT id FROM image_jobs WHERE id = {running} FOR UPDATE", ct);
                var hangfireId = Enqueue(jobs, running, "sd15");
                await WaitUntilAsync(() => Task.FromResult(StateOf(storage, hangfireId) == ProcessingState.StateName), "the sd15 job to be taken", ct);

                // The portal moves this worker to sdxl while the sd15 job runs.
                await AssignAsync(database, minerId, ["sdxl"], ct);
                await WaitUntilAsync(() => Task.FromResult(assignment.Draining is not null), "the switch to start", ct);
                // Longer than Hangfire's default StopTimeout (0.5 s), after which a stopping server cancels its running jobs.
                await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
                Assert.Equal(["default", "sd15"], assignment.Serving);
                // Finishing comes first: the sdxl job is not started beside it, so Worker:Concurrency (1) holds.
                Assert.Equal(ImageJobState.Queued, (await LoadAsync(database, waiting, ct)).State);
                await hold.RollbackAsync(ct);
            }

            // The running job finishes, in its first and only run, on this worker.
            var finished = await WaitForStateAsync(database, running, ImageJobState.Succeeded, ct);
            Assert.Equal((1, minerId), (finished.Attempts, finished.MinerId));
            // The newly assigned model's job is taken.
            await WaitForStateAsync(database, waiting, ImageJobState.Succeeded, ct);
            await WaitForQueuesAsync(database, minerId, ["default", "sdxl"], ct);
            Assert.Null(assignment.Draining);

            // The dropped model's next job is not taken. Hangfire.PostgreSql fetches by queue name, and "sd15" sorts
            // before "sdxl": a worker serving both would take the sd15 job first.
            var dropped = await AddJobAsync(database, "sd15", ct);
            var droppedHangfireId = Enqueue(jobs, dropped, "sd15");
            var later = await AddJobAsync(database, "sdxl", ct);
            Enqueue(jobs, later, "sdxl");
            await WaitForStateAsync(database, later, ImageJobState.Succeeded, ct);
            Assert.Equal(ImageJobState.Queued, (await LoadAsync(database, dropped, ct)).State);
            Assert.Equal(EnqueuedState.StateName, StateOf(storage, droppedHangfireId));

            // All of it in one process: the same run, registered once.
            await using var db = PostgresFixture.CreateContext(database);
            var miner = await db.Miners.AsNoTracking().SingleAsync(m => m.Id == minerId, ct);
            Assert.Equal((registry.InstanceId, startedAt), (miner.InstanceId, miner.StartedAt));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static string Enqueue(BackgroundJobClient jobs, Guid imageJobId, string queue)
        => jobs.Create<IImageGenerationJob>(job => job.RunAsync(imageJobId, CancellationToken.None), new EnqueuedState(queue));

    private static string? StateOf(JobStorage storage, string hangfireJobId)
    {
        using var connection = storage.GetConnection();
        return connection.GetStateData(hangfireJobId)?.Name;
    }

    private static async Task<Guid> AddJobAsync(string database, string modelId, CancellationToken ct)
    {
        var job = new ImageJob
        {
            Id = Guid.NewGuid(),
            CreatorId = "switch-test",
            CreatedAt = DateTimeOffset.UtcNow,
            Prompt = "a lighthouse at dawn",
            NegativePrompt = "",
            ModelId = modelId,
            Width = 256,
            Height = 256,
            Steps = 4,
            Guidance = 7,
            Seed = 42,
            Scheduler = "euler",
            State = ImageJobState.Queued,
        };
        await using var db = PostgresFixture.CreateContext(database);
        db.ImageJobs.Add(job);
        await db.SaveChangesAsync(ct);
        return job.Id;
    }

    private static async Task<ImageJob> LoadAsync(string database, Guid id, CancellationToken ct)
    {
        await using var db = PostgresFixture.CreateContext(database);
        return await db.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == id, ct);
    }

    private static async Task<ImageJob> WaitForStateAsync(string database, Guid id, ImageJobState state, CancellationToken ct)
    {
        ImageJob? job = null;
        await WaitUntilAsync(async () => (job = await LoadAsync(database, id, ct)).State == state, $"job {id} to reach {state}", ct);
        return job!;
    }

    private static async Task AssignAsync(string database, string minerId, List<string> models, CancellationToken ct)
    {
        await using var db = PostgresFixture.CreateContext(database);
        await db.Miners.Where(m => m.Id == minerId)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.AssignedModels, models).SetProperty(m => m.AssignedAt, DateTimeOffset.UtcNow), ct);
    }

    private static async Task<DateTimeOffset> StartedAtAsync(string database, string minerId, CancellationToken ct)
    {
        await using var db = PostgresFixture.CreateContext(database);
        return (await db.Miners.AsNoTracking().SingleAsync(m => m.Id == minerId, ct)).StartedAt;
    }

    private static Task WaitForQueuesAsync(string database, string minerId, string[] queues, CancellationToken ct)
        => WaitUntilAsync(async () =>
        {
            await using var db = PostgresFixture.CreateContext(database);
            var miner = await db.Miners.AsNoTracking().SingleAsync(m => m.Id == minerId, ct);
            return WorkerQueues.SameQueues(miner.Queues, queues);
        }, $"the miner to serve {string.Join(", ", queues)}", ct);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Gave up waiting for {what}.");
            await Task.Delay(50, ct);
        }
    }
}
