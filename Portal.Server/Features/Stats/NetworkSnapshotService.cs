using Heurist.Portal.Data;
using Heurist.Portal.Data.Network;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Stats;

/// <summary>
/// Every Portal:StatsRefreshSeconds: recomputes the miners' 24-hour and 7-day numbers from the rollups (one portal
/// instance at a time), then builds a fresh <see cref="NetworkSnapshot"/> for requests to read.
/// </summary>
public sealed class NetworkSnapshotService(
    IDbContextFactory<PortalDbContext> databases,
    IOptions<PortalOptions> options,
    TimeProvider clock,
    ILogger<NetworkSnapshotService> logger) : BackgroundService
{
    // Any fixed number shared by all portal instances; only one of them refreshes the windows at a time.
    private const long WindowsLockKey = 0x4845_5552_4953_5401;

    private readonly SemaphoreSlim _building = new(1, 1);
    private NetworkSnapshot? _current;
    private long _version;

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
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.StatsRefreshSeconds), clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The last snapshot keeps being served; the next tick tries again.
                logger.LogError(ex, "Refreshing the network stats failed");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<NetworkSnapshot> BuildLockedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var locked = await db.Database
                .SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({WindowsLockKey}) AS \"Value\"")
                .SingleAsync(cancellationToken);
            if (locked)
            {
                await NetworkRollups.RefreshWindowsAsync(db, now, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        var snapshot = await NetworkSnapshotBuilder.BuildAsync(db, Interlocked.Increment(ref _version), now, cancellationToken);
        Volatile.Write(ref _current, snapshot);
        return snapshot;
    }

    public override void Dispose()
    {
        _building.Dispose();
        base.Dispose();
    }
}
