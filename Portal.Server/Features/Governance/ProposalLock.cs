using Heurist.Portal.Data;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Server.Features.Governance;

/// <summary>
/// A proposal's transaction-level advisory lock. Votes hold it shared while they check and store; freezing the
/// results and cancelling hold it exclusive, so they wait for the votes being stored, and a vote that comes after
/// them reads the frozen or cancelled row. Shared advisory locks live in the lock manager's memory: a row lock
/// (FOR SHARE) taken by many votes at once made PostgreSQL build a multixact for each of them.
/// </summary>
internal static class ProposalLock
{
    /// <summary>The shared form, for a batch command; $1 is the proposal id.</summary>
    public const string SharedSql = "SELECT pg_advisory_xact_lock_shared(hashtextextended('proposal:' || $1, 0))";

    /// <summary>Takes the exclusive lock in the context's open transaction.</summary>
    public static Task TakeExclusiveAsync(PortalDbContext db, string proposalId, CancellationToken cancellationToken)
        => db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended('proposal:' || {proposalId}, 0))", cancellationToken);
}
