using System.Globalization;
using Hangfire;
using Heurist.Inference.Worker.Device;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Jobs;
using Heurist.Inference.Worker.Mining;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Hangfire;
using Heurist.Portal.Data.Jobs;
using Heurist.Protocol.Jobs;
using Heurist.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Heurist.Inference.Worker;

/// <summary>The worker's registrations, kept out of Program.cs.</summary>
public static partial class WorkerServices
{
    public static HostApplicationBuilder AddWorkerServices(this HostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.Section)
            .PostConfigure(options =>
            {
                options.Queues = [.. options.Queues.Distinct(StringComparer.Ordinal)];
                if (options.Queues.Count == 0)
                {
                    options.Queues.Add(JobQueues.Default);
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();

        // First: it needs nothing but this machine, and a worker told to use CUDA should say at once that it cannot.
        services.AddSingleton(provider =>
        {
            var worker = provider.GetRequiredService<IOptions<WorkerOptions>>().Value;
            return ExecutionProviderChoice.Detect(worker.DeviceSetting, worker.CudaDeviceId);
        });
        services.AddStartupCheck("Worker:Device", (provider, _) =>
        {
            ExecutionProviderChoice choice;
            try
            {
                choice = provider.GetRequiredService<ExecutionProviderChoice>();
            }
            catch (DeviceUnavailableException ex)
            {
                throw new InvalidOperationException(ex.Message, ex);
            }
            LogProvider(provider.GetRequiredService<ILoggerFactory>().CreateLogger("Heurist.Inference.Worker.Device"), choice.Provider, choice.Reason);
            return Task.CompletedTask;
        });
        services.AddPortalDatabase();
        services.AddStartupCheck(PortalDatabaseOptions.SettingName, (provider, cancellationToken) =>
            PortalDatabase.VerifyAsync(provider.GetRequiredService<IOptions<PortalDatabaseOptions>>().Value.Portal!, requireSchema: true, cancellationToken));

        services.AddSingleton(provider => DeviceInfo.Detect(provider.GetRequiredService<ExecutionProviderChoice>()));
        services.AddModelCatalog();
        services.AddSingleton<ModelHost>();
        services.AddStartupCheck("Worker:Models", (provider, _) =>
        {
            try
            {
                provider.GetRequiredService<ModelHost>().Inspect();
            }
            catch (Exception ex) when (ex is ModelFolderException or Diffusion.Tokenizers.TokenizerFileException or IOException)
            {
                throw new InvalidOperationException(ex.Message, ex);
            }
            return Task.CompletedTask;
        });
        services.AddSingleton<QueueAssignment>();
        services.AddSingleton<MinerRegistry>();
        services.AddStartupCheck("Worker:MinerId", (provider, cancellationToken)
            => provider.GetRequiredService<MinerRegistry>().EnsureIdIsFreeAsync(cancellationToken));
        // Registered before the job server, so the miner exists before its first job runs.
        services.AddHostedService<MinerHeartbeatService>();

        services.AddSingleton(provider => HangfireStorageSetup.CreateStorage(
            provider.GetRequiredService<IOptions<PortalDatabaseOptions>>().Value.Portal!,
            TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<WorkerOptions>>().Value.AbandonedJobSeconds),
            TimeSpan.FromMilliseconds(provider.GetRequiredService<IOptions<WorkerOptions>>().Value.QueuePollMilliseconds)));
        services.AddHangfire(configuration => configuration.UsePortalDefaults());
        // Not AddHangfireServer: a server's queues are fixed, and the worker switches them without a restart.
        services.AddSingleton<JobServerHost>();
        services.AddHostedService(provider => provider.GetRequiredService<JobServerHost>());
        // The host waits for the running jobs when it stops, as a queue switch does. Read from the configuration, not
        // IOptions<WorkerOptions>: the host needs it while it is built, before a bad setting is reported by its name.
        var drainSetting = builder.Configuration[$"{WorkerOptions.Section}:{nameof(WorkerOptions.DrainSeconds)}"];
        var drainSeconds = int.TryParse(drainSetting, CultureInfo.InvariantCulture, out var configured) && configured is >= 1 and <= 3600
            ? configured
            : WorkerOptions.DefaultDrainSeconds;
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(drainSeconds) + JobServerHost.ShutdownMargin + TimeSpan.FromSeconds(5));

        services.AddSingleton<JobTelemetry>();
        services.AddScoped<IDispatchProbeJob, DispatchProbeJob>();
        services.AddScoped<IImageGenerationJob, ImageGenerationJob>();
        services.AddScoped<IImageVerificationJob, ImageVerificationJob>();
        return builder;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution provider: {Provider} ({Reason})")]
    private static partial void LogProvider(ILogger logger, string provider, string reason);
}
