using System.Collections.Concurrent;
using System.Diagnostics;
using Heurist.Inference.Worker.Diffusion.Pipelines;
using Heurist.Inference.Worker.Jobs;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Heurist.Inference.Worker.Tests.Jobs;

/// <summary>The progress reporter on its own, fed by a stand-in for the pipeline that reports a step every few milliseconds.</summary>
[Integration]
public sealed class ProgressReporterTests(PostgresFixture postgres)
{
    private const int Steps = 50;

    [Fact]
    public async Task Steps_reported_faster_than_they_can_be_written_are_merged_into_a_few_writes_ending_on_the_last_step()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("progressmerged");
        var jobId = await ImageGenerationJobTests.AddJobAsync(database, "sd15", 256, 256, Steps, "euler");
        using var cancel = new CancellationTokenSource();
        var pipeline = new StandInPipeline();

        var run = Stopwatch.StartNew();
        var reporter = new ProgressReporter(PostgresFixture.CreateFactory(database), jobId, watched: false, TimeProvider.System, cancel, NullLogger.Instance);
        pipeline.Run(reporter, stepTime: TimeSpan.FromMilliseconds(2));
        await reporter.FlushAsync();
        var elapsed = run.Elapsed;

        // Without previews, a write waits 200 ms after the one before; only the first and the last do not.
        Assert.InRange(reporter.Writes, 1, 2 + (int)(elapsed / TimeSpan.FromMilliseconds(200)));
        Assert.Empty(pipeline.Captured);
        Assert.False(cancel.IsCancellationRequested);
        await using var db = PostgresFixture.CreateContext(database);
        var job = await db.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
        Assert.Equal(Steps, job.ProgressStep);
        Assert.Null(job.Preview);
    }

    [Fact]
    public async Task Previews_start_once_a_write_reads_back_a_watcher_and_are_drawn_off_the_denoising_thread()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("progresswatched");
        var jobId = await ImageGenerationJobTests.AddJobAsync(database, "sd15", 256, 256, Steps, "euler", watchedUntil: DateTimeOffset.UtcNow.AddMinutes(5));
        using var cancel = new CancellationTokenSource();
        var pipeline = new StandInPipeline();

        // The run starts as if nobody watched yet: its first write reads back that someone does.
        var reporter = new ProgressReporter(PostgresFixture.CreateFactory(database), jobId, watched: false, TimeProvider.System, cancel, NullLogger.Instance);
        // The stand-in waits after step 1 for that first write (a first connection may take longer than the run's
        // other 49 steps on a busy machine), so later steps are reported with the watcher known.
        pipeline.Run(reporter, stepTime: TimeSpan.FromMilliseconds(10), afterFirstStep: () =>
            Assert.True(SpinWait.SpinUntil(() => reporter.Writes >= 1, TimeSpan.FromSeconds(30)), "The first progress write never happened."));
        await reporter.FlushAsync();

        Assert.NotEmpty(pipeline.Captured);
        Assert.DoesNotContain(1, pipeline.Captured.Select(c => c.Step));
        Assert.All(pipeline.Captured, c => Assert.Equal(0, c.Step % (Steps / 10)));
        Assert.All(pipeline.Captured, c => Assert.Equal(pipeline.ThreadId, c.ThreadId));
        Assert.NotEmpty(pipeline.Drawn);
        Assert.All(pipeline.Drawn, d => Assert.NotEqual(pipeline.ThreadId, d.ThreadId));
        Assert.InRange(pipeline.Drawn.Count, 1, pipeline.Captured.Count);
        await using var db = PostgresFixture.CreateContext(database);
        var job = await db.ImageJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
        Assert.Equal(Steps, job.ProgressStep);
        // The last preview drawn is the one stored; the final write brings none.
        Assert.Equal(StandInPipeline.Preview(pipeline.Drawn.OrderBy(d => d.Step).Last().Step), job.Preview);
    }

    /// <summary>Reports the steps of a run on the calling thread, and notes which previews were copied and drawn, and where.</summary>
    private sealed class StandInPipeline
    {
        public int ThreadId { get; private set; }

        public ConcurrentQueue<(int Step, int ThreadId)> Captured { get; } = new();

        public ConcurrentQueue<(int Step, int ThreadId)> Drawn { get; } = new();

        public static byte[] Preview(int step) => [0x89, (byte)step];

        public void Run(ProgressReporter reporter, TimeSpan stepTime, Action? afterFirstStep = null)
        {
            ThreadId = Environment.CurrentManagedThreadId;
            for (var step = 1; step <= Steps; step++)
            {
                Thread.Sleep(stepTime);
                var current = step;
                reporter.Report(new DenoiseProgress(current, Steps, () =>
                {
                    Captured.Enqueue((current, Environment.CurrentManagedThreadId));
                    return () =>
                    {
                        Drawn.Enqueue((current, Environment.CurrentManagedThreadId));
                        return Preview(current);
                    };
                }));
                if (step == 1)
                {
                    afterFirstStep?.Invoke();
                }
            }
        }
    }
}
