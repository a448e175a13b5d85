using System.Diagnostics;
using System.Runtime.InteropServices;
using Heurist.Contracts.Rpc;

namespace Heurist.Contracts.LocalChain;

/// <summary>Settings for a local anvil node.</summary>
public sealed record LocalAnvilOptions
{
    /// <summary>Path of the anvil executable; see <see cref="LocalAnvilNode.FindBinary"/>.</summary>
    public required string BinaryPath { get; init; }

    public required int Port { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public ulong ChainId { get; init; } = 31337;

    /// <summary>When set, the chain is loaded from and saved to this file, so balances and contracts survive a restart.</summary>
    public string? StateFile { get; init; }

    /// <summary>When set, anvil's output is appended to this file.</summary>
    public string? LogFile { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Runs anvil in a session of its own, so a Ctrl-C in the terminal reaches only the process that started it,
    /// which then stops anvil in order. Needs util-linux's setsid.
    /// </summary>
    public bool OwnSession { get; init; }
}

/// <summary>
/// An anvil process on loopback. Started by the local runner and by tests; stopping it with SIGTERM lets anvil write its state file.
/// </summary>
public sealed class LocalAnvilNode : IAsyncDisposable
{
    /// <summary>Where npm ci puts anvil, relative to the Contracts folder.</summary>
    public const string BinaryRelativePath = "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

    private readonly Process _process;
    private readonly StreamWriter? _log;

    private LocalAnvilNode(Process process, Uri rpcUrl, StreamWriter? log)
    {
        _process = process;
        RpcUrl = rpcUrl;
        _log = log;
    }

    public Uri RpcUrl { get; }

    public int ProcessId => _process.Id;

    /// <summary>Finds anvil under the given Contracts folder, or explains how to install it.</summary>
    public static string FindBinary(string contractsDirectory)
    {
        var path = Path.Combine(contractsDirectory, BinaryRelativePath);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"anvil is not installed at {path}: run 'npm ci' in {contractsDirectory}.", path);
    }

    /// <summary>Starts anvil and returns once it answers eth_chainId.</summary>
    public static async Task<LocalAnvilNode> StartAsync(LocalAnvilOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var start = new ProcessStartInfo(options.OwnSession ? "setsid" : options.BinaryPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (options.OwnSession)
        {
            start.ArgumentList.Add(options.BinaryPath);
        }
        foreach (var arg in new[] { "--host", options.Host, "--port", options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--chain-id", options.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }
        if (options.StateFile is { } stateFile)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(stateFile))!);
            start.ArgumentList.Add("--state");
            start.ArgumentList.Add(stateFile);
            // A periodic save as well, so a hard kill loses at most a few seconds of chain.
            start.ArgumentList.Add("--state-interval");
            start.ArgumentList.Add("5");
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
                if (recent.Count > 20)
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

        var rpcUrl = new Uri($"http://{options.Host}:{options.Port}/");
        var node = new LocalAnvilNode(process, rpcUrl, log);
        var rpc = ChainRpc.Connect(rpcUrl, TimeSpan.FromSeconds(2));
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
                await node.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"anvil exited with code {process.ExitCode} while starting on port {options.Port}: {output}");
            }
            try
            {
                var chainId = await rpc.Eth.ChainId.SendRequestAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                if (chainId.Value == options.ChainId)
                {
                    return node;
                }
            }
            catch (Exception ex) when (ChainRpc.IsRpcFailure(ex) && DateTime.UtcNow < deadline)
            {
            }
            catch (Exception ex) when (ChainRpc.IsRpcFailure(ex))
            {
                await node.DisposeAsync().ConfigureAwait(false);
                throw new TimeoutException($"anvil did not answer on {rpcUrl} within {options.StartTimeout.TotalSeconds:0} s.", ex);
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops anvil with SIGTERM (it saves its state file), and kills it if it has not exited within five seconds.</summary>
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
