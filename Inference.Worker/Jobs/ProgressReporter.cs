using System.Threading.Channels;
using Heurist.Inference.Worker.Diffusion.Pipelines;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Images;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Heurist.Inference.Worker.Jobs;

/// <summary>
/// Reports a running image job's progress without holding up the denoising thread. <see cref="Report"/> only notes
/// the step, and copies the latents when a preview is due and someone watches; one writer task writes the latest of
/// it, drawing the preview there, in one round trip that also reads back whether the creator cancelled and whether
/// anyone still watches.
/// </summary>
internal sealed partial class ProgressReporter
{
    /// <summary>Progress without a new preview is written at most this often; a preview and the end are not held back.</summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The one round trip of a write: the step (and the preview, when there is a new one), the creator's cancel and
    /// whether a watcher's mark still lies ahead, and the notification the portal pushes to the browser.
    /// </summary>
    internal const string WriteSql = """
        WITH written AS (
            UPDATE image_jobs SET progress_step = @step, preview = coalesce(@preview, preview)
            WHERE id = @id
            RETURNING cancel_requested, coalesce(watched_until > now(), false) AS watched
        )
        SELECT cancel_requested, watched, pg_notify(@channel, @id::text) FROM written
        """;

    private readonly IDbContextFactory<PortalDbContext> _databases;
    private readonly Guid _jobId;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _cancel;
    private readonly ILogger _logger;

    private readonly Lock _lock = new();
    private int? _pendingStep;
    private Func<byte[]>? _pendingPreview;

    // "Something is pending": one signal is enough, since the writer takes whatever is latest when it wakes.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TaskCompletionSource _flushing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _writer;

    private volatile bool _watched;
    private volatile bool _cancelRequested;
    private int _writes;
    private int _previews;

    /// <summary>Starts the writer; <paramref name="watched"/> says whether someone watched the job when its run began.</summary>
    public ProgressReporter(
        IDbContextFactory<PortalDbContext> databases, Guid jobId, bool watched, TimeProvider clock, CancellationTokenSource cancel, ILogger logger)
    {
        _databases = databases;
        _jobId = jobId;
        _watched = watched;
        _clock = clock;
        _cancel = cancel;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>True once a write read back the creator's cancel; the run's token was cancelled then.</summary>
    public bool CancelRequested => _cancelRequested;

    /// <summary>Progress writes that reached the database.</summary>
    internal int Writes => Volatile.Read(ref _writes);

    /// <summary>Called on the denoising thread after every step: no I/O here, and no drawing.</summary>
    public void Report(DenoiseProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var previewEvery = Math.Max(1, progress.TotalSteps / 10);
        var previewDue = (progress.Step % previewEvery == 0 || progress.Step == 1) && progress.Step < progress.TotalSteps;
        // The latents must be copied now, before the next step overwrites them; drawing them is the writer's work.
        var preview = previewDue && _watched ? progress.CapturePreview() : null;
        lock (_lock)
        {
            _pendingStep = progress.Step;
            _pendingPreview = preview ?? _pendingPreview;
        }
        _wake.Writer.TryWrite(true);
    }

    /// <summary>
    /// Stops the writer once its write in flight is done, then writes the last step if it was not written yet, without
    /// a preview (the result or the outcome follows right after), unless no preview was written in the whole run: a job
    /// that ended before the writer drew any still shows its watcher one. Call it however the run ended: nothing is
    /// written after it.
    /// </summary>
    public async Task FlushAsync()
    {
        _flushing.TrySetResult();
        _wake.Writer.TryComplete();
        await _writer;
        int? last;
        Func<byte[]>? preview;
        lock (_lock)
        {
            (last, preview) = (_pendingStep, _pendingPreview);
            _pendingStep = null;
            _pendingPreview = null;
        }
        if (last is { } step)
        {
            await WriteAsync(step, Volatile.Read(ref _previews) == 0 ? preview : null);
        }
    }

    private async Task WriteLoopAsync()
    {
        long? lastWrite = null;
        while (await _wake.Reader.WaitToReadAsync())
        {
            _wake.Reader.TryRead(out _);
            bool previewPending;
            lock (_lock)
            {
                previewPending = _pendingPreview is not null;
            }
            var wait = lastWrite is { } last ? Interval - _clock.GetElapsedTime(last) : TimeSpan.Zero;
            if (!previewPending && wait > TimeSpan.Zero)
            {
                // Steps reported meanwhile are merged into this write; the end of the run does not wait for it.
                await Task.WhenAny(Task.Delay(wait, _clock), _flushing.Task);
            }
            if (_flushing.Task.IsCompleted)
            {
                // The flush writes the last step itself, and a preview drawn now would only be replaced by the result.
                return;
            }
            int? step;
            Func<byte[]>? preview;
            lock (_lock)
            {
                (step, preview) = (_pendingStep, _pendingPreview);
                (_pendingStep, _pendingPreview) = (null, null);
            }
            if (step is { } pending)
            {
                lastWrite = _clock.GetTimestamp();
                await WriteAsync(pending, preview);
            }
        }
    }

    private async Task WriteAsync(int step, Func<byte[]>? preview)
    {
        (bool CancelRequested, bool Watched)? answer;
        try
        {
            answer = await WriteRowAsync(step, preview?.Invoke());
        }
        catch (Exception ex)
        {
            // Progress is only for show: the job goes on, and the next write tries again with a newer step.
            LogWriteFailed(_logger, ex, _jobId, step);
            return;
        }
        // The row may be gone (no answer): the run finds that out itself when it stores its result.
        if (answer is { } read)
        {
            _watched = read.Watched;
            if (read.CancelRequested && !_cancelRequested)
            {
                _cancelRequested = true;
                _cancel.Cancel();
            }
        }
        if (preview is not null)
        {
            Interlocked.Increment(ref _previews);
        }
        // Counted once what it read back is in force, so a caller that sees the count sees its effect.
        Interlocked.Increment(ref _writes);
    }

    private async Task<(bool CancelRequested, bool Watched)?> WriteRowAsync(int step, byte[]? preview)
    {
        await using var db = await _databases.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(WriteSql, (NpgsqlConnection)db.Database.GetDbConnection());
        command.Parameters.Add(new NpgsqlParameter<Guid>("id", _jobId));
        command.Parameters.Add(new NpgsqlParameter<int>("step", step));
        command.Parameters.Add(new NpgsqlParameter("preview", NpgsqlDbType.Bytea) { Value = (object?)preview ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter<string>("channel", ImageJobNotifications.Channel));
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetBoolean(0), reader.GetBoolean(1)) : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the progress of image job {JobId} at step {Step}; the job goes on")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, Guid jobId, int step);
}
