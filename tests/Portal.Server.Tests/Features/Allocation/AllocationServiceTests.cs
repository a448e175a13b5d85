using Heurist.Portal.Server.Features.Allocation;
using Heurist.Protocol.Jobs;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heurist.Portal.Server.Tests.Features.Allocation;

/// <summary>The allocation service on a real database: votes and demand in, assigned models and targets out.</summary>
public sealed class AllocationServiceTests(PostgresFixture postgres, DeployedChainFixture chain) : IAsyncLifetime
{
    private readonly PortalApp portal = new(postgres, chain);
    private DateTimeOffset now;

    public async ValueTask InitializeAsync()
    {
        await portal.InitializeAsync();
        // Off in the background: each test recomputes when it means to.
        portal.Settings["Allocation:RecomputeSeconds"] = "0";
        portal.Settings["Allocation:Alpha"] = "0.5";
        now = DateTimeOffset.UtcNow;
    }

    public ValueTask DisposeAsync() => portal.DisposeAsync();

    private Task<AllocationRun?> RecomputeAsync()
        => portal.Services.GetRequiredService<AllocationRecomputer>().RecomputeAsync(TestContext.Current.CancellationToken);

    private async Task<Dictionary<string, List<string>?>> AssignedAsync()
    {
        await using var db = AllocationSeed.Database(portal);
        return await db.Miners.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.AssignedModels, TestContext.Current.CancellationToken);
    }

    private static Dictionary<string, int> Primaries(Dictionary<string, List<string>?> assigned)
        => assigned.Values.Where(a => a is { Count: > 0 }).GroupBy(a => a![0]).ToDictionary(g => g.Key, g => g.Count());

    private async Task SeedTwentyWorkersAsync(params int[] weights)
    {
        await using var db = AllocationSeed.Database(portal);
        for (var i = 1; i <= 20; i++)
        {
            AllocationSeed.AddMiner(db, $"rig-{i:D2}", now.AddSeconds(-2), AllocationSeed.Catalog);
        }
        AllocationSeed.AddClosedAllocationVote(db, now, weights);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Twenty_workers_after_a_closed_seventy_twenty_ten_vote_get_fourteen_four_and_two_primaries()
    {
        await SeedTwentyWorkersAsync(70, 20, 10);

        var run = await RecomputeAsync();

        Assert.NotNull(run);
        Assert.Equal(new Dictionary<string, int> { ["sd15"] = 14, ["sdxl"] = 4, ["flux-dev"] = 2 }, Primaries(await AssignedAsync()));
        Assert.Equal(20, run.Reassigned);
        Assert.Equal(0, run.Plan.MaxShareError, 9);
        await using var db = AllocationSeed.Database(portal);
        var targets = await db.ModelAllocationTargets.AsNoTracking().ToDictionaryAsync(t => t.ModelId, TestContext.Current.CancellationToken);
        Assert.Equal([0.7, 0.2, 0.1], AllocationSeed.Catalog.Select(m => Math.Round(targets[m].TargetShare, 9)));
        Assert.Equal([0.7, 0.2, 0.1], AllocationSeed.Catalog.Select(m => Math.Round(targets[m].VotedShare, 9)));
        Assert.All(targets.Values, t => Assert.Equal(run.ProposalId, t.ProposalId));
    }

    [Fact]
    public async Task Workers_keep_their_model_across_recomputes_and_only_as_many_move_as_a_new_vote_needs()
    {
        var ct = TestContext.Current.CancellationToken;
        await SeedTwentyWorkersAsync(70, 20, 10);
        await RecomputeAsync();
        var first = await AssignedAsync();
        Dictionary<string, DateTimeOffset?> firstTimes;
        await using (var db = AllocationSeed.Database(portal))
        {
            firstTimes = await db.Miners.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.AssignedAt, ct);
        }

        var again = await RecomputeAsync();
        Assert.Equal(0, again!.Reassigned);
        Assert.Equal(first, await AssignedAsync());

        await using (var db = AllocationSeed.Database(portal))
        {
            // A later vote, closed more recently, takes over: 60/30/10.
            AllocationSeed.AddClosedAllocationVote(db, now, [60, 30, 10], endedAgo: TimeSpan.FromSeconds(10));
            await db.SaveChangesAsync(ct);
        }
        var moved = await RecomputeAsync();

        var after = await AssignedAsync();
        Assert.Equal(new Dictionary<string, int> { ["sd15"] = 12, ["sdxl"] = 6, ["flux-dev"] = 2 }, Primaries(after));
        Assert.Equal(2, moved!.Reassigned);
        var changed = after.Where(a => !a.Value!.SequenceEqual(first[a.Key]!)).ToList();
        Assert.Equal(2, changed.Count);
        Assert.All(changed, c => Assert.Equal(("sd15", "sdxl"), (first[c.Key]![0], c.Value![0])));
        await using var check = AllocationSeed.Database(portal);
        var times = await check.Miners.AsNoTracking().ToDictionaryAsync(m => m.Id, m => m.AssignedAt, ct);
        Assert.All(after.Keys.Except(changed.Select(c => c.Key)), id => Assert.Equal(firstTimes[id], times[id]));
    }

    [Fact]
    public async Task A_voted_model_no_online_worker_holds_shows_its_target_but_gets_no_worker()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var db = AllocationSeed.Database(portal))
        {
            for (var i = 1; i <= 9; i++)
            {
                AllocationSeed.AddMiner(db, $"rig-{i}", now.AddSeconds(-2), ["sd15", "sdxl"]);
            }
            // The only flux worker went quiet ten minutes ago.
            AllocationSeed.AddMiner(db, "gone", now.AddMinutes(-10), AllocationSeed.Catalog);
            AllocationSeed.AddClosedAllocationVote(db, now, [70, 20, 10]);
            await db.SaveChangesAsync(ct);
        }

        var run = await RecomputeAsync();

        var flux = run!.Plan.Targets.Single(t => t.ModelId == "flux-dev");
        Assert.Equal((0.1, false), (Math.Round(flux.Target, 9), flux.Servable));
        Assert.Equal(0.7 / 0.9, run.Plan.Targets.Single(t => t.ModelId == "sd15").Target, 9);
        var assigned = await AssignedAsync();
        Assert.Null(assigned["gone"]);
        Assert.DoesNotContain(assigned.Values.Where(a => a is not null), a => a!.Contains("flux-dev"));
        Assert.Equal(new Dictionary<string, int> { ["sd15"] = 7, ["sdxl"] = 2 }, Primaries(assigned));
    }

    [Fact]
    public async Task A_worker_whose_memory_cannot_hold_flux_is_never_given_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var db = AllocationSeed.Database(portal))
        {
            for (var i = 1; i <= 4; i++)
            {
                // 16 GiB: enough for SD 1.5 and SDXL, not for Flux's 24.
                AllocationSeed.AddMiner(db, $"small-{i}", now.AddSeconds(-2), AllocationSeed.Catalog, memoryBytes: 16L << 30);
            }
            AllocationSeed.AddMiner(db, "big", now.AddSeconds(-2), AllocationSeed.Catalog, memoryBytes: 80L << 30);
            AllocationSeed.AddClosedAllocationVote(db, now, [0, 0, 100]);
            await db.SaveChangesAsync(ct);
        }

        var run = await RecomputeAsync();

        var assigned = await AssignedAsync();
        Assert.Equal(["flux-dev"], assigned["big"]);
        Assert.All(Enumerable.Range(1, 4), i => Assert.NotEqual("flux-dev", assigned[$"small-{i}"]![0]));
        Assert.Equal(1, run!.Plan.Seats["flux-dev"]);
    }

    [Fact]
    public async Task Without_a_vote_the_targets_follow_demand()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var db = AllocationSeed.Database(portal))
        {
            for (var i = 1; i <= 10; i++)
            {
                AllocationSeed.AddMiner(db, $"rig-{i:D2}", now.AddSeconds(-2), AllocationSeed.Catalog);
            }
            // sdxl: 3 waiting for 30 s, counted as queued and as recent: 3 + 3 × (1 + 30/60) = 7.5.
            for (var i = 0; i < 3; i++)
            {
                AllocationSeed.AddJob(db, "sdxl", now.AddSeconds(-30), ImageJobState.Queued);
            }
            // sd15: one done, started as soon as it came in: 1. An old flux job is outside the window.
            AllocationSeed.AddJob(db, "sd15", now.AddMinutes(-1), ImageJobState.Succeeded, startedAt: now.AddMinutes(-1));
            AllocationSeed.AddJob(db, "flux-dev", now.AddHours(-3), ImageJobState.Succeeded, startedAt: now.AddHours(-3));
            await db.SaveChangesAsync(ct);
        }

        var run = await RecomputeAsync();

        Assert.Null(run!.ProposalId);
        var targets = run.Plan.Targets.ToDictionary(t => t.ModelId);
        Assert.All(targets.Values, t => Assert.Equal(0, t.Voted));
        // The queued jobs keep waiting while the test runs (8 s on a busy machine): their weight grows from 7.5 at
        // 30 s to 9 at 60 s, so sdxl's demand lies between 7.5/8.5 and 9/10.
        Assert.InRange(targets["sdxl"].Demand, (7.5 / 8.5) - 1e-9, 9.0 / 10);
        Assert.Equal(targets["sdxl"].Demand, targets["sdxl"].Target, 9);
        Assert.Equal(0, targets["flux-dev"].Target);
        Assert.Equal(new Dictionary<string, int> { ["sd15"] = 1, ["sdxl"] = 9 }, Primaries(await AssignedAsync()));
    }

    [Fact]
    public async Task A_model_with_waiting_jobs_and_no_primary_worker_is_added_to_one_worker()
    {
        var ct = TestContext.Current.CancellationToken;
        // Votes only: demand cannot give the stranded model a seat.
        portal.Settings["Allocation:Alpha"] = "1";
        await SeedTwentyWorkersAsync(100, 0, 0);
        await using (var db = AllocationSeed.Database(portal))
        {
            AllocationSeed.AddJob(db, "flux-dev", now.AddHours(-1), ImageJobState.Queued);
            await db.SaveChangesAsync(ct);
        }

        await RecomputeAsync();

        var assigned = await AssignedAsync();
        Assert.Equal(new Dictionary<string, int> { ["sd15"] = 20 }, Primaries(assigned));
        Assert.Equal(["sd15", "flux-dev"], Assert.Single(assigned.Values, a => a!.Count > 1));
    }

    [Fact]
    public async Task A_waiting_verify_re_run_keeps_its_model_on_a_worker_too()
    {
        var ct = TestContext.Current.CancellationToken;
        portal.Settings["Allocation:Alpha"] = "1";
        await SeedTwentyWorkersAsync(100, 0, 0);
        await using (var db = AllocationSeed.Database(portal))
        {
            // An image made long ago, outside the demand window, whose re-run waits for an SDXL worker.
            var sha256 = new string('a', 64);
            db.Images.Add(new Heurist.Portal.Data.Images.StoredImage { Sha256 = sha256, Png = [1], Width = 64, Height = 64, CreatedAt = now.AddDays(-3), Metadata = "{}" });
            db.ImageVerifications.Add(new Heurist.Portal.Data.Provenance.ImageVerification
            {
                Id = Guid.NewGuid(), ImageSha256 = sha256, ModelId = "sdxl", ExpectedSha256 = sha256,
                State = Heurist.Protocol.Api.Provenance.VerificationState.Queued, CreatedAt = now.AddHours(-2),
            });
            await db.SaveChangesAsync(ct);
        }

        await RecomputeAsync();

        var assigned = await AssignedAsync();
        Assert.Equal(["sd15", "sdxl"], Assert.Single(assigned.Values, a => a!.Count > 1));
    }

    [Fact]
    public async Task The_actual_share_is_sampled_from_the_queues_workers_report_not_from_the_assignment()
    {
        var ct = TestContext.Current.CancellationToken;
        await SeedTwentyWorkersAsync(70, 20, 10);

        var first = await RecomputeAsync();
        var second = await RecomputeAsync();

        Assert.True(first!.Sampled);
        Assert.False(second!.Sampled);
        await using var db = AllocationSeed.Database(portal);
        var samples = await db.AllocationSamples.AsNoTracking().ToDictionaryAsync(s => s.ModelId, ct);
        // The workers still report serving every model: they have not switched yet.
        Assert.All(samples.Values, s => Assert.Equal((Math.Round(1d / 3, 9), 20), (Math.Round(s.ActualShare, 9), s.Workers)));
        Assert.Equal(0.7, samples["sd15"].TargetShare, 9);
    }

    [Fact]
    public async Task While_another_portal_instance_holds_the_lock_a_recompute_is_skipped()
    {
        var ct = TestContext.Current.CancellationToken;
        await SeedTwentyWorkersAsync(70, 20, 10);
        await using var other = AllocationSeed.Database(portal);
        await using var transaction = await other.Database.BeginTransactionAsync(ct);
        await other.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AllocationRecomputer.LockKey})", ct);

        Assert.Null(await RecomputeAsync());

        Assert.All((await AssignedAsync()).Values, Assert.Null);
    }
}
