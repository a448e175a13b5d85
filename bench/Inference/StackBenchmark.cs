using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Heurist.AppHost;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Postgres;
using Heurist.Protocol.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Bench.Inference;

/// <summary>
/// The whole path a job takes, on this machine: a private PostgreSQL, anvil with the contracts, the real portal process,
/// and real worker processes serving the tiny models. Jobs go in through POST /api/jobs.
/// </summary>
internal sealed class StackBenchmark : IAsyncDisposable
{
    private readonly string _root;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"heurist-bench-{Guid.NewGuid():N}");
    private readonly List<IAsyncDisposable> _started = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private string _connectionString = "";
    private Uri _portal = default!;

    private StackBenchmark(string root) => _root = root;

    public static async Task<StackBenchmark> StartAsync(string root)
    {
        var stack = new StackBenchmark(root);
        await stack.StartCoreAsync();
        return stack;
    }

    private async Task StartCoreAsync()
    {
        Directory.CreateDirectory(_folder);
        var cluster = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions { DataDirectory = Path.Combine(_folder, "pg"), Port = FreePort(), Throwaway = true });
        _started.Add(cluster);
        _connectionString = cluster.ConnectionString;
        await using (var db = new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql(_connectionString).Options))
        {
            await db.Database.MigrateAsync();
        }

        var anvil = await LocalAnvilNode.StartAsync(new LocalAnvilOptions { BinaryPath = LocalAnvilNode.FindBinary(Path.Combine(_root, "Contracts")), Port = FreePort() });
        _started.Add(anvil);
        var manifest = await ContractDeployer.DeployAsync(ChainRpc.Connect(anvil.RpcUrl), new DeploymentOptions
        {
            Owner = AnvilAccounts.Owner,
            SettlementKey = AnvilAccounts.SettlementKey.Address,
            StudioSigner = AnvilAccounts.StudioSigner.Address,
            SponsorSigner = AnvilAccounts.SponsorSigner.Address,
        });
        var manifestPath = Path.Combine(_folder, "deployment.json");
        await manifest.SaveAsync(manifestPath);

        _portal = new Uri($"http://127.0.0.1:{FreePort()}/");
        var portal = ChildProcess.StartDotnet("portal", Built("Portal.Server"), ["--urls", _portal.ToString().TrimEnd('/')], new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = _connectionString,
            ["Chain__RpcUrl"] = anvil.RpcUrl.ToString(),
            ["Chain__ManifestPath"] = manifestPath,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        }, echo: false);
        _started.Add(portal);
        await WaitAsync(async () =>
        {
            try
            {
                using var response = await _http.GetAsync(new Uri(_portal, "health/ready"));
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromMinutes(2), portal);
    }

    /// <summary>Starts <paramref name="count"/> workers serving one model, sharing the CPU cores, and waits until they are online.</summary>
    public async Task<IReadOnlyList<ChildProcess>> StartWorkersAsync(int count, string modelsFolder, string model)
    {
        var threads = Math.Max(1, Environment.ProcessorCount / count);
        var workers = Enumerable.Range(1, count).Select(i => ChildProcess.StartDotnet("worker", Built("Inference.Worker"), [], new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = _connectionString,
            ["Worker__MinerId"] = $"bench-{count}-{i}",
            ["Worker__RewardAddress"] = AnvilAccounts.Miner.Address.ToString(),
            ["Worker__ModelsPath"] = modelsFolder,
            ["Worker__Models__0"] = model,
            ["Worker__CpuThreads"] = threads.ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        }, echo: false)).ToList();
        await WaitAsync(async () =>
        {
            var online = await _http.GetFromJsonAsync<List<WorkerRow>>(new Uri(_portal, "api/network/workers")) ?? [];
            return online.Count(w => w.MinerId.StartsWith($"bench-{count}-", StringComparison.Ordinal)) == count;
        }, TimeSpan.FromMinutes(2), workers[0]);
        return workers;
    }

    public async Task<Guid> SubmitAsync(ImageJobSpec spec)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_portal, "api/jobs")) { Content = JsonContent.Create(spec) };
        request.Headers.Add("X-Creator-Id", "benchmark-creator");
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JobRow>())!.Id;
    }

    public PortalDbContext Database() => new(new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql(_connectionString).Options);

    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan limit, ChildProcess watched)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (watched.HasExited)
            {
                throw new InvalidOperationException($"{watched.Name} exited with code {watched.ExitCode}: {watched.RecentOutput}");
            }
            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Waited {limit.TotalSeconds:0} s. {watched.Name}: {watched.RecentOutput}");
            }
            await Task.Delay(2);
        }
    }

    private string Built(string project) => Path.Combine(_root, project, "bin", "Release", "net10.0", project + ".dll");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].DisposeAsync();
        }
        _http.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed record WorkerRow(string MinerId);

    private sealed record JobRow(Guid Id);
}
