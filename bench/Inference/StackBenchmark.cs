using System.Globalization;
using System.Net.Http.Json;
using Heurist.LocalRunner;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.Portal.Data;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Bench.Inference;

/// <summary>
/// The whole path a job takes, on this machine: a private PostgreSQL, anvil with the contracts, the real portal process,
/// and real worker processes serving the tiny models. Jobs go in through POST /api/jobs.
/// </summary>
internal sealed class StackBenchmark : IAsyncDisposable
{
    /// <summary>How often a wait checks its condition. The latencies come from the jobs' timestamps, not from the wait; a short poll only keeps the one-job-at-a-time loop quick.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);

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
        var cluster = await LocalPostgresCluster.StartAsync(new LocalPostgresOptions { DataDirectory = Path.Combine(_folder, "pg"), Port = FreePort.Next(), Throwaway = true });
        _started.Add(cluster);
        _connectionString = cluster.ConnectionString;
        await using (var db = PortalDatabase.CreateContext(_connectionString))
        {
            await db.Database.MigrateAsync();
        }

        var anvil = await LocalAnvilNode.StartAsync(new LocalAnvilOptions { BinaryPath = LocalAnvilNode.FindBinary(Path.Combine(_root, "Contracts")), Port = FreePort.Next() });
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

        _portal = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
        var portal = ChildProcess.StartDotnet("portal", RepositoryPaths.BuiltAssembly("Portal.Server"), ["--urls", _portal.ToString().TrimEnd('/')], new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = _connectionString,
            ["Chain__RpcUrl"] = anvil.RpcUrl.ToString(),
            ["Chain__ManifestPath"] = manifestPath,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Logging__LogLevel__Default"] = "Warning",
        }, echo: false);
        _started.Add(portal);
        await Readiness.WaitUntilHealthyAsync(_portal, portal, TimeSpan.FromMinutes(2));
    }

    /// <summary>Starts <paramref name="count"/> workers serving one model, sharing the CPU cores, and waits until they are online.</summary>
    public async Task<IReadOnlyList<ChildProcess>> StartWorkersAsync(int count, string modelsFolder, string model)
    {
        var threads = Math.Max(1, Environment.ProcessorCount / count);
        var workers = Enumerable.Range(1, count).Select(i => ChildProcess.StartDotnet("worker", RepositoryPaths.BuiltAssembly("Inference.Worker"), [], new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = _connectionString,
            ["Worker__MinerId"] = $"bench-{count}-{i}",
            ["Worker__RewardAddress"] = AnvilAccounts.Miner.Address.ToString(),
            ["Worker__ModelsPath"] = modelsFolder,
            ["Worker__Models__0"] = model,
            ["Worker__CpuThreads"] = threads.ToString(CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        }, echo: false)).ToList();
        await Readiness.WaitUntilAsync(async () =>
        {
            var online = await _http.GetFromJsonAsync<List<WorkerRow>>(new Uri(_portal, "api/network/workers")) ?? [];
            return online.Count(w => w.MinerId.StartsWith($"bench-{count}-", StringComparison.Ordinal)) == count;
        }, workers, TimeSpan.FromMinutes(2), PollInterval);
        return workers;
    }

    public async Task<Guid> SubmitAsync(ImageJobSpec spec)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_portal, "api/jobs")) { Content = JsonContent.Create(spec) };
        request.Headers.Add(CreatorIds.Header, "benchmark-creator");
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JobRow>())!.Id;
    }

    public PortalDbContext Database() => PortalDatabase.CreateContext(_connectionString);

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
