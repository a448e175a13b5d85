using System.Text.Json;
using Hangfire;
using Hangfire.States;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Jobs;
using Heurist.Portal.Data.Provenance;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Network;
using Heurist.Protocol.Api.Provenance;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Server.Features.Provenance;

/// <summary>
/// The server's <see cref="IProvenanceClient"/>: verifications in PostgreSQL, re-run through Hangfire on the recipe's
/// model queue by a worker, as image jobs are. When no worker online has the recorded model files, it answers
/// "cannot verify" at once instead of queuing a re-run nobody can make.
/// </summary>
public sealed partial class ProvenanceService(
    IDbContextFactory<PortalDbContext> databases,
    IBackgroundJobClient jobs,
    INetworkClient network,
    TimeProvider clock,
    ILogger<ProvenanceService> logger) : IProvenanceClient
{
    /// <summary>How many of an image's verifications are listed.</summary>
    public const int ListLimit = 50;

    public async Task<VerificationView> RequestVerificationAsync(string imageSha256, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var recorded = await ReadProvenanceAsync(db, imageSha256, cancellationToken);

        // A re-run costs a worker minutes: while one is waiting or running, asking again joins it.
        var pending = await db.ImageVerifications.AsNoTracking()
            .Where(v => v.ImageSha256 == imageSha256 && (v.State == VerificationState.Queued || v.State == VerificationState.Running))
            .OrderByDescending(v => v.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (pending is not null)
        {
            return ToView(pending);
        }

        var now = clock.GetUtcNow();
        var verification = new ImageVerification
        {
            Id = Guid.NewGuid(),
            ImageSha256 = imageSha256,
            ModelId = recorded.ModelId,
            ExpectedSha256 = recorded.PngSha256,
            State = VerificationState.Queued,
            CreatedAt = now,
        };
        if (await CheckWorkersAsync(db, recorded, cancellationToken) is { } cannot)
        {
            verification.State = cannot.State;
            verification.Reason = cannot.Reason;
            verification.Differences = [.. cannot.Differences];
            verification.FinishedAt = now;
        }
        db.ImageVerifications.Add(verification);
        await db.SaveChangesAsync(cancellationToken);
        if (verification.State == VerificationState.Queued)
        {
            // The row is committed before the job exists, so the worker always finds it. Jobs carry only the id.
            var id = verification.Id;
            verification.HangfireJobId = jobs.Create<IImageVerificationJob>(j => j.RunAsync(id, CancellationToken.None), new EnqueuedState(recorded.ModelId));
            await db.SaveChangesAsync(cancellationToken);
        }
        LogRequested(logger, verification.Id, imageSha256[..12], recorded.ModelId, verification.State);
        return ToView(verification);
    }

    public async Task<VerificationView?> GetVerificationAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var verification = await db.ImageVerifications.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        return verification is null ? null : ToView(verification);
    }

    public async Task<IReadOnlyList<VerificationView>> ListVerificationsAsync(string imageSha256, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (!IsSha256(imageSha256) || !await db.Images.AnyAsync(i => i.Sha256 == imageSha256, cancellationToken))
        {
            throw NoSuchImage(imageSha256);
        }
        var verifications = await db.ImageVerifications.AsNoTracking()
            .Where(v => v.ImageSha256 == imageSha256)
            .OrderByDescending(v => v.CreatedAt)
            .Take(ListLimit)
            .ToListAsync(cancellationToken);
        return [.. verifications.Select(ToView)];
    }

    /// <summary>The image's provenance; 404 for an unknown image, 409 for one without a readable provenance.</summary>
    private static async Task<ImageProvenance> ReadProvenanceAsync(PortalDbContext db, string imageSha256, CancellationToken cancellationToken)
    {
        var metadata = IsSha256(imageSha256)
            ? await db.Images.AsNoTracking().Where(i => i.Sha256 == imageSha256).Select(i => i.Metadata).SingleOrDefaultAsync(cancellationToken)
            : null;
        if (metadata is null)
        {
            throw NoSuchImage(imageSha256);
        }
        try
        {
            return ImageProvenance.FromMetadata(metadata)
                ?? throw new ApiException(StatusCodes.Status409Conflict,
                    $"Image {imageSha256} has no provenance, so it cannot be re-run: it was made before workers recorded one.");
        }
        catch (JsonException ex)
        {
            throw new ApiException(StatusCodes.Status409Conflict, $"The provenance of image {imageSha256} cannot be read, so it cannot be re-run: {ex.Message}");
        }
    }

    /// <summary>Cannot verify, with why, when no worker online serves the model with the recorded files; null when one does.</summary>
    private async Task<VerificationOutcome?> CheckWorkersAsync(PortalDbContext db, ImageProvenance recorded, CancellationToken cancellationToken)
    {
        var online = (await network.GetOnlineWorkersAsync(cancellationToken))
            .Where(w => w.Queues.Contains(recorded.ModelId, StringComparer.Ordinal))
            .Select(w => w.MinerId)
            .ToList();
        var served = await db.MinerModels.AsNoTracking()
            .Where(m => online.Contains(m.MinerId) && m.ModelId == recorded.ModelId)
            .OrderBy(m => m.MinerId)
            .Select(m => new { m.MinerId, m.FileHashes })
            .ToListAsync(cancellationToken);
        if (served.Count == 0)
        {
            return VerificationOutcome.CannotVerify($"no worker online serves {recorded.ModelId}");
        }
        VerificationOutcome? first = null;
        foreach (var model in served)
        {
            var files = JsonSerializer.Deserialize<Dictionary<string, string>>(model.FileHashes) ?? [];
            if (VerificationOutcome.CheckModelFiles(recorded, $"miner {model.MinerId}", files) is not { } mismatch)
            {
                return null;
            }
            first ??= mismatch;
        }
        return VerificationOutcome.CannotVerify(
            $"no worker online has the recorded model files of {recorded.ModelId} ({served.Count} serve it with other files)", first!.Differences);
    }

    private static bool IsSha256(string value) => value is { Length: 64 } && value.All(char.IsAsciiHexDigitLower);

    private static ApiException NoSuchImage(string imageSha256) => new(StatusCodes.Status404NotFound, $"There is no image {imageSha256}.");

    private static VerificationView ToView(ImageVerification v)
        => new(v.Id, v.ImageSha256, v.State, v.ExpectedSha256, v.ActualSha256, [.. v.Differences], v.Reason, v.CreatedAt, v.FinishedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verification {VerificationId} of image {Sha} on {Model}: {State}")]
    private static partial void LogRequested(ILogger logger, Guid verificationId, string sha, string model, VerificationState state);
}
