using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Heurist.Testing;

/// <summary>A measurement as a <see cref="TelemetryRecorder"/> saw it.</summary>
public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

/// <summary>
/// Listens to the named activity sources and to the meters of one host, the way an OpenTelemetry exporter would.
/// Activity sources are process-wide, so tests pick their own spans by a tag or a trace id; meters come from the
/// host's <see cref="IMeterFactory"/>, so only that host's measurements are recorded.
/// </summary>
public sealed class TelemetryRecorder : IDisposable
{
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    public TelemetryRecorder(IServiceProvider host, params string[] names)
    {
        ArgumentNullException.ThrowIfNull(host);
        var meterFactory = host.GetRequiredService<IMeterFactory>();
        _activities = new ActivityListener
        {
            ShouldListenTo = source => names.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meterFactory && names.Contains(instrument.Meter.Name))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _meters.Start();
    }

    /// <summary>Every stopped activity of the named sources, in the order they stopped (children before parents).</summary>
    public IReadOnlyList<Activity> Activities => [.. _stopped];

    /// <summary>The measurements of one instrument so far, observable gauges read now.</summary>
    public IReadOnlyList<RecordedMeasurement> Measurements(string instrument)
    {
        _meters.RecordObservableInstruments();
        return [.. _measurements.Where(m => m.Instrument == instrument)];
    }

    /// <summary>The one stopped activity named <paramref name="name"/> whose <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public Activity Find(string name, string tag, object value)
    {
        var found = Activities.Where(a => a.OperationName == name && Equals(a.GetTagItem(tag), value)).ToList();
        return found.Count == 1
            ? found[0]
            : throw new InvalidOperationException(
                $"Expected one '{name}' activity with {tag} = {value}, found {found.Count}. Recorded: {string.Join(", ", Activities.Select(a => a.OperationName))}");
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, tagValue) in tags)
        {
            copy[key] = tagValue;
        }
        _measurements.Enqueue(new RecordedMeasurement(instrument.Name, value, copy));
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }
}
