using Heurist.Inference.Worker.Device;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Miners;
using Microsoft.Extensions.Options;

namespace Heurist.Inference.Worker;

/// <summary>Settings of one worker process (section "Worker").</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>The miner's id in the network; defaults to the host name. Must be unique across machines.</summary>
    public string MinerId { get; set; } = MinerIdentity.FromHostName(Environment.MachineName);

    /// <summary>The 0x address that receives this miner's rewards. Required.</summary>
    public string? RewardAddress { get; set; }

    /// <summary>The job queues to serve; "default" when none is configured.</summary>
    public List<string> Queues { get; set; } = [];

    /// <summary>How often the worker tells the portal it is alive.</summary>
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>Jobs run at once. One GPU runs one image job at a time, so 1 unless the models are tiny.</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>
    /// How long the worker waits for its running jobs to finish when it stops serving their queues (the portal assigned
    /// it other models) or shuts down. It takes no new job meanwhile; a job still running after this long is cancelled
    /// and goes back to its queue for another worker.
    /// </summary>
    public int DrainSeconds { get; set; } = DefaultDrainSeconds;

    public const int DefaultDrainSeconds = 60;

    /// <summary>
    /// The folder holding one model folder per catalog id (ModelsPath/sdxl, ModelsPath/flux-dev…). Unset: the worker
    /// serves no model, only the default queue.
    /// </summary>
    public string? ModelsPath { get; set; }

    /// <summary>The catalog ids to serve; empty serves every catalog model that has a folder under ModelsPath.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Where the graphs run: auto (CUDA when it loads, else the CPU), cuda (or stop), cpu.</summary>
    public string Device { get; set; } = "auto";

    /// <summary><see cref="Device"/> read; valid once the options are.</summary>
    public DeviceSetting DeviceSetting => ParseDevice(Device) ?? DeviceSetting.Auto;

    /// <summary>A text as a binder would read it into a number is no device: only the names count.</summary>
    internal static DeviceSetting? ParseDevice(string? text)
        => text is { Length: > 0 } && !text.Any(char.IsAsciiDigit) && Enum.TryParse<DeviceSetting>(text, ignoreCase: true, out var setting) ? setting : null;

    /// <summary>The CUDA device the sessions run on, as nvidia-smi numbers them.</summary>
    public int CudaDeviceId { get; set; }

    /// <summary>The CUDA execution provider's tuning (Worker:Cuda:ConvAlgoSearch, :MemoryLimitMb, :Graph); ignored on the CPU.</summary>
    public CudaOptions Cuda { get; set; } = new();

    /// <summary>ONNX Runtime threads on the CPU; fixed, because the thread count is part of what makes output reproducible.</summary>
    public int CpuThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>How long a job may go without its worker's heartbeat before another worker runs it.</summary>
    public int AbandonedJobSeconds { get; set; } = 300;

    /// <summary>
    /// How often an idle worker polls its queues, besides being woken by PostgreSQL notifications: it bounds the worst
    /// dispatch delay. Thousands of workers may want a longer one, to spare the database.
    /// </summary>
    public int QueuePollMilliseconds { get; set; } = 150;
}

/// <summary>Checks the worker's settings and names the key at fault.</summary>
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        var errors = new List<string>();
        if (MinerIdentity.ValidateId(options.MinerId) is { } idError)
        {
            errors.Add($"Worker:MinerId {idError}.");
        }
        if (MinerIdentity.ValidateRewardAddress(options.RewardAddress) is { } addressError)
        {
            errors.Add($"Worker:RewardAddress {addressError}.");
        }
        foreach (var queue in options.Queues)
        {
            if (JobQueues.Validate(queue) is { } queueError)
            {
                errors.Add($"Worker:Queues: {queueError}.");
            }
            else if (queue == JobQueues.Settlement)
            {
                errors.Add($"Worker:Queues: '{JobQueues.Settlement}' is the portal's own queue (epoch settlement); a worker cannot serve it.");
            }
        }
        if (options.HeartbeatSeconds is < 1 or > 60)
        {
            errors.Add("Worker:HeartbeatSeconds must be between 1 and 60.");
        }
        if (options.Concurrency is < 1 or > 64)
        {
            errors.Add("Worker:Concurrency must be between 1 and 64.");
        }
        if (options.DrainSeconds is < 1 or > 3600)
        {
            errors.Add("Worker:DrainSeconds must be between 1 and 3600.");
        }
        if (options.CudaDeviceId is < 0 or > 63)
        {
            errors.Add("Worker:CudaDeviceId must be between 0 and 63.");
        }
        if (!CudaSettings.ConvAlgoSearches.Contains(options.Cuda.ConvAlgoSearch, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Worker:Cuda:ConvAlgoSearch must be one of {string.Join(", ", CudaSettings.ConvAlgoSearches)}.");
        }
        if (options.Cuda.MemoryLimitMb is < 0 or > 1_048_576)
        {
            errors.Add("Worker:Cuda:MemoryLimitMb must be between 0 (no limit) and 1048576.");
        }
        if (WorkerOptions.ParseDevice(options.Device) is null)
        {
            errors.Add("Worker:Device must be auto, cuda or cpu.");
        }
        if (options.CpuThreads is < 1 or > 256)
        {
            errors.Add("Worker:CpuThreads must be between 1 and 256.");
        }
        if (options.AbandonedJobSeconds is < 2 or > 86_400)
        {
            errors.Add("Worker:AbandonedJobSeconds must be between 2 and 86400.");
        }
        if (options.QueuePollMilliseconds is < 10 or > 60_000)
        {
            errors.Add("Worker:QueuePollMilliseconds must be between 10 and 60000.");
        }
        if (options.ModelsPath is { Length: > 0 } models && !Directory.Exists(models))
        {
            errors.Add($"Worker:ModelsPath '{models}' is not a folder.");
        }
        if (options.Models.Count > 0 && string.IsNullOrWhiteSpace(options.ModelsPath))
        {
            errors.Add("Worker:Models names models to serve, but Worker:ModelsPath (where their folders are) is not set.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Worker:Cuda, as bound from settings; see <see cref="CudaSettings"/> for what each does.</summary>
public sealed class CudaOptions
{
    public string ConvAlgoSearch { get; set; } = "EXHAUSTIVE";

    public long MemoryLimitMb { get; set; }

    public bool Graph { get; set; }

    public CudaSettings ToSettings() => new() { ConvAlgoSearch = ConvAlgoSearch.ToUpperInvariant(), MemoryLimitMb = MemoryLimitMb, Graph = Graph };
}
