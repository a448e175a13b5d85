using System.Security.Cryptography;
using System.Text;
using Heurist.Portal.Data;
using Heurist.Protocol.Auth;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Heurist.Portal.Server.Features.Auth;

/// <summary>
/// The Sign-In with Ethereum nonces in PostgreSQL (table sign_in_nonces): handed out with an expiry, used at most once.
/// Plain SQL on one data source, EF's change tracking cost more than the statements themselves; and the two statements
/// of every sign-in (hand out, use) go through a <see cref="GroupCommit{TItem, TResult}"/> each, so concurrent
/// sign-ins share a round trip and a commit (bench/auth.sh).
/// </summary>
public sealed class SignInNonceStore : IAsyncDisposable
{
    /// <summary>How long a nonce can be used after it was handed out.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    /// <summary>How long after its sign-in a used nonce still confirms that sign-in to an interactive Server page.</summary>
    public static readonly TimeSpan ConfirmationWindow = TimeSpan.FromMinutes(2);

    /// <summary>How often expired nonces are deleted; a day past their expiry they can be neither used nor confirmed.</summary>
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(1);

    /// <summary>The most nonces one statement writes.</summary>
    private const int MaxBatch = 64;

    private readonly TimeProvider _clock;
    private readonly Lazy<NpgsqlDataSource> _source;
    private readonly GroupCommit<string, bool> _issues;
    private readonly GroupCommit<NonceUse, bool> _uses;
    private long _nextCleanupTicks;

    public SignInNonceStore(IOptions<PortalDatabaseOptions> database, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(database);
        _clock = clock;
        _source = new(() => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.Value.Portal)
        {
            // The same few statements on every sign-in: parse them once per connection, and skip the reset
            // (DISCARD ALL) on each return to the pool, since they leave no session state behind.
            MaxAutoPrepare = 8,
            AutoPrepareMinUsages = 2,
            NoResetOnClose = true,
            // But plan each execution: a plan cached while the table was small scans it all once it has grown.
            Options = "-c plan_cache_mode=force_custom_plan",
        }));
        _issues = new GroupCommit<string, bool>(InsertAsync, MaxBatch);
        _uses = new GroupCommit<NonceUse, bool>(MarkUsedAsync, MaxBatch);
    }

    public async Task<string> IssueAsync(CancellationToken cancellationToken)
    {
        var nonce = SiweNonces.Create();
        await _issues.SubmitAsync(nonce, cancellationToken);
        await CleanUpNowAndThenAsync(_clock.GetUtcNow(), cancellationToken);
        return nonce;
    }

    /// <summary>
    /// Marks <paramref name="message"/>'s nonce used by its address, if it is ours, unused and unexpired, in one
    /// statement, so two requests racing with the same message cannot both sign in.
    /// </summary>
    public async Task<NonceCheck> UseAsync(SiweMessage message, string messageText, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await _uses.SubmitAsync(new NonceUse(message.Nonce, message.Address.ToLowerInvariant(), Sha256(messageText)), cancellationToken))
        {
            return NonceCheck.Valid;
        }
        await using var find = _source.Value.CreateCommand("SELECT expires_at, used_at FROM sign_in_nonces WHERE nonce = $1");
        find.Parameters.Add(new NpgsqlParameter { Value = message.Nonce });
        await using var row = await find.ExecuteReaderAsync(cancellationToken);
        var state = await row.ReadAsync(cancellationToken)
            ? new NonceState(row.GetFieldValue<DateTimeOffset>(0), row.IsDBNull(1) ? null : row.GetFieldValue<DateTimeOffset>(1))
            : null;
        var check = SiweNonces.Check(state, _clock.GetUtcNow());
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
        find.Parameters.Add(new NpgsqlParameter { Value = _clock.GetUtcNow() - ConfirmationWindow });
        return await find.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async ValueTask DisposeAsync()
    {
        await _issues.DisposeAsync();
        await _uses.DisposeAsync();
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

    /// <summary>Writes a batch of fresh nonces, all issued now.</summary>
    private async Task<IReadOnlyList<bool>> InsertAsync(IReadOnlyList<string> nonces)
    {
        var now = _clock.GetUtcNow();
        await using var insert = _source.Value.CreateCommand(
            "INSERT INTO sign_in_nonces (nonce, issued_at, expires_at) SELECT n, $2, $3 FROM unnest($1::text[]) AS n");
        insert.Parameters.Add(new NpgsqlParameter { Value = nonces.ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = now });
        insert.Parameters.Add(new NpgsqlParameter { Value = now + Lifetime });
        await insert.ExecuteNonQueryAsync();
        return [.. nonces.Select(_ => true)];
    }

    /// <summary>
    /// Marks a batch of nonces used, each by its own address and message, where still unused and unexpired; true for
    /// each item that did. A nonce twice in one batch is written for its first item only: the later ones find it used.
    /// </summary>
    private async Task<IReadOnlyList<bool>> MarkUsedAsync(IReadOnlyList<NonceUse> uses)
    {
        var first = new Dictionary<string, int>(uses.Count, StringComparer.Ordinal);
        for (var i = 0; i < uses.Count; i++)
        {
            first.TryAdd(uses[i].Nonce, i);
        }
        var written = first.Values.Select(i => uses[i]).ToArray();
        // nonce = ANY($2) lets the planner find the rows by the primary key whatever it guesses unnest's size to be.
        await using var use = _source.Value.CreateCommand(
            """
            UPDATE sign_in_nonces AS n SET used_at = $1, used_by = u.used_by, message_sha256 = u.message_sha256
            FROM unnest($2::text[], $3::text[], $4::text[]) AS u(nonce, used_by, message_sha256)
            WHERE n.nonce = ANY($2::text[]) AND n.nonce = u.nonce AND n.used_at IS NULL AND n.expires_at > $1
            RETURNING n.nonce
            """);
        use.Parameters.Add(new NpgsqlParameter { Value = _clock.GetUtcNow() });
        use.Parameters.Add(new NpgsqlParameter { Value = written.Select(u => u.Nonce).ToArray() });
        use.Parameters.Add(new NpgsqlParameter { Value = written.Select(u => u.UsedBy).ToArray() });
        use.Parameters.Add(new NpgsqlParameter { Value = written.Select(u => u.MessageSha256).ToArray() });
        var used = new HashSet<string>(StringComparer.Ordinal);
        await using (var rows = await use.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync())
            {
                used.Add(rows.GetString(0));
            }
        }
        return [.. uses.Select((u, i) => first[u.Nonce] == i && used.Contains(u.Nonce))];
    }

    private sealed record NonceUse(string Nonce, string UsedBy, string MessageSha256);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
