using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Heurist.Portal.Data.Jobs;

/// <summary>
/// Traces and metrics of the job path, shared by the portal (which submits and cancels jobs) and the workers (which run
/// them), next to the job contracts both hosts already see. ServiceDefaults subscribes to every "Heurist.*" source and
/// meter, so a host exports them once OTEL_EXPORTER_OTLP_ENDPOINT is set. Register it as a singleton.
/// </summary>
public sealed class JobTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Heurist.Jobs";

    /// <summary>Spans: submitting and cancelling on the portal, a run and its phases on a worker.</summary>
    public static readonly ActivitySource Source = new(Name);

    private readonly Counter<long> _submitted;
    private readonly Counter<long> _completed;
    private readonly Histogram<double> _duration;
    private readonly Counter<double> _points;

    /// <summary>The meter comes from the host's factory, so each host (several in one test process) has its own.</summary>
    public JobTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Name);
        _submitted = meter.CreateCounter<long>("heurist.jobs.submitted", "{job}", "Jobs the portal accepted and queued.");
        _completed = meter.CreateCounter<long>("heurist.jobs.completed", "{job}", "Job runs a worker finished, by outcome.");
        _duration = meter.CreateHistogram<double>("heurist.jobs.duration", "s", "How long a worker took from taking a job to recording its outcome.");
        _points = meter.CreateCounter<double>("heurist.points.credited", "{point}", "Points credited to miners for their jobs, once per job.");
    }

    /// <summary>A job was queued on <paramref name="queue"/> (an image job's queue is its model id).</summary>
    public void Submitted(string kind, string queue)
        => _submitted.Add(1, new TagList { { Tags.Kind, kind }, { Tags.Queue, queue } });

    /// <summary>A worker finished a run of a job, whatever its outcome.</summary>
    public void Completed(string kind, string queue, string minerId, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { Tags.Kind, kind }, { Tags.Queue, queue }, { Tags.Miner, minerId }, { Tags.Outcome, outcome } };
        _completed.Add(1, tags);
        _duration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>Points were credited for a job; called only when the credit is new, so a re-run adds nothing.</summary>
    public void Credited(string queue, string minerId, decimal points)
        => _points.Add((double)points, new TagList { { Tags.Queue, queue }, { Tags.Miner, minerId } });

    /// <summary>Job kinds, as the <see cref="Tags.Kind"/> tag gives them.</summary>
    public static class Kinds
    {
        public const string Image = "image";

        public const string Probe = "probe";
    }

    /// <summary>Outcomes of a run, as the <see cref="Tags.Outcome"/> tag gives them.</summary>
    public static class Outcomes
    {
        public const string Succeeded = "succeeded";

        public const string Failed = "failed";

        public const string Canceled = "canceled";

        /// <summary>Nothing to do: the job does not exist, or an earlier run already finished it.</summary>
        public const string Skipped = "skipped";

        /// <summary>The run threw (a database outage, the worker stopping); Hangfire runs the job again.</summary>
        public const string Error = "error";
    }

    /// <summary>The tag names on spans and measurements.</summary>
    public static class Tags
    {
        public const string JobId = "heurist.job.id";

        public const string Kind = "heurist.job.kind";

        public const string Queue = "heurist.job.queue";

        public const string Outcome = "heurist.job.outcome";

        /// <summary>The job's state when a cancellation arrived.</summary>
        public const string State = "heurist.job.state";

        public const string Model = "heurist.model";

        public const string Miner = "heurist.miner";

        public const string Steps = "heurist.image.steps";

        public const string Width = "heurist.image.width";

        public const string Height = "heurist.image.height";

        public const string Points = "heurist.points";
    }
}
