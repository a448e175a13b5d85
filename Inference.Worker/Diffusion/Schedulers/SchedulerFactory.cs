namespace Heurist.Inference.Worker.Diffusion.Schedulers;

/// <summary>Builds a scheduler by its name, with its timesteps set for a number of steps.</summary>
public static class SchedulerFactory
{
    public const string Euler = "euler";
    public const string EulerAncestral = "euler-ancestral";
    public const string Ddim = "ddim";
    public const string Lcm = "lcm";
    public const string FlowMatchEuler = "flow-match-euler";

    /// <summary>Every name <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Euler, EulerAncestral, Ddim, Lcm, FlowMatchEuler];

    /// <summary>
    /// The scheduler <paramref name="name"/> on <paramref name="config"/> for <paramref name="steps"/> steps.
    /// <paramref name="imageSequenceLength"/> (the number of latent patches, (H/16)·(W/16) for Flux) is needed by
    /// flow-match-euler when the config sets use_dynamic_shifting. An unknown name throws
    /// <see cref="UnknownSchedulerException"/>; an unusable setting throws <see cref="SchedulerSettingException"/> naming it.
    /// </summary>
    public static IDiffusionScheduler Create(string name, SchedulerConfig config, int steps, int? imageSequenceLength = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(config);
        return name switch
        {
            Euler => new EulerDiscreteScheduler(config, steps),
            EulerAncestral => new EulerAncestralDiscreteScheduler(config, steps),
            Ddim => new DdimScheduler(config, steps),
            Lcm => new LcmScheduler(config, steps),
            FlowMatchEuler => new FlowMatchEulerDiscreteScheduler(config, steps, imageSequenceLength),
            _ => throw new UnknownSchedulerException(name, Names),
        };
    }
}
