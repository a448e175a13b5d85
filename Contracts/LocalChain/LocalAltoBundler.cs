using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Heurist.Contracts.AccountAbstraction;
using Heurist.Contracts.Deployment;

namespace Heurist.Contracts.LocalChain;

/// <summary>Settings for a local Alto bundler.</summary>
public sealed record LocalAltoOptions
{
    /// <summary>Path of Alto's command-line script; see <see cref="LocalAltoBundler.FindScript"/>.</summary>
    public required string ScriptPath { get; init; }

    public required Uri RpcUrl { get; init; }

    public required int Port { get; init; }

    /// <summary>The account that sends handleOps; <see cref="AnvilAccounts.Bundler"/> locally.</summary>
    public required string ExecutorPrivateKey { get; init; }

    /// <summary>Deploys Alto's simulation contracts at its start (and nothing else: wallet refills are off). Needs ETH.</summary>
    public required string UtilityPrivateKey { get; init; }

    public string EntryPoint { get; init; } = CanonicalEntryPoint.Address;

    /// <summary>When set, Alto's output is appended to this file.</summary>
    public string? LogFile { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Runs Alto in a session of its own, as <see cref="LocalAnvilOptions.OwnSession"/> does for anvil.</summary>
    public bool OwnSession { get; init; }
}

/// <summary>
/// Pimlico's Alto, an ERC-4337 bundler, on loopback next to anvil. Safe mode is off because anvil has no JavaScript
/// tracer for the ERC-7562 opcode rules; the EntryPoint's own validation still runs on every operation.
/// </summary>
public sealed class LocalAltoBundler : IAsyncDisposable
{
    /// <summary>Where npm ci in the Bundler folder puts Alto's script, relative to that folder.</summary>
    public const string ScriptRelativePath = "node_modules/@pimlico/alto/esm/cli/alto.js";

    private readonly Process _process;
    private readonly StreamWriter? _log;

    private LocalAltoBundler(Process process, Uri url, StreamWriter? log)
    {
        _process = process;
        Url = url;
        _log = log;
    }

    public Uri Url { get; }

    public int ProcessId => _process.Id;

    /// <summary>Finds Alto under the given Bundler folder, or explains how to install it.</summary>
    public static string FindScript(string bundlerDirectory)
    {
        var path = Path.Combine(bundlerDirectory, ScriptRelativePath);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Alto is not installed at {path}: run 'npm ci' in {bundlerDirectory}.", path);
    }

    /// <summary>Starts Alto and returns once it serves the EntryPoint.</summary>
    public static async Task<LocalAltoBundler> StartAsync(LocalAltoOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var start = new ProcessStartInfo(options.OwnSession ? "setsid" : "node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (options.OwnSession)
        {
            start.ArgumentList.Add("node");
        }
        string[] arguments =
        [
            options.ScriptPath,
            "--entrypoints", options.EntryPoint,
            "--rpc-url", options.RpcUrl.ToString(),
            "--executor-private-keys", options.ExecutorPrivateKey,
            "--utility-private-key", options.UtilityPrivateKey,
            "--port", options.Port.ToString(CultureInfo.InvariantCulture),
            "--safe-mode", "false",
            // The executor is funded already: the utility account refills nothing, and sends nothing after its start.
            "--refilling-wallets", "false",
            "--utility-wallet-monitor", "false",
            "--min-bundle-interval", "20",
            "--max-bundle-interval", "100",
            "--block-time", "250",
            "--log-level", "warn",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        StreamWriter? log = null;
        if (options.LogFile is { } logFile)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
            log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        }
        var recent = new Queue<string>();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (recent)
            {
                recent.Enqueue(e.Data);
                if (recent.Count > 30)
                {
                    recent.Dequeue();
                }
                log?.WriteLine(e.Data);
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var url = new Uri($"http://127.0.0.1:{options.Port}/");
        var bundler = new LocalAltoBundler(process, url, log);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var client = new BundlerClient(http, url);
        var deadline = DateTime.UtcNow + options.StartTimeout;
        while (true)
        {
            if (process.HasExited)
            {
                string output;
                lock (recent)
                {
                    output = string.Join(Environment.NewLine, recent);
                }
                var exitCode = process.ExitCode;
                await bundler.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"Alto exited with code {exitCode} while starting on port {options.Port}: {output}");
            }
            try
            {
                var entryPoints = await client.SupportedEntryPointsAsync(cancellationToken).ConfigureAwait(false);
                if (entryPoints.Any(e => string.Equals(e, options.EntryPoint, StringComparison.OrdinalIgnoreCase)))
                {
                    return bundler;
                }
            }
            catch (BundlerUnavailableException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (BundlerUnavailableException ex)
            {
                await bundler.DisposeAsync().ConfigureAwait(false);
                throw new TimeoutException($"Alto did not answer on {url} within {options.StartTimeout.TotalSeconds:0} s.", ex);
            }
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops Alto with SIGTERM, and kills it if it has not exited within five seconds.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _ = kill(_process.Id, SigTerm);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _process.Dispose();
            if (_log is not null)
            {
                await _log.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
#pragma warning disable CA5392, SYSLIB1054 // libc is the system library; kill(2) has no managed equivalent that takes a signal.
    private static extern int kill(int pid, int sig);
#pragma warning restore CA5392, SYSLIB1054
}
