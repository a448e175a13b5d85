using Heurist.Protocol.Governance;

namespace Heurist.Protocol.Tests.Governance;

public sealed class ModelAllocationTests
{
    private static readonly string[] Catalog = ["sd15", "sdxl", "flux-dev"];
    private static readonly Dictionary<string, double> NoShares = [];
    private static readonly Dictionary<string, int> NothingQueued = [];

    private static HashSet<string> All => [.. Catalog];

    private static AllocationWorker Worker(string id, string[]? models = null, params string[] current)
        => new(id, models ?? Catalog, current.Length == 0 ? null : current);

    private static List<AllocationWorker> Workers(int count, string[]? models = null)
        => [.. Enumerable.Range(1, count).Select(i => Worker($"w{i:D2}", models))];

    private static Dictionary<string, double> Shares(double sd15, double sdxl, double flux)
        => new() { ["sd15"] = sd15, ["sdxl"] = sdxl, ["flux-dev"] = flux };

    private static Dictionary<string, int> PrimaryCounts(AllocationPlan plan)
        => plan.Assignments.Where(a => a.Primary is not null).GroupBy(a => a.Primary!).ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void A_recent_job_weighs_one_plus_one_for_every_wait_scale_it_waited_and_a_queued_job_once_more()
    {
        // 2 waiting now, 3 submitted lately that waited 30 s on average, at 60 s per extra unit: 2 + 3 × 1.5.
        Assert.Equal(6.5, ModelAllocation.DemandWeight(new ModelDemand("sdxl", 2, 3, 30), 60), 12);
        Assert.Equal(0, ModelAllocation.DemandWeight(new ModelDemand("sdxl", 0, 0, 500), 60));
    }

