using System.Diagnostics;
using System.Diagnostics.Metrics;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Network;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Stats;

/// <summary>
/// Every Portal:StatsRefreshSeconds: recomputes the miners' 24-hour and 7-day numbers from the rollups (one portal
/// instance at a time), then builds a fresh <see cref="NetworkSnapshot"/> for requests to read. Each refresh is a span
/// of <see cref="TelemetryName"/>, whose meter also holds the build time and the miners in the current snapshot.
/// </summary>
public sealed partial class NetworkSnapshotService : BackgroundService
{
    /// <summary>The name of the stats builder's activity source and meter.</summary>
    public const string TelemetryName = "Heurist.Stats";

    public static readonly ActivitySource Source = new(TelemetryName);

    /// <summary>The tag names on the refresh span and the measurements.</summary>
    public const string VersionTag = "heurist.stats.version";

    public const string MinersTag = "heurist.stats.miners";

    public const string ActiveMinersTag = "heurist.stats.miners.active";

    /// <summary>False when another portal instance held the lock, so this one only read the windows.</summary>
    public const string WindowsRefreshedTag = "heurist.stats.windows_refreshed";

    /// <summary>On the miners gauge: whether the measurement counts the active miners or the others.</summary>
    public const string ActiveTag = "heurist.miner.active";

    // Any fixed number shared by all portal instances; only one of them refreshes the windows at a time.
    private const long WindowsLockKey = 0x4845_5552_4953_5401;

    private readonly IDbContextFactory<PortalDbContext> _databases;
    private readonly IOptions<PortalOptions> _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<NetworkSnapshotService> _logger;
    private readonly Histogram<double> _buildDuration;
    private readonly SemaphoreSlim _building = new(1, 1);
    private NetworkSnapshot? _current;
    private long _version;

    public NetworkSnapshotService(
        IDbContextFactory<PortalDbContext> databases,
        IOptions<PortalOptions> options,
        TimeProvider clock,
        IMeterFactory meters,
        ILogger<NetworkSnapshotService> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        (_databases, _options, _clock, _logger) = (databases, options, clock, logger);
        var meter = meters.Create(TelemetryName);
        _buildDuration = meter.CreateHistogram<double>(
            "heurist.stats.refresh.duration", "s", "How long refreshing the windows and building a network snapshot took.");
        meter.CreateObservableGauge("heurist.stats.miners", ObserveMiners, "{miner}", "Miners in the current network snapshot, active or not.");
    }

    /// <summary>The latest snapshot; the first call builds one when none exists yet.</summary>
    public async Task<NetworkSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _current) is { } current)
        {
            return current;
        }
        await _building.WaitAsync(cancellationToken);
        try
        {
            return _current ?? await BuildLockedAsync(cancellationToken);
        }
        finally
        {
            _building.Release();
        }
    }

    /// <summary>Refreshes the windows and builds a new snapshot now.</summary>
    public async Task<NetworkSnapshot> RefreshAsync(CancellationToken cancellationToken)
    {
        await _building.WaitAsync(cancellationToken);
        try
        {
            return await BuildLockedAsync(cancellationToken);
        }
        finally
        {
            _building.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.Value.StatsRefreshSeconds), _clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The last snapshot keeps being served; the next tick tries again.
                LogRefreshFailed(_logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<NetworkSnapshot> BuildLockedAsync(CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity("network_snapshot.refresh");
        var started = Stopwatch.GetTimestamp();
        var now = _clock.GetUtcNow();
        await using var db = await _databases.CreateDbContextAsync(cancellationToken);
        bool locked;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            locked = await db.Database
                .SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({WindowsLockKey}) AS \"Value\"")
                .SingleAsync(cancellationToken);
            if (locked)
            {
                using var windows = Source.StartActivity("network_snapshot.refresh_windows");
                await NetworkRollups.RefreshWindowsAsync(db, now, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        NetworkSnapshot snapshot;
        using (Source.StartActivity("network_snapshot.build"))
        {
            snapshot = await NetworkSnapshotBuilder.BuildAsync(db, Interlocked.Increment(ref _version), now, cancellationToken);
        }
        Volatile.Write(ref _current, snapshot);

        var elapsed = Stopwatch.GetElapsedTime(started);
        _buildDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(WindowsRefreshedTag, locked));
        activity?.SetTag(VersionTag, snapshot.Version)
            .SetTag(MinersTag, snapshot.Rows.Count)
            .SetTag(ActiveMinersTag, snapshot.Stats.ActiveGpus)
            .SetTag(WindowsRefreshedTag, locked);
        LogBuilt(_logger, snapshot.Version, snapshot.Rows.Count, elapsed.TotalMilliseconds, locked);
        return snapshot;
    }

    /// <summary>The active and the inactive miners of the current snapshot; nothing before the first one.</summary>
    private IEnumerable<Measurement<int>> ObserveMiners()
    {
        if (Volatile.Read(ref _current) is not { } snapshot)
        {
            return [];
        }
        var active = snapshot.Stats.ActiveGpus;
        return
        [
            new Measurement<int>(active, new KeyValuePair<string, object?>(ActiveTag, true)),
            new Measurement<int>(snapshot.Rows.Count - active, new KeyValuePair<string, object?>(ActiveTag, false)),
        ];
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing the network stats failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Network snapshot {Version}: {Miners} miners in {Milliseconds:0.0} ms (windows refreshed: {WindowsRefreshed})")]
    private static partial void LogBuilt(ILogger logger, long version, int miners, double milliseconds, bool windowsRefreshed);

    public override void Dispose()
    {
        _building.Dispose();
        base.Dispose();
    }
}
