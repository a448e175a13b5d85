using Heurist.Inference.Worker.Mining;
using Heurist.Portal.Data.Jobs;
using Heurist.Portal.Data.Probes;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heurist.Inference.Worker.Tests.Jobs;

[Integration]
public sealed class DispatchProbeJobTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Running_a_probe_records_the_miner_and_the_times()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host, probeId) = await ArrangeAsync("proberun");
        using (host)
        {
            await RunAsync(host, probeId, ct);

            var probe = await LoadAsync(database, probeId, ct);
            Assert.Equal(host.Services.GetRequiredService<MinerRegistry>().MinerId, probe.MinerId);
            Assert.NotNull(probe.StartedAt);
            Assert.NotNull(probe.CompletedAt);
            Assert.True(probe.StartedAt >= probe.RequestedAt);
            Assert.True(probe.CompletedAt >= probe.StartedAt);
        }
    }

    [Fact]
    public async Task Running_a_completed_probe_again_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host, probeId) = await ArrangeAsync("proberetry");
        using (host)
        {
            await RunAsync(host, probeId, ct);
            var first = await LoadAsync(database, probeId, ct);

            await RunAsync(host, probeId, ct);

            var second = await LoadAsync(database, probeId, ct);
            Assert.Equal(first.StartedAt, second.StartedAt);
            Assert.Equal(first.CompletedAt, second.CompletedAt);
        }
    }

    [Fact]
    public async Task A_probe_run_is_a_span_and_counts_one_completed_probe()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, host, probeId) = await ArrangeAsync("probetelemetry");
        using (host)
        using (var telemetry = new TelemetryRecorder(host.Services, JobTelemetry.Name))
        {
            await RunAsync(host, probeId, ct);
            await RunAsync(host, probeId, ct);

            var runs = telemetry.Activities.Where(a => a.OperationName == "dispatch_probe.run" && Equals(a.GetTagItem(JobTelemetry.Tags.JobId), probeId)).ToList();
            Assert.Equal([JobTelemetry.Outcomes.Succeeded, JobTelemetry.Outcomes.Skipped], runs.Select(r => r.GetTagItem(JobTelemetry.Tags.Outcome)));
            Assert.Equal("default", runs[0].GetTagItem(JobTelemetry.Tags.Queue));
            var completed = Assert.Single(telemetry.Measurements("heurist.jobs.completed"));
            Assert.Equal<(object?, object?, object?)>(
                (JobTelemetry.Kinds.Probe, "default", host.Services.GetRequiredService<MinerRegistry>().MinerId),
                (completed.Tags[JobTelemetry.Tags.Kind], completed.Tags[JobTelemetry.Tags.Queue], completed.Tags[JobTelemetry.Tags.Miner]));
        }
    }

    [Fact]
    public async Task A_probe_that_does_not_exist_is_skipped()
    {
        var ct = TestContext.Current.CancellationToken;
        var (database, host, _) = await ArrangeAsync("probemissing");
        using (host)
        {
            await RunAsync(host, Guid.NewGuid(), ct);

            await using var db = PostgresFixture.CreateContext(database);
            Assert.Equal(0, await db.DispatchProbes.CountAsync(p => p.CompletedAt != null, ct));
        }
    }

    private async Task<(string Database, Microsoft.Extensions.Hosting.IHost Host, Guid ProbeId)> ArrangeAsync(string purpose)
    {
        var database = await postgres.CreateMigratedDatabaseAsync(purpose);
        var probe = new DispatchProbe { Id = Guid.NewGuid(), Queue = "default", RequestedAt = DateTimeOffset.UtcNow };
        await using (var db = PostgresFixture.CreateContext(database))
        {
            db.DispatchProbes.Add(probe);
            await db.SaveChangesAsync();
        }
        return (database, TestWorkerHost.Build(database), probe.Id);
    }

    private static async Task RunAsync(Microsoft.Extensions.Hosting.IHost host, Guid probeId, CancellationToken ct)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IDispatchProbeJob>().RunAsync(probeId, ct);
    }

    private static async Task<DispatchProbe> LoadAsync(string database, Guid id, CancellationToken ct)
    {
        await using var db = PostgresFixture.CreateContext(database);
        return await db.DispatchProbes.AsNoTracking().SingleAsync(p => p.Id == id, ct);
    }
}
