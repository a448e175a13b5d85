using System.Text.Json;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Mining;
using Heurist.Inference.Worker.Provenance;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Jobs;
using Heurist.Portal.Data.Provenance;
using Heurist.Protocol.Api.Provenance;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Inference.Worker.Jobs;

/// <summary>
/// Re-runs an image's recorded recipe on this worker and records what it found: identical, different (with the
/// environment fields that differed), or cannot verify (this worker lacks the model or has other model files). The
/// re-run's PNG is only hashed, never stored. Re-running a finished verification changes nothing.
/// </summary>
public sealed partial class ImageVerificationJob(
    IDbContextFactory<PortalDbContext> databases,
    ModelHost models,
    MinerRegistry registry,
    TimeProvider clock,
    ILogger<ImageVerificationJob> logger) : IImageVerificationJob
{
    public async Task RunAsync(Guid verificationId, CancellationToken cancellationToken)
    {
        string metadata;
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var verification = await db.ImageVerifications.SingleOrDefaultAsync(v => v.Id == verificationId, cancellationToken);
            if (verification is null)
            {
                LogMissing(logger, verificationId);
                return;
            }
            if (verification.State is not (VerificationState.Queued or VerificationState.Running))
            {
                return;
            }
            verification.State = VerificationState.Running;
            verification.MinerId = registry.MinerId;
            verification.StartedAt ??= clock.GetUtcNow();
            verification.Attempts++;
            await db.SaveChangesAsync(cancellationToken);
            metadata = await db.Images.AsNoTracking().Where(i => i.Sha256 == verification.ImageSha256).Select(i => i.Metadata).SingleAsync(cancellationToken);
        }

        var outcome = Verify(metadata, cancellationToken);
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            var verification = await db.ImageVerifications.SingleAsync(v => v.Id == verificationId, cancellationToken);
            verification.State = outcome.State;
            verification.ActualSha256 = outcome.ActualSha256;
            verification.Differences = [.. outcome.Differences];
            verification.Reason = outcome.Reason is { Length: > ImageVerification.MaxReasonLength } reason ? reason[..ImageVerification.MaxReasonLength] : outcome.Reason;
            verification.FinishedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            LogVerified(logger, verificationId, verification.ImageSha256[..12], outcome.State, outcome.Reason ?? string.Join("; ", outcome.Differences));
        }
    }

    private VerificationOutcome Verify(string metadata, CancellationToken cancellationToken)
    {
        ImageProvenance? recorded;
        try
        {
            recorded = ImageProvenance.FromMetadata(metadata);
        }
        catch (JsonException ex)
        {
            return VerificationOutcome.CannotVerify($"the image's provenance cannot be read ({ex.Message})");
        }
        if (recorded is null)
        {
            return VerificationOutcome.CannotVerify("the image has no provenance");
        }
        var where = $"miner {registry.MinerId}";
        return models.Find(recorded.ModelId) is { } pipeline
            ? RecipeRuns.Verify(recorded, pipeline, models.Inference, where, cancellationToken)
            : VerificationOutcome.CannotVerify($"{where} does not serve {recorded.ModelId}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Verification {VerificationId} does not exist; nothing to do")]
    private static partial void LogMissing(ILogger logger, Guid verificationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} of image {Sha}: {State} {Detail}")]
    private static partial void LogVerified(ILogger logger, Guid verificationId, string sha, VerificationState state, string detail);
}
