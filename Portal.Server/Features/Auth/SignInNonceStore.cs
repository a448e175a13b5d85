using System.Security.Cryptography;
using System.Text;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Auth;
using Heurist.Protocol.Auth;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Server.Features.Auth;

/// <summary>The Sign-In with Ethereum nonces in PostgreSQL: handed out with an expiry, used at most once.</summary>
public sealed class SignInNonceStore(IDbContextFactory<PortalDbContext> databases, TimeProvider clock)
{
    /// <summary>How long a nonce can be used after it was handed out.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>How long after its sign-in a used nonce still confirms that sign-in to an interactive Server page.</summary>
    public static readonly TimeSpan ConfirmationWindow = TimeSpan.FromMinutes(2);

    public async Task<string> IssueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // Keep the table small: nonces a day past their expiry can be neither used nor confirmed.
        await db.SignInNonces.Where(n => n.ExpiresAt < now.AddDays(-1)).ExecuteDeleteAsync(cancellationToken);
        var nonce = new SignInNonce { Nonce = SiweNonces.Create(), IssuedAt = now, ExpiresAt = now + Lifetime };
        db.SignInNonces.Add(nonce);
        await db.SaveChangesAsync(cancellationToken);
        return nonce.Nonce;
    }

    /// <summary>
    /// Marks <paramref name="message"/>'s nonce used by its address, if it is ours, unused and unexpired, in one
    /// statement, so two requests racing with the same message cannot both sign in.
    /// </summary>
    public async Task<NonceCheck> UseAsync(SiweMessage message, string messageText, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var address = message.Address.ToLowerInvariant();
        var sha256 = Sha256(messageText);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var used = await db.SignInNonces
            .Where(n => n.Nonce == message.Nonce && n.UsedAt == null && n.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set
                .SetProperty(n => n.UsedAt, now)
                .SetProperty(n => n.UsedBy, address)
                .SetProperty(n => n.MessageSha256, sha256), cancellationToken);
        if (used == 1)
        {
            return NonceCheck.Valid;
        }
        var found = await db.SignInNonces.AsNoTracking().SingleOrDefaultAsync(n => n.Nonce == message.Nonce, cancellationToken);
        var check = SiweNonces.Check(found is null ? null : new NonceState(found.ExpiresAt, found.UsedAt), now);
        // The row changed between the two statements only if another request used it: that one won.
        return check == NonceCheck.Valid ? NonceCheck.Used : check;
    }

    /// <summary>Whether <paramref name="messageText"/> signed its address in within the confirmation window.</summary>
    public async Task<bool> SignedInRecentlyAsync(SiweMessage message, string messageText, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow() - ConfirmationWindow;
        var address = message.Address.ToLowerInvariant();
        var sha256 = Sha256(messageText);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.SignInNonces.AnyAsync(
            n => n.Nonce == message.Nonce && n.UsedBy == address && n.MessageSha256 == sha256 && n.UsedAt >= since, cancellationToken);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
