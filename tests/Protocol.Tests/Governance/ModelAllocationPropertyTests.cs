using CsCheck;
using Heurist.Protocol.Governance;

namespace Heurist.Protocol.Tests.Governance;

public sealed class ModelAllocationPropertyTests
{
    private const long Iterations = 2_000;

    private static readonly string[] Catalog = ["a", "b", "c", "d"];

    // Models held include one outside the catalog, which the allocation must ignore.
    private static readonly string[] HeldPool = ["a", "b", "c", "d", "x"];

    private static readonly Gen<string[]> Held = Gen.Shuffle(HeldPool, 0, 5);

    private static readonly Gen<string[]?> Current = Gen.Frequency(
        (1, Gen.Const((string[]?)null)),
        (3, Gen.Shuffle(HeldPool, 1, 3).Select(c => (string[]?)c)));

    private static Gen<AllocationWorker[]> WorkersOf(Gen<string[]> held) =>
        Gen.Select(held, Current).Array[0, 25]
            .Select(ws => ws.Select((w, i) => new AllocationWorker($"w{i:D2}", w.Item1, w.Item2)).ToArray());

    private static readonly Gen<Dictionary<string, double>> Shares = Gen.Frequency(
        (1, Gen.Const(new Dictionary<string, double>())),
        (4, Gen.Int[0, 10].Array[Catalog.Length].Select(w => Catalog.Select((m, i) => (m, (double)w[i])).ToDictionary(p => p.m, p => p.Item2))));

    private static readonly Gen<ModelDemand[]> Demand = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 6], Gen.Int[0, 6], Gen.Double[0, 600])
        .Array[0, 5]
        .Select(ds => ds.Select(d => new ModelDemand(Catalog[d.Item1 % Catalog.Length], d.Item2, d.Item3, d.Item4)).ToArray());

    private static Gen<AllocationInput> Inputs(Gen<string[]> held) =>
        Gen.Select(Shares, Demand, WorkersOf(held), Gen.Double[0, 1], (voted, demand, workers, alpha) =>
            new AllocationInput(Catalog, voted, demand, workers, alpha, 60));

    private static readonly Gen<AllocationInput> Input = Inputs(Held);

    private static string Print(AllocationInput input) =>
        $"alpha {input.Alpha:0.###} voted [{string.Join(", ", input.Voted.Select(p => $"{p.Key}:{p.Value}"))}] demand ["
        + string.Join(", ", input.Demand.Select(d => $"{d.ModelId} q{d.Queued} r{d.Recent} w{d.MeanWaitSeconds:0}")) + "] workers "
        + string.Join("; ", input.Workers.Select(w => $"{w.Id} holds {string.Join(",", w.Models)} on {string.Join(",", w.Current ?? [])}"));

    private static HashSet<string> Servable(AllocationInput input)
        => [.. input.Workers.SelectMany(w => w.Models).Where(Catalog.Contains)];

    [Fact]
    public void Every_assigned_model_is_one_the_worker_holds_and_the_catalog_has()
        => Input.Sample(input =>
        {
            var plan = ModelAllocation.Plan(input);
            return plan.Assignments.All(a => a.Models.All(m => Catalog.Contains(m) && input.Workers.Single(w => w.Id == a.WorkerId).Models.Contains(m)));
        }, iter: Iterations, print: Print);

    [Fact]
    public void Every_worker_that_holds_a_catalog_model_gets_exactly_one_primary_and_the_others_none()
        => Input.Sample(input =>
        {
            var plan = ModelAllocation.Plan(input);
            return plan.Assignments.Count == input.Workers.Count
                && plan.Assignments.All(a => (a.Primary is not null) == input.Workers.Single(w => w.Id == a.WorkerId).Models.Any(Catalog.Contains))
                && plan.Assignments.All(a => a.Models.Count == a.Models.Distinct().Count());
        }, iter: Iterations, print: Print);

    [Fact]
    public void The_primaries_fill_exactly_the_seats()
        => Input.Sample(input =>
        {
            var plan = ModelAllocation.Plan(input);
            var counts = plan.Assignments.Where(a => a.Primary is not null).GroupBy(a => a.Primary!).ToDictionary(g => g.Key, g => g.Count());
            return plan.Seats.All(s => counts.GetValueOrDefault(s.Key) == s.Value) && counts.Keys.All(plan.Seats.ContainsKey);
        }, iter: Iterations, print: Print);

    [Fact]
    public void The_targets_of_the_servable_models_add_up_to_one()
        => Input.Where(i => Servable(i).Count > 0).Sample(input =>
        {
            var plan = ModelAllocation.Plan(input);
            return Math.Abs(plan.Targets.Where(t => t.Servable).Sum(t => t.Target) - 1) < 1e-9
                && plan.Targets.All(t => t.Target >= 0 && t.Servable == Servable(input).Contains(t.ModelId));
        }, iter: Iterations, print: Print);

    [Fact]
    public void With_every_worker_holding_every_model_each_share_is_within_one_over_n_of_its_target()
        => Inputs(Gen.Const(Catalog)).Where(i => i.Workers.Count > 0).Sample(input =>
        {
            var plan = ModelAllocation.Plan(input);
            var n = input.Workers.Count;
            var actual = ModelAllocation.ActualShares(Catalog, plan.Assignments.Select(a => (IEnumerable<string>)[a.Primary!]));
            return plan.MaxShareError <= (1d / n) + 1e-12
                && Math.Abs(ModelAllocation.MaxShareError(plan.Targets, actual) - plan.MaxShareError) < 1e-12;
        }, iter: Iterations, print: Print);

    [Fact]
    public void Running_again_on_its_own_result_changes_nothing()
        => Input.Sample(input =>
        {
            var plan = ModelAllocation.Plan(input);
            var again = ModelAllocation.Plan(input with
            {
                Workers = [.. input.Workers.Select(w => w with { Current = plan.Assignments.Single(a => a.WorkerId == w.Id).Models is { Count: > 0 } models ? models : null })],
            });
            return again.Assignments.Select(a => string.Join(",", a.Models)).SequenceEqual(plan.Assignments.Select(a => string.Join(",", a.Models)));
        }, iter: Iterations, print: Print);

    [Fact]
    public void The_order_the_workers_come_in_does_not_matter()
        => Gen.Select(Input, Gen.Int).Sample((input, seed) =>
        {
            var shuffled = input with { Workers = [.. input.Workers.OrderBy(w => HashCode.Combine(w.Id, seed))] };
            var plan = ModelAllocation.Plan(input);
            var other = ModelAllocation.Plan(shuffled);
            return plan.Assignments.Select(a => (a.WorkerId, string.Join(",", a.Models)))
                .SequenceEqual(other.Assignments.Select(a => (a.WorkerId, string.Join(",", a.Models))));
        }, iter: Iterations);
}