    [Fact]
    public void A_wait_scale_of_zero_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ModelAllocation.DemandWeight(new ModelDemand("sdxl", 1, 1, 1), 0));
        Assert.Equal("waitScaleSeconds", error.ParamName);
    }

    [Fact]
    public void Demand_shares_are_the_weights_over_their_sum_and_ignore_models_outside_the_catalog()
    {
        var shares = ModelAllocation.DemandShares(Catalog, [new("sd15", 1, 0, 0), new("sdxl", 0, 3, 0), new("llama", 50, 50, 0)], 60);

        Assert.Equal(0.25, shares["sd15"], 12);
        Assert.Equal(0.75, shares["sdxl"], 12);
        Assert.Equal(0, shares["flux-dev"]);
    }

    [Fact]
    public void Voted_shares_are_each_model_choices_score_over_the_model_choices_total()
    {
        var shares = ModelAllocation.VotedShares(Catalog, ["sd15", "sdxl", "flux-dev", "something else"], [70m, 20m, 10m, 400m]);

        Assert.Equal([0.7, 0.2, 0.1], Catalog.Select(m => Math.Round(shares[m], 12)));
    }

    [Fact]
    public void Targets_mix_votes_and_demand_by_alpha()
    {
        var targets = ModelAllocation.Targets(Catalog, Shares(0.7, 0.2, 0.1), Shares(0.1, 0.1, 0.8), 0.5, All);

        Assert.Equal([0.4, 0.15, 0.45], targets.Select(t => Math.Round(t.Target, 12)));
        Assert.All(targets, t => Assert.True(t.Servable));
    }

    [Fact]
    public void A_model_with_no_votes_gets_only_its_demand_part_and_one_with_no_demand_only_its_voted_part()
    {
        var targets = ModelAllocation.Targets(Catalog, Shares(0.8, 0.2, 0), Shares(0, 0.5, 0.5), 0.25, All);

        Assert.Equal(0.25 * 0.8, targets[0].Target, 12);
        Assert.Equal((0.25 * 0.2) + (0.75 * 0.5), targets[1].Target, 12);
        Assert.Equal(0.75 * 0.5, targets[2].Target, 12);
    }

    [Fact]
    public void Without_a_vote_the_targets_follow_demand_and_without_demand_they_follow_the_vote()
    {
        var demandOnly = ModelAllocation.Targets(Catalog, NoShares, Shares(0.5, 0.3, 0.2), 0.9, All);
        var voteOnly = ModelAllocation.Targets(Catalog, Shares(0.7, 0.2, 0.1), Shares(0, 0, 0), 0.1, All);

        Assert.Equal([0.5, 0.3, 0.2], demandOnly.Select(t => Math.Round(t.Target, 12)));
        Assert.Equal([0.7, 0.2, 0.1], voteOnly.Select(t => Math.Round(t.Target, 12)));
    }

    [Fact]
    public void With_neither_votes_nor_demand_the_servable_models_share_equally()
    {
        var targets = ModelAllocation.Targets(Catalog, NoShares, NoShares, 0.5, new HashSet<string> { "sd15", "sdxl" });

        Assert.Equal([0.5, 0.5, 0], targets.Select(t => t.Target));
        Assert.False(targets[2].Servable);
    }

    [Fact]
    public void A_voted_model_nobody_can_serve_shows_its_target_and_the_others_share_its_part()
    {
        var targets = ModelAllocation.Targets(Catalog, Shares(0.7, 0.2, 0.1), NoShares, 0.5, new HashSet<string> { "sd15", "sdxl" });

        Assert.Equal(0.7 / 0.9, targets[0].Target, 12);
        Assert.Equal(0.2 / 0.9, targets[1].Target, 12);
        Assert.Equal(0.1, targets[2].Target, 12);
        Assert.False(targets[2].Servable);
    }

    [Fact]
    public void When_only_unservable_models_are_wanted_the_servable_ones_share_equally()
    {
        var targets = ModelAllocation.Targets(Catalog, Shares(0, 0, 1), NoShares, 0.5, new HashSet<string> { "sd15", "sdxl" });

        Assert.Equal([0.5, 0.5, 1], targets.Select(t => t.Target));
    }

    [Fact]
    public void An_alpha_outside_zero_to_one_is_refused()
        => Assert.Equal("alpha", Assert.Throws<ArgumentOutOfRangeException>(() => ModelAllocation.Targets(Catalog, NoShares, NoShares, 1.5, All)).ParamName);

    [Fact]
    public void Twenty_workers_after_a_seventy_twenty_ten_vote_serve_fourteen_four_and_two()
    {
        var plan = ModelAllocation.Plan(new AllocationInput(Catalog, Shares(0.7, 0.2, 0.1), [], Workers(20), 0.5, 60));

        Assert.Equal(new Dictionary<string, int> { ["sd15"] = 14, ["sdxl"] = 4, ["flux-dev"] = 2 }, PrimaryCounts(plan));
        Assert.Equal(0, plan.MaxShareError, 12);
        Assert.All(plan.Assignments, a => Assert.Empty(a.Extra));
    }

    [Fact]
    public void Leftover_seats_go_to_the_largest_remainders()
    {
        // Quotas 3.5, 2.1 and 1.4 for 7 workers: floors 3, 2 and 1, and the one left to sd15's 0.5.
        var plan = ModelAllocation.Plan(new AllocationInput(Catalog, Shares(0.5, 0.3, 0.2), [], Workers(7), 1, 60));

        Assert.Equal(new Dictionary<string, int> { ["sd15"] = 4, ["sdxl"] = 2, ["flux-dev"] = 1 }, plan.Seats);
    }

    [Fact]
    public void Workers_stay_on_their_model_and_only_as_many_move_as_the_new_targets_need()
    {
        var current = Enumerable.Range(1, 10).Select(i => Worker($"w{i:D2}", null, i <= 5 ? "sd15" : "sdxl")).ToList();

        var plan = ModelAllocation.Plan(new AllocationInput(Catalog, Shares(0.6, 0.4, 0), [], current, 1, 60));

        var moved = plan.Assignments.Where(a => a.Primary != current.Single(w => w.Id == a.WorkerId).Current![0]).ToList();
        Assert.Equal("sd15", Assert.Single(moved).Primary);
        Assert.Equal(new Dictionary<string, int> { ["sd15"] = 6, ["sdxl"] = 4 }, PrimaryCounts(plan));
    }

    [Fact]
    public void A_model_held_by_too_few_workers_gets_those_and_its_other_seats_go_elsewhere()
    {
        var workers = Workers(9, ["sd15", "sdxl"]).Append(Worker("w10", Catalog)).ToList();

        var plan = ModelAllocation.Plan(new AllocationInput(Catalog, Shares(0.2, 0.3, 0.5), [], workers, 1, 60));

        Assert.Equal("flux-dev", plan.Assignments.Single(a => a.WorkerId == "w10").Primary);
        Assert.Equal(1, plan.Seats["flux-dev"]);
        Assert.Equal(9, plan.Seats["sd15"] + plan.Seats["sdxl"]);
    }

    [Fact]
    public void A_worker_makes_room_by_moving_a_more_flexible_one_when_its_only_model_is_full()
    {
        var targets = ModelAllocation.Targets(["a", "b"], new Dictionary<string, double> { ["a"] = 1, ["b"] = 1 }, NoShares, 1, new HashSet<string> { "a", "b" });
        AllocationWorker[] workers = [new("flexible", ["a", "b"], ["a"]), new("only-a", ["a"], null)];

        var plan = ModelAllocation.Assign(targets, workers, NothingQueued);

        Assert.Equal(["b", "a"], plan.Assignments.Select(a => a.Primary));
    }

    [Fact]
    public void A_model_with_queued_jobs_and_no_primary_worker_is_added_to_the_worker_whose_own_queue_is_shortest()
    {
        var queued = new ModelDemand[] { new("sd15", 5, 0, 0), new("sdxl", 0, 0, 0), new("flux-dev", 2, 0, 0) };

        var plan = ModelAllocation.Plan(new AllocationInput(Catalog, Shares(0.5, 0.5, 0), queued, Workers(4), 1, 60));

        var extra = Assert.Single(plan.Assignments, a => a.Extra.Count > 0);
        Assert.Equal("sdxl", extra.Primary);
        Assert.Equal(["sdxl", "flux-dev"], extra.Models);
        Assert.Equal(0, plan.Seats["flux-dev"]);
    }

    [Fact]
    public void A_model_still_in_use_keeps_its_extra_queue_when_its_queue_is_empty_and_loses_it_after_a_quiet_window()
    {
        var workers = new[] { Worker("w1", null, "sd15", "flux-dev"), Worker("w2", null, "sdxl") };
        var voted = Shares(0.5, 0.5, 0);

        var inUse = ModelAllocation.Plan(new AllocationInput(Catalog, voted, [new("flux-dev", 0, 3, 10)], workers, 1, 60));
        var quiet = ModelAllocation.Plan(new AllocationInput(Catalog, voted, [], workers, 1, 60));

        Assert.Equal(["sd15", "flux-dev"], inUse.Assignments.Single(a => a.WorkerId == "w1").Models);
        Assert.Equal(["sd15"], quiet.Assignments.Single(a => a.WorkerId == "w1").Models);
    }

    [Fact]
    public void The_extra_queue_stays_with_the_worker_that_already_has_it()
    {
        var queued = new ModelDemand[] { new("flux-dev", 2, 0, 0) };
        var workers = new[] { Worker("w1", null, "sdxl"), Worker("w2", null, "sdxl"), Worker("w3", null, "sd15", "flux-dev"), Worker("w4", null, "sd15") };

        var plan = ModelAllocation.Plan(new AllocationInput(Catalog, Shares(0.5, 0.5, 0), queued, workers, 1, 60));

        Assert.Equal(["sd15", "flux-dev"], plan.Assignments.Single(a => a.WorkerId == "w3").Models);
    }

    [Fact]
    public void A_worker_holding_no_servable_model_gets_nothing_to_serve()
    {
        var workers = new[] { Worker("cpu-box", []), Worker("rig", ["sdxl"]) };

        var plan = ModelAllocation.Plan(new AllocationInput(Catalog, NoShares, [], workers, 0.5, 60));

        var idle = plan.Assignments.Single(a => a.WorkerId == "cpu-box");
        Assert.Null(idle.Primary);
        Assert.Empty(idle.Models);
        Assert.Equal("sdxl", plan.Assignments.Single(a => a.WorkerId == "rig").Primary);
    }

    [Fact]
    public void A_worker_listed_twice_is_refused()
        => Assert.Throws<ArgumentException>(() => ModelAllocation.Plan(new AllocationInput(Catalog, NoShares, [], [Worker("w"), Worker("w")], 0.5, 60)));

    [Theory]
    [InlineData(8, 8L << 30, false, true)]
    [InlineData(24, 16L << 30, false, false)]
    [InlineData(24, 16L << 30, true, true)]
    [InlineData(16, (16L << 30) - 1, false, false)]
    public void A_model_fits_a_device_with_at_least_its_minimum_memory_or_when_its_weights_are_the_demo(double minGiB, long memory, bool demo, bool fits)
        => Assert.Equal(fits, ModelAllocation.Fits(minGiB, memory, demo));

    [Fact]
    public void A_worker_serving_two_models_counts_half_for_each_and_one_serving_none_not_at_all()
    {
        var shares = ModelAllocation.ActualShares(Catalog, [["sd15"], ["sd15", "sdxl"], ["default"], ["sdxl", "default"]]);

        Assert.Equal(1.5 / 3, shares["sd15"], 12);
        Assert.Equal(1.5 / 3, shares["sdxl"], 12);
        Assert.Equal(0, shares["flux-dev"]);
    }

    [Fact]
    public void The_share_error_is_the_largest_gap_between_target_and_actual_over_the_servable_models()
    {
        ModelTarget[] targets = [new("sd15", 0, 0, 0.7, true), new("sdxl", 0, 0, 0.3, true), new("flux-dev", 1, 0, 0.5, false)];

        Assert.Equal(0.1, ModelAllocation.MaxShareError(targets, new Dictionary<string, double> { ["sd15"] = 0.6, ["sdxl"] = 0.4 }), 12);
    }
}
