using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Data.Images;

/// <summary>
/// A PostgreSQL NOTIFY on every change of an image job (progress, result, cancellation), so that the portal can
/// push it to the browser at once instead of polling. The payload is the job id.
/// </summary>
public static class ImageJobNotifications
{
    public const string Channel = "image_job_progress";

    public static Task NotifyAsync(PortalDbContext db, Guid jobId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_notify({Channel}, {jobId.ToString()})", cancellationToken);
    }
}
