using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Postgres;
using Heurist.Protocol.Miners;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Heurist.AppHost;

/// <summary>
/// Starts everything ./run.sh promises, in order: the database, its migrations, the chain, the portal and one worker.
/// Stops them in the reverse order on Ctrl-C, or when one of them dies.
/// </summary>
public static class LocalRunner
{
    private static readonly TimeSpan PortalStartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan WorkerStartTimeout = TimeSpan.FromMinutes(1);

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

        var started = new Stack<(string Name, IAsyncDisposable Resource)>();
        try
        {
            var settings = LocalSettings.From(configuration, FindRepositoryRoot());
            Directory.CreateDirectory(settings.DataDirectory);

            var connectionString = await StartDatabaseAsync(settings, started, stopping.Token);
            await MigrateAsync(connectionString, stopping.Token);
            if (migrateOnly)
            {
                return 0;
            }

            var (rpcUrl, manifestPath) = await StartChainAsync(settings, started, stopping.Token);
            var portalUrl = new Uri($"http://{settings.Host}:{PortOrFree(settings.PortalPort, settings.Host, "Local:PortalPort", fallBackToFree: false)}/");
            var portal = StartPortal(settings, connectionString, rpcUrl, manifestPath, portalUrl);
            started.Push(("portal", portal));
            await WaitForPortalAsync(portal, portalUrl, stopping.Token);

            var minerId = configuration["Worker:MinerId"] is { Length: > 0 } id ? id : MinerIdentity.FromHostName(Environment.MachineName);
            var worker = StartWorker(settings, connectionString, minerId);
            started.Push(("worker", worker));
            var device = await WaitForWorkerAsync(worker, portalUrl, minerId, stopping.Token);

            PrintBanner(settings, portalUrl, connectionString, rpcUrl, minerId, device);
            var exited = await Task.WhenAny(
                portal.WaitForExitAsync(stopping.Token),
                worker.WaitForExitAsync(stopping.Token));
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
        finally
        {
            while (started.TryPop(out var entry))
            {
                Console.WriteLine($"Stopping {entry.Name}…");
                await entry.Resource.DisposeAsync();
            }
        }
    }

