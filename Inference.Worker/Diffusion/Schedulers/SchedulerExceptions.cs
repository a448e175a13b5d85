namespace Heurist.Inference.Worker.Diffusion.Schedulers;

/// <summary>A scheduler setting that cannot be used: the message and <see cref="Setting"/> name it.</summary>
public class SchedulerSettingException : ArgumentException
{
    public SchedulerSettingException(string setting, string message)
        : base($"{setting}: {message}")
    {
        Setting = setting;
    }

    /// <summary>The setting at fault, as it is spelled in scheduler_config.json ("beta_schedule"), or "steps", or "scheduler".</summary>
    public string Setting { get; }
}

/// <summary>A scheduler name that the worker does not implement.</summary>
public sealed class UnknownSchedulerException : SchedulerSettingException
{
    public UnknownSchedulerException(string scheduler, IReadOnlyList<string> validNames)
        : base("scheduler", $"unknown scheduler '{scheduler}'; the valid ones are {string.Join(", ", validNames)}.")
    {
        Scheduler = scheduler;
        ValidNames = validNames;
    }

    public string Scheduler { get; }

    public IReadOnlyList<string> ValidNames { get; }
}
