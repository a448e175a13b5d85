using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Heurist.LocalRunner;

/// <summary>
/// A .NET host started by the runner, in a session of its own so that Ctrl-C reaches only the runner,
/// which then stops the children in order. Its output is copied to the console with a name prefix.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly bool _echo;
    private readonly Queue<string> _recentErrors = new();
    private readonly Queue<string> _recentOutput = new();

    private ChildProcess(string name, Process process, bool echo)
    {
        Name = name;
        _process = process;
        _echo = echo;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    private int? _exitCode;

    /// <summary>The exit code, also after the process object is disposed.</summary>
    public int ExitCode => _exitCode ??= _process.ExitCode;

    /// <summary>The child's last lines on stderr, where the hosts write their one-line start-up errors.</summary>
    public string RecentErrors
    {
        get
        {
            lock (_recentErrors)
            {
                return string.Join(Environment.NewLine, _recentErrors);
            }
        }
    }

    /// <summary>The child's last lines on either stream, for diagnosing a failure.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_recentErrors)
            {
                return string.Join(Environment.NewLine, _recentOutput);
            }
        }
    }

    public int ProcessId => _process.Id;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Starts "dotnet assemblyPath"; with echo on, its output is copied to the console with a name prefix.</summary>
    public static ChildProcess StartDotnet(
        string name, string assemblyPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, bool echo = true)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new LocalSetupException(name, $"{assemblyPath} is not built: run ./run.sh, which builds it first");
        }
        var start = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
        };
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(assemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, echo);
        process.OutputDataReceived += (_, e) => child.Echo(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => child.Echo(e.Data, isError: true);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    private void Echo(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }
        lock (_recentErrors)
        {
            Remember(_recentOutput, line, 200);
            if (isError)
            {
                Remember(_recentErrors, line, 10);
            }
        }
        if (_echo)
        {
            Console.WriteLine($"[{Name}] {line}");
        }
    }

    private static void Remember(Queue<string> lines, string line, int keep)
    {
        lines.Enqueue(line);
        if (lines.Count > keep)
        {
            lines.Dequeue();
        }
    }

    /// <summary>Asks the child to stop (SIGTERM: the .NET hosts shut down gracefully), and kills it after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }
        _ = kill(_process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(15));
        _exitCode = _process.ExitCode;
        _process.Dispose();
    }

    private const int SigTerm = 15;

    [DllImport("libc", SetLastError = true)]
#pragma warning disable CA5392, SYSLIB1054 // kill(2) from libc: .NET has no managed way to send SIGTERM to a child.
    private static extern int kill(int pid, int sig);
#pragma warning restore CA5392, SYSLIB1054
}
