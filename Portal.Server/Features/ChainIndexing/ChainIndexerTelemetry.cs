using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Heurist.Portal.Server.Features.ChainIndexing;

/// <summary>
/// The indexer's traces and metrics, under the name ServiceDefaults subscribes to (Heurist.*): one activity per indexed
/// range, counters of blocks and logs indexed, and how far the cursor is behind the chain's head.
/// </summary>
public sealed class ChainIndexerTelemetry : IDisposable
{
    public const string Name = "Heurist.ChainIndexer";

    private readonly Meter _meter;
    private readonly Counter<long> _blocks;
    private readonly Counter<long> _logs;
    private long _lag;

    public ChainIndexerTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _meter = meters.Create(Name);
        _blocks = _meter.CreateCounter<long>("heurist.chain_indexer.blocks", "{block}", "Blocks the indexer has read and committed.");
        _logs = _meter.CreateCounter<long>("heurist.chain_indexer.logs", "{log}", "Logs of our contracts the indexer has committed.");
        _meter.CreateObservableGauge("heurist.chain_indexer.lag", () => Interlocked.Read(ref _lag), "{block}", "Blocks between the chain's head and the indexer's cursor.");
    }

    public static ActivitySource Source { get; } = new(Name);

    /// <summary>The activity of one range, tagged with its first and last block.</summary>
    public static Activity? StartRange(long from, long to)
    {
        var activity = Source.StartActivity("chain_indexer.range");
        activity?.SetTag("chain.from_block", from);
        activity?.SetTag("chain.to_block", to);
        return activity;
    }

    /// <summary>Counts a committed range and its logs, and records the lag behind <paramref name="head"/> it leaves.</summary>
    public void RangeCommitted(Activity? activity, long from, long to, int logs, long head)
    {
        activity?.SetTag("chain.logs", logs);
        _blocks.Add(to - from + 1);
        _logs.Add(logs);
        RecordLag(head - to);
    }

    /// <summary>The lag when the cursor is already at the confirmed head.</summary>
    public void RecordLag(long blocks) => Interlocked.Exchange(ref _lag, Math.Max(0, blocks));

    public void Dispose() => _meter.Dispose();
}
