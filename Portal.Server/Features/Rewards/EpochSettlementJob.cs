using Heurist.Portal.Data.Jobs;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Rewards;

/// <summary>The recurring job: one <see cref="EpochSettler"/> run. Turning settlement off stops it doing anything.</summary>
public sealed partial class EpochSettlementJob(EpochSettler settler, IOptions<RewardsOptions> options, ILogger<EpochSettlementJob> logger) : IEpochSettlementJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            LogOff(logger);
            return;
        }
        var run = await settler.RunAsync(cancellationToken);
        LogRun(logger, run.Epochs.Count, run.Note ?? "");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Epoch settlement is off (Rewards:SettlementKey is not set); the run does nothing")]
    private static partial void LogOff(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Epoch settlement run: {Epochs} epochs handled. {Note}")]
    private static partial void LogRun(ILogger logger, int epochs, string note);
}
