using System.Diagnostics;
using System.Globalization;
using Heurist.LocalRunner;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.NetworkGenerator;

namespace Heurist.Bench.Portal;

/// <summary>
/// The portal under read load on a realistic database: a throwaway PostgreSQL filled by the network generator,
/// anvil with the contracts, the real Portal.Server process, and the load client as a second process. Everything
/// it starts is stopped again, also on Ctrl-C or a failure.
/// </summary>
internal static class PortalBenchmark
{
    public static async Task<int> RunAsync(string root, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var values = Arguments.Read(args, ["--jobs", "--miners", "--duration", "--warmup", "--connections"]);
        int Setting(string name, string variable, int fallback)
        {
            if (!values.ContainsKey(name) && Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment)
            {
                values[name] = fromEnvironment;
            }
            return Arguments.Positive(values, name, fallback);
        }
        var jobs = Setting("--jobs", "BENCH_JOBS", 10_000_000);
        var miners = Setting("--miners", "BENCH_MINERS", 10_000);
        var duration = Setting("--duration", "BENCH_SECONDS", 15);
        var warmup = Setting("--warmup", "BENCH_WARMUP_SECONDS", 3);
        var connections = Setting("--connections", "BENCH_CONNECTIONS", 64);

        var folder = Path.Combine(Path.GetTempPath(), $"heurist-bench-portal-{Guid.NewGuid():N}");
        var started = new Stack<IAsyncDisposable>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            Directory.CreateDirectory(folder);
            // Not the default database name, so the generator needs no --allow-default-database.
            var cluster = await LocalPostgresCluster.StartAsync(
                new LocalPostgresOptions { DataDirectory = Path.Combine(folder, "pg"), Port = FreePort.Next(), Throwaway = true, Database = "heurist_bench" },
                cancellationToken);
            started.Push(cluster);

            var generated = await SyntheticNetwork.GenerateAsync(
                new GeneratorOptions { ConnectionString = cluster.ConnectionString, Miners = miners, Jobs = jobs },
                Console.Error,
                cancellationToken);
            Print("generate.miners", generated.Miners, "0");
            Print("generate.jobs", generated.Jobs, "0");
            Print("generate.seconds", generated.Elapsed.TotalSeconds);
            Print("generate.jobs_per_s", generated.Jobs / generated.Elapsed.TotalSeconds, "0");
            Print("database.size_mb", generated.DatabaseBytes / (1024.0 * 1024), "0");

            await Console.Error.WriteLineAsync("Starting anvil and deploying the contracts…");
            var anvil = await LocalAnvilNode.StartAsync(
                new LocalAnvilOptions { BinaryPath = LocalAnvilNode.FindBinary(Path.Combine(root, "Contracts")), Port = FreePort.Next(), OwnSession = true },
                cancellationToken);
            started.Push(anvil);
            var manifest = await ContractDeployer.DeployAsync(ChainRpc.Connect(anvil.RpcUrl), new DeploymentOptions
            {
                Owner = AnvilAccounts.Owner,
                SettlementKey = AnvilAccounts.SettlementKey.Address,
                StudioSigner = AnvilAccounts.StudioSigner.Address,
                SponsorSigner = AnvilAccounts.SponsorSigner.Address,
            }, cancellationToken);
            var manifestPath = Path.Combine(folder, "deployment.json");
            await manifest.SaveAsync(manifestPath, cancellationToken);

            await Console.Error.WriteLineAsync("Starting the portal…");
            var portalUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
            var portal = ChildProcess.StartDotnet("portal", RepositoryPaths.BuiltAssembly("Portal.Server"),
                ["--urls", portalUrl.ToString().TrimEnd('/')],
                new Dictionary<string, string>
                {
                    ["ConnectionStrings__Portal"] = cluster.ConnectionString,
                    ["Chain__RpcUrl"] = anvil.RpcUrl.ToString(),
                    ["Chain__ManifestPath"] = manifestPath,
                    ["ASPNETCORE_ENVIRONMENT"] = "Production",
                    ["Logging__LogLevel__Default"] = "Warning",
                },
                echo: false);
            started.Push(portal);
            var ready = Stopwatch.StartNew();
            await Readiness.WaitUntilHealthyAsync(portalUrl, portal, TimeSpan.FromMinutes(3), cancellationToken);
            Print("portal.ready_s", ready.Elapsed.TotalSeconds);

            var exit = await RunLoadClientAsync(
                ["load", "--url", portalUrl.ToString(), "--connections", Text(connections), "--warmup", Text(warmup), "--duration", Text(duration), "--miners", "100"],
                cancellationToken);
            if (portal.HasExited)
            {
                await Console.Error.WriteLineAsync($"FAILED: the portal exited with code {portal.ExitCode} during the run: {portal.RecentOutput}");
                return 1;
            }
            if (exit != 0)
            {
                await Console.Error.WriteLineAsync($"The load client exited with code {exit}. The portal's last lines: {portal.RecentErrors}");
            }
            return exit;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not ArgumentException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        finally
        {
            await Console.Error.WriteLineAsync("Stopping the portal, anvil and PostgreSQL…");
            while (started.TryPop(out var resource))
            {
                await resource.DisposeAsync();
            }
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>The load client: this assembly again with the "load" verb, its output going straight to ours.</summary>
    private static async Task<int> RunLoadClientAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(typeof(PortalBenchmark).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var load = Process.Start(start) ?? throw new InvalidOperationException("Could not start the load client.");
        try
        {
            await load.WaitForExitAsync(cancellationToken);
        }
        finally
        {
            if (!load.HasExited)
            {
                load.Kill(entireProcessTree: true);
                await load.WaitForExitAsync(CancellationToken.None);
            }
        }
        return load.ExitCode;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Print(string key, double value, string format = "0.0")
        => Console.WriteLine($"{key}={value.ToString(format, CultureInfo.InvariantCulture)}");
}
