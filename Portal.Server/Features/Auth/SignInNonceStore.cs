using System.Security.Cryptography;
using System.Text;
using Heurist.Portal.Data;
using Heurist.Protocol.Auth;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Heurist.Portal.Server.Features.Auth;

/// <summary>
/// The Sign-In with Ethereum nonces in PostgreSQL (table sign_in_nonces): handed out with an expiry, used at most once.
/// Plain SQL on one data source: a sign-in makes two of these statements, and EF's change tracking cost more than the
/// statements themselves (bench/auth.sh).
/// </summary>
public sealed class SignInNonceStore(IOptions<PortalDatabaseOptions> database, TimeProvider clock) : IAsyncDisposable
{
    /// <summary>How long a nonce can be used after it was handed out.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>How long after its sign-in a used nonce still confirms that sign-in to an interactive Server page.</summary>
    public static readonly TimeSpan ConfirmationWindow = TimeSpan.FromMinutes(2);

    /// <summary>How often expired nonces are deleted; a day past their expiry they can be neither used nor confirmed.</summary>
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(1);

    private readonly Lazy<NpgsqlDataSource> _source = new(() => NpgsqlDataSource.Create(database.Value.Portal!));
    private long _nextCleanupTicks;

    public async Task<string> IssueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var nonce = SiweNonces.Create();
        await using var insert = _source.Value.CreateCommand(
            "INSERT INTO sign_in_nonces (nonce, issued_at, expires_at) VALUES ($1, $2, $3)");
        insert.Parameters.Add(new NpgsqlParameter { Value = nonce });
        insert.Parameters.Add(new NpgsqlParameter { Value = now });
        insert.Parameters.Add(new NpgsqlParameter { Value = now + Lifetime });
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await CleanUpNowAndThenAsync(now, cancellationToken);
        return nonce;
    }

    /// <summary>
    /// Marks <paramref name="message"/>'s nonce used by its address, if it is ours, unused and unexpired, in one
    /// statement, so two requests racing with the same message cannot both sign in.
    /// </summary>
    public async Task<NonceCheck> UseAsync(SiweMessage message, string messageText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = clock.GetUtcNow();
        await using var use = _source.Value.CreateCommand(
            "UPDATE sign_in_nonces SET used_at = $2, used_by = $3, message_sha256 = $4 WHERE nonce = $1 AND used_at IS NULL AND expires_at > $2");
        use.Parameters.Add(new NpgsqlParameter { Value = message.Nonce });
        use.Parameters.Add(new NpgsqlParameter { Value = now });
        use.Parameters.Add(new NpgsqlParameter { Value = message.Address.ToLowerInvariant() });
        use.Parameters.Add(new NpgsqlParameter { Value = Sha256(messageText) });
        if (await use.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return NonceCheck.Valid;
        }
        await using var find = _source.Value.CreateCommand("SELECT expires_at, used_at FROM sign_in_nonces WHERE nonce = $1");
        find.Parameters.Add(new NpgsqlParameter { Value = message.Nonce });
        await using var row = await find.ExecuteReaderAsync(cancellationToken);
        var state = await row.ReadAsync(cancellationToken)
            ? new NonceState(row.GetFieldValue<DateTimeOffset>(0), row.IsDBNull(1) ? null : row.GetFieldValue<DateTimeOffset>(1))
            : null;
        var check = SiweNonces.Check(state, now);
        // The row changed between the two statements only if another request used it: that one won.
        return check == NonceCheck.Valid ? NonceCheck.Used : check;
    }

    /// <summary>Whether <paramref name="messageText"/> signed its address in within the confirmation window.</summary>
    public async Task<bool> SignedInRecentlyAsync(SiweMessage message, string messageText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await using var find = _source.Value.CreateCommand(
            "SELECT 1 FROM sign_in_nonces WHERE nonce = $1 AND used_by = $2 AND message_sha256 = $3 AND used_at >= $4");
        find.Parameters.Add(new NpgsqlParameter { Value = message.Nonce });
        find.Parameters.Add(new NpgsqlParameter { Value = message.Address.ToLowerInvariant() });
        find.Parameters.Add(new NpgsqlParameter { Value = Sha256(messageText) });
        find.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() - ConfirmationWindow });
        return await find.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_source.IsValueCreated)
        {
            await _source.Value.DisposeAsync();
        }
    }

    private async Task CleanUpNowAndThenAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var next = Interlocked.Read(ref _nextCleanupTicks);
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextCleanupTicks, (now + CleanupInterval).UtcTicks, next) != next)
        {
            return;
        }
        await using var delete = _source.Value.CreateCommand("DELETE FROM sign_in_nonces WHERE expires_at < $1");
        delete.Parameters.Add(new NpgsqlParameter { Value = now.AddDays(-1) });
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