    private static async Task<string> StartDatabaseAsync(LocalSettings settings, Stack<(string, IAsyncDisposable)> started, CancellationToken cancellationToken)
    {
        if (settings.ConnectionString is { } configured)
        {
            if (PortalDatabase.ValidateConnectionString(configured) is { } error)
            {
                throw new LocalSetupException(PortalDatabaseOptions.SettingName, error);
            }
            await VerifyDatabaseAsync(configured, cancellationToken);
            Console.WriteLine("Database: using ConnectionStrings__Portal.");
            return configured;
        }

        var dataDirectory = Path.Combine(settings.DataDirectory, "postgres");
        var port = PortOrFree(settings.PostgresPort, "127.0.0.1", "Local:PostgresPort", fallBackToFree: false);
        Console.WriteLine($"Database: starting PostgreSQL on 127.0.0.1:{port} (data in {dataDirectory})…");
        try
        {
            var cluster = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory, Port = port }, cancellationToken);
            started.Push(("PostgreSQL", cluster));
            return cluster.ConnectionString;
        }
        catch (InvalidOperationException ex)
        {
            throw new LocalSetupException("embedded PostgreSQL (ConnectionStrings:Portal is not set)", ex.Message);
        }
    }

    private static async Task VerifyDatabaseAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await PortalDatabase.VerifyAsync(connectionString, requireSchema: false, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new LocalSetupException(PortalDatabaseOptions.SettingName, ex.Message);
        }
    }

    private static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        var options = new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql(connectionString).Options;
        await using var db = new PortalDbContext(options);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            Console.WriteLine("Database: migrations are up to date.");
            return;
        }
        await db.Database.MigrateAsync(cancellationToken);
        Console.WriteLine($"Database: applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
    }

    /// <summary>The chain's RPC URL and the path of the deployment manifest of our contracts on it.</summary>
    private static async Task<(Uri RpcUrl, string ManifestPath)> StartChainAsync(LocalSettings settings, Stack<(string, IAsyncDisposable)> started, CancellationToken cancellationToken)
    {
        if (settings.ChainRpcUrl is { } configured)
        {
            if (settings.ChainManifestPath is null)
            {
                throw new LocalSetupException("Chain:ManifestPath", "not set: with Chain__RpcUrl, also give the deployment manifest of the contracts on that chain");
            }
            if (!Uri.TryCreate(configured, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new LocalSetupException("Chain:RpcUrl", $"'{configured}' is not an absolute http:// or https:// URL");
            }
            try
            {
                var chainId = (await ChainRpc.Connect(url).Eth.ChainId.SendRequestAsync().WaitAsync(cancellationToken)).Value;
                Console.WriteLine($"Chain: using Chain__RpcUrl {url} (chain id {chainId}) and the manifest {settings.ChainManifestPath}.");
            }
            catch (Exception ex) when (ChainRpc.IsRpcFailure(ex))
            {
                throw new LocalSetupException("Chain:RpcUrl", ChainRpc.Describe(url, ex));
            }
            return (url, settings.ChainManifestPath);
        }

        var contracts = Path.Combine(settings.RepositoryRoot, "Contracts");
        string binary;
        try
        {
            binary = LocalAnvilNode.FindBinary(contracts);
        }
        catch (FileNotFoundException ex)
        {
            throw new LocalSetupException("Chain:RpcUrl", $"not set, and {ex.Message}");
        }
        var port = PortOrFree(settings.AnvilPort, "127.0.0.1", "Local:AnvilPort", fallBackToFree: true);
        var chainDirectory = Path.Combine(settings.DataDirectory, "chain");
        Console.WriteLine($"Chain: starting anvil on 127.0.0.1:{port} (state in {chainDirectory})…");
        var node = await LocalAnvilNode.StartAsync(new LocalAnvilOptions
        {
            BinaryPath = binary,
            Port = port,
            StateFile = Path.Combine(chainDirectory, "state.json"),
            LogFile = Path.Combine(settings.DataDirectory, "logs", "anvil.log"),
            OwnSession = true,
        }, cancellationToken);
        started.Push(("anvil", node));
        return (node.RpcUrl, await EnsureDeployedAsync(node.RpcUrl, Path.Combine(chainDirectory, "deployment.json"), cancellationToken));
    }

    /// <summary>Reuses the local chain's contracts when the manifest matches it; deploys them on a new chain.</summary>
    private static async Task<string> EnsureDeployedAsync(Uri rpcUrl, string manifestPath, CancellationToken cancellationToken)
    {
        var rpc = ChainRpc.Connect(rpcUrl, TimeSpan.FromSeconds(30));
        if (File.Exists(manifestPath))
        {
            try
            {
                await ContractDeployer.VerifyAsync(rpc, rpcUrl, await DeploymentManifest.LoadAsync(manifestPath, cancellationToken), cancellationToken);
                Console.WriteLine($"Chain: the contracts are deployed (manifest {manifestPath}).");
                return manifestPath;
            }
            catch (Exception ex) when (ex is DeploymentMismatchException or InvalidDataException)
            {
                Console.WriteLine($"Chain: {manifestPath} does not match this chain ({ex.Message}); deploying again.");
            }
        }
        var manifest = await ContractDeployer.DeployAsync(rpc, new DeploymentOptions
        {
            Owner = AnvilAccounts.Owner,
            SettlementKey = AnvilAccounts.SettlementKey.GetPublicAddress(),
            StudioSigner = AnvilAccounts.StudioSigner.GetPublicAddress(),
            SponsorSigner = AnvilAccounts.SponsorSigner.GetPublicAddress(),
        }, cancellationToken);
        await manifest.SaveAsync(manifestPath, cancellationToken);
        Console.WriteLine($"Chain: deployed the contracts at block {manifest.StartBlock} (manifest {manifestPath}).");
        return manifestPath;
    }

    private static ChildProcess StartPortal(LocalSettings settings, string connectionString, Uri rpcUrl, string manifestPath, Uri portalUrl)
    {
        Console.WriteLine($"Portal: starting on {portalUrl}…");
        return ChildProcess.StartDotnet(
            "portal",
            BuiltAssembly(settings, "Portal.Server"),
            ["--urls", portalUrl.ToString().TrimEnd('/')],
            new Dictionary<string, string>
            {
                ["ConnectionStrings__Portal"] = connectionString,
                ["Chain__RpcUrl"] = rpcUrl.ToString(),
                ["Chain__ManifestPath"] = manifestPath,
                // Development opens the job dashboard to the local user.
                ["ASPNETCORE_ENVIRONMENT"] = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Development",
            });
    }

    private static ChildProcess StartWorker(LocalSettings settings, string connectionString, string minerId)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = connectionString,
            ["Worker__MinerId"] = minerId,
            ["Worker__RewardAddress"] = settings.WorkerRewardAddress ?? AnvilAccounts.Miner.GetPublicAddress(),
            ["DOTNET_ENVIRONMENT"] = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Development",
        };
        if (settings.WorkerModelsPath is null)
        {
            environment["Worker__ModelsPath"] = EnsureDemoModels(settings);
        }
        Console.WriteLine($"Worker: starting miner {minerId}…");
        return ChildProcess.StartDotnet("worker", BuiltAssembly(settings, "Inference.Worker"), [], environment);
    }

    /// <summary>
    /// Without real weights (Worker__ModelsPath), the worker serves the tiny random-weight demo models: the same graph
    /// interfaces as SD 1.5, SDXL and Flux, so everything runs for real, but the images are noise-like patterns.
    /// </summary>
    private static string EnsureDemoModels(LocalSettings settings)
    {
        var folder = Path.Combine(settings.DataDirectory, "models", "demo");
        if (!Directory.Exists(folder) || Directory.GetDirectories(folder).Length == 0)
        {
            TinyModels.TinyModelWriter.WriteAll(folder);
            Console.WriteLine($"Models: wrote the tiny demo models to {folder}.");
        }
        Console.WriteLine($"Models: Worker__ModelsPath is not set, so the worker serves the demo models in {folder} (they draw noise, not pictures).");
        return folder;
    }

    private static async Task WaitForPortalAsync(ChildProcess portal, Uri portalUrl, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + PortalStartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (portal.HasExited)
            {
                throw new LocalSetupException("portal", $"stopped during start-up (exit code {portal.ExitCode}); its error is above");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(portalUrl, "health/ready"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new LocalSetupException("portal", $"did not answer {portalUrl}health/ready within {PortalStartTimeout.TotalSeconds:0} s");
    }

    private static async Task<string> WaitForWorkerAsync(ChildProcess worker, Uri portalUrl, string minerId, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = portalUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + WorkerStartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (worker.HasExited)
            {
                throw new LocalSetupException("worker", $"stopped during start-up (exit code {worker.ExitCode}); its error is above");
            }
            try
            {
                var online = await http.GetFromJsonAsync<List<OnlineWorkerRow>>("api/network/workers", cancellationToken) ?? [];
                if (online.FirstOrDefault(w => w.MinerId == minerId) is { } row)
                {
                    return row.DeviceName;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250, cancellationToken);
        }
        throw new LocalSetupException("worker", $"miner {minerId} did not come online within {WorkerStartTimeout.TotalSeconds:0} s");
    }

    private static void PrintBanner(LocalSettings settings, Uri portalUrl, string connectionString, Uri rpcUrl, string minerId, string device)
    {
        var chain = settings.ChainRpcUrl is null ? $"{rpcUrl} (anvil, state in {Path.Combine(settings.DataDirectory, "chain")})" : rpcUrl.ToString();
        var database = settings.ConnectionString is null ? $"{Redact(connectionString)} (data in {Path.Combine(settings.DataDirectory, "postgres")})" : "ConnectionStrings__Portal";
        Console.WriteLine();
        Console.WriteLine($"Heurist Portal is running at {portalUrl}");
        Console.WriteLine($"  job dashboard  {portalUrl}hangfire");
        Console.WriteLine($"  API            {portalUrl}openapi/v1.json");
        Console.WriteLine($"  database       {database}");
        Console.WriteLine($"  chain          {chain}");
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

    private static string BuiltAssembly(LocalSettings settings, string project)
        => Path.Combine(settings.RepositoryRoot, project, "bin", settings.Configuration, "net10.0", project + ".dll");

    private static int PortOrFree(int port, string host, string setting, bool fallBackToFree)
    {
        if (port == 0)
        {
            return FreePort(host);
        }
        if (IsFree(host, port))
        {
            return port;
        }
        return fallBackToFree
            ? FreePort(host)
            : throw new LocalSetupException(setting, $"port {port} is in use; set {setting.Replace(":", "__", StringComparison.Ordinal)} to another port, or 0 for a free one");
    }

    private static bool IsFree(string host, int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Parse(host), port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort(string host)
    {
        using var listener = new TcpListener(IPAddress.Parse(host), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HeuristPortal.sln")))
            {
                return directory.FullName;
            }
        }
        throw new LocalSetupException("repository", $"no HeuristPortal.sln above {AppContext.BaseDirectory}; run ./run.sh from a clone of the repository");
    }

    private sealed record OnlineWorkerRow(string MinerId, string DeviceName);
}
