using Npgsql;

namespace Heurist.NetworkGenerator;

/// <summary>
/// A big table filled with one binary COPY on a connection of its own. Its primary key and indexes are dropped first
/// and built again at the end, in the same transaction: one sort per index is much cheaper than keeping ten million
/// random keys in order while rows arrive. The table is truncated in that transaction too, which lets COPY FREEZE
/// write the rows already frozen, so no vacuum has to visit them later.
/// </summary>
internal sealed class BulkTable : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly List<string> _rebuild;
    private NpgsqlBinaryImporter? _importer;

    private BulkTable(string table, NpgsqlConnection connection, NpgsqlTransaction transaction, List<string> rebuild)
    {
        Table = table;
        _connection = connection;
        _transaction = transaction;
        _rebuild = rebuild;
    }

    public string Table { get; }

    public NpgsqlBinaryImporter Rows => _importer ?? throw new InvalidOperationException($"The COPY into {Table} has finished.");

    public long RowCount { get; private set; }

    /// <summary>Starts a row; call the importer's Write methods for each column next.</summary>
    public NpgsqlBinaryImporter StartRow()
    {
        Rows.StartRow();
        RowCount++;
        return Rows;
    }

    /// <summary>
    /// Opens the table for a bulk load: <paramref name="table"/> is a fixed name of the portal's schema (never user
    /// input), <paramref name="columns"/> the columns each row gives, in order; the others take their defaults.
    /// </summary>
    public static async Task<BulkTable> BeginAsync(NpgsqlDataSource dataSource, string table, string columns, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var rebuild = new List<string>();
            var drop = new List<string>();
            // The primary key goes back as a constraint, the other indexes as the index definitions they were.
            await using (var read = new NpgsqlCommand(
                """
                SELECT c.conname, pg_get_constraintdef(c.oid), i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u')
                WHERE i.indrelid = @table::regclass
                ORDER BY c.conname NULLS LAST, 3
                """, connection, transaction))
            {
                read.Parameters.AddWithValue("table", table);
                await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!reader.IsDBNull(0))
                    {
                        drop.Add($"ALTER TABLE {table} DROP CONSTRAINT {reader.GetString(0)}");
                        rebuild.Add($"ALTER TABLE {table} ADD CONSTRAINT {reader.GetString(0)} {reader.GetString(1)}");
                    }
                    else
                    {
                        drop.Add($"DROP INDEX {reader.GetString(2)}");
                        rebuild.Add(reader.GetString(3));
                    }
                }
            }
            foreach (var statement in drop.Append($"TRUNCATE {table}"))
            {
                await ExecuteAsync(connection, transaction, statement, cancellationToken).ConfigureAwait(false);
            }
            var bulk = new BulkTable(table, connection, transaction, rebuild);
            bulk._importer = await connection.BeginBinaryImportAsync($"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY, FREEZE)", cancellationToken)
                .ConfigureAwait(false);
            return bulk;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Ends the COPY, builds the key and indexes again, and commits.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await Rows.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await _importer!.DisposeAsync().ConfigureAwait(false);
        _importer = null;
        // Enough memory for the index sorts to stay in memory at ten million rows.
        await ExecuteAsync(_connection, _transaction, "SET LOCAL maintenance_work_mem = '512MB'", cancellationToken).ConfigureAwait(false);
        foreach (var statement in _rebuild)
        {
            await ExecuteAsync(_connection, _transaction, statement, cancellationToken).ConfigureAwait(false);
        }
        await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
#pragma warning disable CA2100 // Fixed table names and definitions read back from the catalog; DDL takes no parameters.
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Without <see cref="CompleteAsync"/>, the COPY is cancelled and the transaction rolled back: the table is as it was.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_importer is not null)
        {
            try
            {
                await _importer.DisposeAsync().ConfigureAwait(false);
            }
            catch (NpgsqlException)
            {
                // The connection may already be broken; closing it below rolls back all the same.
            }
            catch (InvalidOperationException)
            {
                // Likewise: an importer whose connection failed mid-COPY cannot cancel cleanly.
            }
        }
        await _transaction.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
