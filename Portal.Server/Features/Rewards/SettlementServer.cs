using Hangfire;
using Hangfire.AspNetCore;
using Heurist.Contracts.Deployment;
using Heurist.Portal.Data.Jobs;
using Heurist.Protocol.Jobs;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Rewards;

/// <summary>
/// The portal's own Hangfire server: one worker on queue <see cref="JobQueues.Settlement"/> only, started when
/// settlement is on, and the recurring job that feeds it. Off, it removes the recurring job, so that no server keeps
/// enqueuing runs nobody takes, and says once why.
/// </summary>
public sealed partial class SettlementServer(
    JobStorage storage,
    IServiceScopeFactory scopes,
    IOptions<RewardsOptions> options,
    DeploymentManifest manifest,
    ILogger<SettlementServer> logger) : IHostedService, IAsyncDisposable
{
    private BackgroundJobServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var recurring = new RecurringJobManager(storage);
        if (!settings.Enabled)
        {
            recurring.RemoveIfExists(IEpochSettlementJob.RecurringJobId);
            LogOff(logger, RewardsOptions.SettlementKeySetting);
            return Task.CompletedTask;
        }

        if (settings.CheckEveryMinutes == 0)
        {
            recurring.RemoveIfExists(IEpochSettlementJob.RecurringJobId);
        }
        else
        {
            recurring.AddOrUpdate<IEpochSettlementJob>(
                IEpochSettlementJob.RecurringJobId,
                JobQueues.Settlement,
                job => job.RunAsync(CancellationToken.None),
                settings.CheckEveryMinutes == 60 ? Cron.Hourly() : Cron.MinuteInterval(settings.CheckEveryMinutes),
                new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        }
        _server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                ServerName = $"portal-settlement:{Environment.MachineName}:{Guid.NewGuid():N}",
                Queues = [JobQueues.Settlement],
                WorkerCount = 1,
                Activator = new AspNetCoreJobActivator(scopes),
                ShutdownTimeout = TimeSpan.FromSeconds(10),
            },
            storage);
        LogOn(logger, settings.Key().GetPublicAddress(), manifest.Contracts.RewardsDistributor, settings.CheckEveryMinutes);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            _server.SendStop();
            await _server.WaitForShutdownAsync(cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _server = null;
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch settlement is off: {Setting} is not set, so no epoch is settled or posted")]
    private static partial void LogOff(ILogger logger, string setting);

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch settlement is on: posting roots to {Distributor} as {Address}, looking every {Minutes} minutes (0: only when asked)")]
    private static partial void LogOn(ILogger logger, string address, string distributor, int minutes);
}
