using Heurist.Inference.Worker.Mining;

namespace Heurist.Inference.Worker.Tests.Mining;

public sealed class WorkerQueuesTests
{
    private static readonly string[] Held = ["sd15", "sdxl"];
    private static readonly string[] Configured = ["default"];

    [Fact]
    public void Without_an_assignment_a_worker_serves_its_configured_queues_and_every_model_it_holds()
        => Assert.Equal(["default", "sd15", "sdxl"], WorkerQueues.For(null, Held, Configured));

    [Fact]
    public void With_an_assignment_it_serves_the_assigned_models_it_holds_primary_first()
        => Assert.Equal(["default", "sdxl", "sd15"], WorkerQueues.For(["sdxl", "flux-dev", "sd15"], Held, Configured));

    [Fact]
    public void An_empty_assignment_leaves_only_the_configured_queues()
        => Assert.Equal(["default"], WorkerQueues.For([], Held, Configured));

    [Fact]
    public void A_configured_queue_named_after_a_held_model_follows_the_assignment()
        => Assert.Equal(["probe", "sdxl"], WorkerQueues.For(["sdxl"], Held, ["probe", "sd15"]));

    [Fact]
    public void A_configured_queue_for_a_model_it_does_not_hold_is_always_served()
        => Assert.Equal(["default", "flux-dev"], WorkerQueues.For([], Held, ["default", "flux-dev"]));

    [Fact]
    public void Two_lists_of_the_same_queues_in_another_order_are_the_same_queues()
    {
        Assert.True(WorkerQueues.SameQueues(["sdxl", "default"], ["default", "sdxl"]));
        Assert.False(WorkerQueues.SameQueues(["sdxl", "default"], ["default", "sd15"]));
    }
}
