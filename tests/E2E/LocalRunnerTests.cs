using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Heurist.E2E;

/// <summary>
/// What ./run.sh promises: everything starts from an empty data folder (the contracts are deployed on the new chain),
/// Ctrl-C stops it all, and a second run reuses the data and the deployment.
/// </summary>
public sealed class LocalRunnerTests
{
    private const string MinerId = "runner-test";

    [Fact]
    public async Task The_runner_serves_the_portal_and_ctrl_c_leaves_no_process_behind()
    {
        var data = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"heurist-runner-{Guid.NewGuid():N}"));
        try
        {
            var port = FreePort.Next();
            var portal = new Uri($"http://127.0.0.1:{port}/");

            var (firstOutput, blockAfterFirstRun) = await RunUntilServingThenInterruptAsync(data.FullName, port, portal);
            Assert.Contains("Database: applied ", firstOutput, StringComparison.Ordinal);
            Assert.Contains("Chain: deployed the contracts", firstOutput, StringComparison.Ordinal);

            var (secondOutput, blockAfterSecondRun) = await RunUntilServingThenInterruptAsync(data.FullName, port, portal);
            Assert.Contains("Database: migrations are up to date.", secondOutput, StringComparison.Ordinal);
            Assert.Contains("Chain: the contracts are deployed", secondOutput, StringComparison.Ordinal);
            Assert.True(blockAfterSecondRun >= blockAfterFirstRun, "The chain restarted from scratch instead of from its saved state.");
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static async Task<(string Output, ulong Block)> RunUntilServingThenInterruptAsync(string dataDirectory, int port, Uri portal)
    {
        var ct = TestContext.Current.CancellationToken;
        var runner = ChildProcess.StartDotnet("run", RepositoryPaths.BuiltAssembly("LocalRunner"), [], new Dictionary<string, string>
        {
            ["Local__DataDirectory"] = dataDirectory,
            ["Local__PortalPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Local__AnvilPort"] = "0",
            ["Worker__MinerId"] = MinerId,
        }, echo: false);
        await using (runner)
        {
            await Readiness.WaitUntilAsync(
                () => Task.FromResult(runner.RecentOutput.Contains($"Heurist Portal is running at {portal}", StringComparison.Ordinal)),
                [runner],
                TimeSpan.FromMinutes(3),
                TimeSpan.FromMilliseconds(250),
                ct);

            using var http = new HttpClient { BaseAddress = portal };
            using (var ready = await http.GetAsync("health/ready", ct))
            {
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            }
            var workers = await http.GetFromJsonAsync<List<WorkerRow>>("api/network/workers", ct);
            Assert.Contains(workers!, w => w.MinerId == MinerId);
            var health = await http.GetStringAsync("health/ready", ct);
            var block = ulong.Parse(health.Split("at block ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

            var started = ProcessesOf(runner.ProcessId, dataDirectory);
            Assert.True(started.Count >= 4, $"Expected PostgreSQL, anvil, the portal and the worker; found {string.Join(", ", started.Values)}");

            using (var interrupt = Process.Start("kill", ["-INT", runner.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync(ct);
            }
            await Readiness.WaitForExitAsync(runner, TimeSpan.FromSeconds(90), ct);

            Assert.Equal(0, runner.ExitCode);
            var left = started.Where(p => IsAlive(p.Key)).Select(p => p.Value).ToList();
            Assert.True(left.Count == 0, $"Still running after Ctrl-C: {string.Join(", ", left)}");
            return (runner.RecentOutput, block);
        }
    }

    /// <summary>The runner's descendants, plus daemons (PostgreSQL) whose command line names the data folder.</summary>
    private static Dictionary<int, string> ProcessesOf(int root, string dataDirectory)
    {
        var all = new Dictionary<int, (int Parent, string CommandLine)>();
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid))
            {
                continue;
            }
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ').Trim();
                all[pid] = (parent, commandLine);
            }
            catch (IOException)
            {
            }
        }

        var found = new Dictionary<int, string>();
        foreach (var (pid, (_, commandLine)) in all)
        {
            if (pid != root && (IsDescendant(pid, root, all) || commandLine.Contains(dataDirectory, StringComparison.Ordinal)))
            {
                found[pid] = $"{pid} {commandLine}";
            }
        }
        return found;
    }

    private static bool IsDescendant(int pid, int root, Dictionary<int, (int Parent, string CommandLine)> all)
    {
        for (var current = pid; all.TryGetValue(current, out var entry) && current > 1; current = entry.Parent)
        {
            if (entry.Parent == root)
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            // A zombie has exited; only its parent has yet to collect it.
            var text = File.ReadAllText(stat);
            return text[text.LastIndexOf(')')..].Split(' ')[1] != "Z";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private sealed record WorkerRow(string MinerId);
}
