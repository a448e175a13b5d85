using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace Heurist.LocalRunner;

/// <summary>Settings for a private PostgreSQL cluster on loopback.</summary>
public sealed record LocalPostgresOptions
{
    /// <summary>The cluster's data folder. It is created with initdb when it holds no cluster yet.</summary>
    public required string DataDirectory { get; init; }

    public required int Port { get; init; }

    public string Database { get; init; } = "heurist";

    public string User { get; init; } = "heurist";

    /// <summary>Folder holding initdb, pg_ctl and postgres; found with <see cref="LocalPostgresCluster.FindBinDirectory"/> when null.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>
    /// Trades durability for speed (no fsync). For throwaway test clusters only: a crash can corrupt the data.
    /// </summary>
    public bool Throwaway { get; init; }
}

/// <summary>The PostgreSQL binaries could not be found.</summary>
public sealed class PostgresNotInstalledException(string message) : Exception(message);

/// <summary>
/// A private PostgreSQL cluster made with initdb and run with pg_ctl: the embedded default database of run.sh,
/// and the throwaway database of the tests. When the current user is root, the binaries run as the "postgres" OS user,
/// because PostgreSQL refuses to run as root.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    private readonly LocalPostgresOptions _options;
    private readonly string _binDirectory;
    private bool _stopped;

    private LocalPostgresCluster(LocalPostgresOptions options, string binDirectory)
    {
        _options = options;
        _binDirectory = binDirectory;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = options.Port,
            Username = options.User,
            Database = options.Database,
        }.ConnectionString;
    }

    /// <summary>The connection string of the cluster's database.</summary>
    public string ConnectionString { get; }

    public LocalPostgresOptions Options => _options;

    private static bool IsRoot => Environment.UserName == "root";

    private string LogFile => Path.Combine(_options.DataDirectory, "server.log");

    /// <summary>
    /// Finds the folder of the PostgreSQL binaries: the one holding initdb on PATH, else the newest /usr/lib/postgresql/*/bin.
    /// </summary>
    public static string FindBinDirectory()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(folder, "initdb");
            if (File.Exists(initdb) && File.Exists(Path.Combine(folder, "pg_ctl")))
            {
                // Debian links /usr/local/bin/initdb into the versioned folder; follow it so postgres is found next to it.
                var target = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
                return Path.GetDirectoryName(target)!;
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(dir => (dir, version: double.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var v) ? v : -1))
                .Where(x => x.version >= 0 && File.Exists(Path.Combine(x.dir, "bin", "initdb")))
                .OrderByDescending(x => x.version)
                .Select(x => Path.Combine(x.dir, "bin"))
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        throw new PostgresNotInstalledException(
            "PostgreSQL is not installed: no initdb on PATH or under /usr/lib/postgresql/*/bin. Install it (Debian: apt-get install -y postgresql) or set ConnectionStrings__Portal.");
    }

    /// <summary>Creates the cluster if needed, starts it, and creates the database if it does not exist.</summary>
    public static async Task<LocalPostgresCluster> StartAsync(LocalPostgresOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = new LocalPostgresCluster(options, options.BinDirectory ?? FindBinDirectory());
        await cluster.InitializeIfNeededAsync(cancellationToken).ConfigureAwait(false);
        await cluster.StartServerAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await cluster.CreateDatabaseIfMissingAsync(options.Database, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return cluster;
    }

    /// <summary>Creates another database in this cluster (tests give each test class its own) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        await CreateDatabaseIfMissingAsync(name, cancellationToken).ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Stops the server (fast shutdown). The data folder stays.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }
        _stopped = true;
        await RunAsync("pg_ctl", ["-D", _options.DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"], ignoreFailure: true, CancellationToken.None)
            .ConfigureAwait(false);
    }

    private async Task InitializeIfNeededAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(_options.DataDirectory, "PG_VERSION")))
        {
            return;
        }
        Directory.CreateDirectory(_options.DataDirectory);
        if (IsRoot)
        {
            await RunRawAsync("chown", ["-R", "postgres:postgres", _options.DataDirectory], cancellationToken).ConfigureAwait(false);
        }
        List<string> args = ["-D", _options.DataDirectory, "-U", _options.User, "--auth=trust", "--encoding=UTF8", "--no-locale"];
        if (_options.Throwaway)
        {
            args.Add("--no-sync");
        }
        var result = await RunAsync("initdb", args, ignoreFailure: true, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var hint = IsRoot && result.Output.Contains("Permission denied", StringComparison.Ordinal)
                ? $" The cluster runs as the postgres OS user, and the postgres OS user cannot reach {_options.DataDirectory}: every folder above it must be traversable by others (chmod o+x)."
                : "";
            throw new InvalidOperationException($"initdb failed for {_options.DataDirectory}: {result.Output.Trim()}{hint}");
        }
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        // A server left behind by a hard kill would hold the data folder; stop it before starting on our port.
        var status = await RunAsync("pg_ctl", ["-D", _options.DataDirectory, "status"], ignoreFailure: true, cancellationToken).ConfigureAwait(false);
        if (status.ExitCode == 0)
        {
            await RunAsync("pg_ctl", ["-D", _options.DataDirectory, "-m", "fast", "-w", "stop"], ignoreFailure: true, cancellationToken).ConfigureAwait(false);
        }

        // A throwaway cluster serves a test run: dozens of in-process portals at once, each with its pools, its Hangfire
        // servers and its background services, share its connections.
        var serverOptions = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"-p {_options.Port} -c listen_addresses=127.0.0.1 -k '' -c max_connections={(_options.Throwaway ? 1000 : 300)}");
        if (_options.Throwaway)
        {
            serverOptions.Append(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        var result = await RunAsync(
            "pg_ctl",
            ["-D", _options.DataDirectory, "-l", LogFile, "-o", serverOptions.ToString(), "-w", "-t", "60", "start"],
            ignoreFailure: true,
            cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? TailOf(await File.ReadAllLinesAsync(LogFile, cancellationToken).ConfigureAwait(false), 5) : "";
            throw new InvalidOperationException(
                $"PostgreSQL did not start on port {_options.Port} (data folder {_options.DataDirectory}): {result.Output.Trim()} {log}".Trim());
        }
    }

    private async Task CreateDatabaseIfMissingAsync(string name, CancellationToken cancellationToken)
    {
        var adminConnection = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new NpgsqlConnection(adminConnection);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            var quoted = "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
#pragma warning disable CA2100 // The name is quoted as an identifier; CREATE DATABASE takes no parameters.
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
#pragma warning restore CA2100
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<ProcessResult> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken)
        => RunAsync(tool, args, ignoreFailure: false, cancellationToken);

    private Task<ProcessResult> RunAsync(string tool, IReadOnlyList<string> args, bool ignoreFailure, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_binDirectory, tool);
        if (!IsRoot)
        {
            return RunProcessAsync(path, args, ignoreFailure, cancellationToken);
        }
        List<string> asPostgres = ["-u", "postgres", "--", path, .. args];
        return RunProcessAsync(File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : "runuser", asPostgres, ignoreFailure, cancellationToken);
    }

    private static Task<ProcessResult> RunRawAsync(string tool, IReadOnlyList<string> args, CancellationToken cancellationToken)
        => RunProcessAsync(tool, args, ignoreFailure: false, cancellationToken);

    private static async Task<ProcessResult> RunProcessAsync(string fileName, IReadOnlyList<string> args, bool ignoreFailure, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // postgres must not inherit a working directory it cannot read (root's home, for instance).
            WorkingDirectory = "/",
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        // pg_ctl start leaves the server holding the inherited output pipes, so read only until pg_ctl itself exits.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var output = await ReadWithin(stdout).ConfigureAwait(false) + await ReadWithin(stderr).ConfigureAwait(false);
        if (process.ExitCode != 0 && !ignoreFailure)
        {
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} {string.Join(' ', args)} failed with exit code {process.ExitCode}: {output.Trim()}");
        }
        return new ProcessResult(process.ExitCode, output);
    }

    private static async Task<string> ReadWithin(Task<string> read)
    {
        var finished = await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        return finished == read ? await read.ConfigureAwait(false) : "";
    }

    private static string TailOf(string[] lines, int count) => string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - count)));

    private readonly record struct ProcessResult(int ExitCode, string Output);
}
