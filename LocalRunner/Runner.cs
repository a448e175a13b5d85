using System.Runtime.InteropServices;
using Heurist.Protocol.Miners;
using Microsoft.Extensions.Configuration;

namespace Heurist.LocalRunner;

/// <summary>
/// Starts everything ./run.sh promises, in order: the database, its migrations, the chain, the portal and one worker.
/// Stops them in the reverse order on Ctrl-C, or when one of them dies.
/// </summary>
internal static class Runner
{
    public static async Task<int> RunAsync(string[] args)
    {
        var migrateOnly = args.Contains("migrate", StringComparer.Ordinal);
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine([.. args.Where(a => a != "migrate")])
            .Build();

        using var stopping = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (!stopping.IsCancellationRequested)
            {
                Console.WriteLine("Stopping…");
                stopping.Cancel();
            }
        }
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        await using var started = new StartedParts();
        try
        {
            var settings = LocalSettings.From(configuration, RepositoryPaths.Root);
            Directory.CreateDirectory(settings.DataDirectory);

            var connectionString = await LocalDatabase.StartAsync(settings, started, stopping.Token);
            await LocalDatabase.MigrateAsync(connectionString, stopping.Token);
            if (migrateOnly)
            {
                return 0;
            }

            var (rpcUrl, manifestPath) = await LocalChain.StartAsync(settings, started, stopping.Token);
            var bundlerUrl = await LocalChain.StartBundlerAsync(settings, rpcUrl, started, stopping.Token);
            var portalUrl = new Uri($"http://{settings.Host}:{FreePort.OrFree(settings.PortalPort, settings.Host, "Local:PortalPort", fallBackToFree: false)}/");
            var portal = await LocalHosts.StartPortalAsync(settings, connectionString, rpcUrl, manifestPath, bundlerUrl, portalUrl, started, stopping.Token);
            var minerId = configuration["Worker:MinerId"] is { Length: > 0 } id ? id : MinerIdentity.FromHostName(Environment.MachineName);
            var (worker, device) = await LocalHosts.StartWorkerAsync(settings, connectionString, minerId, portalUrl, started, stopping.Token);

            PrintBanner(settings, portalUrl, connectionString, rpcUrl, bundlerUrl, minerId, device);
            await Task.WhenAny(portal.WaitForExitAsync(stopping.Token), worker.WaitForExitAsync(stopping.Token));
            if (!stopping.IsCancellationRequested)
            {
                var dead = portal.HasExited ? portal : worker;
                await Console.Error.WriteLineAsync($"error: the {dead.Name} stopped unexpectedly (exit code {dead.ExitCode}); stopping the rest.");
                return 1;
            }
            return 0;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception ex) when (ex is LocalSetupException or PostgresNotInstalledException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }

    private static void PrintBanner(LocalSettings settings, Uri portalUrl, string connectionString, Uri rpcUrl, Uri? bundlerUrl, string minerId, string device)
    {
        var chain = settings.ChainRpcUrl is null ? $"{rpcUrl} (anvil, state in {Path.Combine(settings.DataDirectory, "chain")})" : rpcUrl.ToString();
        var database = settings.ConnectionString is null ? $"{Redact(connectionString)} (data in {Path.Combine(settings.DataDirectory, "postgres")})" : "ConnectionStrings__Portal";
        Console.WriteLine();
        Console.WriteLine($"Heurist Portal is running at {portalUrl}");
        Console.WriteLine($"  job dashboard  {portalUrl}hangfire");
        Console.WriteLine($"  API            {portalUrl}openapi/v1.json");
        Console.WriteLine($"  database       {database}");
        Console.WriteLine($"  chain          {chain}");
        Console.WriteLine($"  bundler        {(bundlerUrl is null ? "none: minting is off (set Chain__BundlerUrl)" : bundlerUrl.ToString())}");
        Console.WriteLine($"  worker         miner {minerId} on {device}");
        Console.WriteLine("Press Ctrl-C to stop everything.");
        Console.WriteLine();
    }

    private static string Redact(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.Password))
        {
            builder.Password = "***";
        }
        return builder.ConnectionString;
    }
}
