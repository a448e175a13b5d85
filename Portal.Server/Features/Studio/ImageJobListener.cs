using Heurist.Portal.Data;
using Heurist.Portal.Data.Images;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Heurist.Portal.Server.Features.Studio;

/// <summary>LISTENs on PostgreSQL for image job changes that workers announce, and hands them to the <see cref="JobProgressFeed"/>.</summary>
public sealed partial class ImageJobListener(
    IOptions<PortalDatabaseOptions> database,
    JobProgressFeed feed,
    TimeProvider clock,
    ILogger<ImageJobListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.Value.Portal)
                {
                    // A listening connection stays open; keep it out of the pool and alive through idle NAT timeouts.
                    Pooling = false,
                    KeepAlive = 30,
                }.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (Guid.TryParse(e.Payload, out var jobId))
                    {
                        feed.Publish(jobId);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {ImageJobNotifications.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                if (failures > 0)
                {
                    LogReconnected(logger, failures);
                }
                failures = 0;
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // Watchers also poll every few seconds, so a lost connection slows progress down but loses nothing.
                failures++;
                LogConnectionLost(logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, failures * 2)), clock, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Image job listener lost PostgreSQL ({Reason}); reconnecting")]
    private static partial void LogConnectionLost(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Image job listener listening again after {Failures} failed attempts")]
    private static partial void LogReconnected(ILogger logger, int failures);
}
