using System.Diagnostics;
using System.Globalization;
using Heurist.Bench.Portal;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.LocalRunner;
using Heurist.Portal.Data;
using Heurist.Portal.Server.Features.Auth;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Auth;
using Microsoft.EntityFrameworkCore;
using Nethereum.Signer;

namespace Heurist.Bench.Auth;

/// <summary>
/// Sign-In with Ethereum: the verifier in-process on precomputed signatures, full sign-ins over HTTP against the real
/// portal beside its trivial endpoint, and the hostile messages, each of which must be refused.
/// </summary>
internal static class AuthBenchmark
{
    public static async Task<int> RunAsync(string root, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var values = Arguments.Read(args, ["--duration", "--connections", "--verifications"]);
        var duration = TimeSpan.FromSeconds(Arguments.Positive(values, "--duration", 10));
        var connections = Arguments.Positive(values, "--connections", 16);
        var verifications = Arguments.Positive(values, "--verifications", 20_000);

        var folder = Path.Combine(Path.GetTempPath(), $"heurist-bench-auth-{Guid.NewGuid():N}");
        var started = new Stack<IAsyncDisposable>();
        try
        {
            Directory.CreateDirectory(folder);
            var cluster = await LocalPostgresCluster.StartAsync(
                new LocalPostgresOptions { DataDirectory = Path.Combine(folder, "pg"), Port = FreePort.Next(), Throwaway = true, Database = "heurist_bench" },
                cancellationToken);
            started.Push(cluster);
            await using (var db = PortalDatabase.CreateContext(cluster.ConnectionString))
            {
                await db.Database.MigrateAsync(cancellationToken);
            }

            var anvil = await LocalAnvilNode.StartAsync(
                new LocalAnvilOptions { BinaryPath = LocalAnvilNode.FindBinary(Path.Combine(root, "Contracts")), Port = FreePort.Next(), OwnSession = true },
                cancellationToken);
            started.Push(anvil);
            var rpc = ChainRpc.Connect(anvil.RpcUrl);
            var manifest = await ContractDeployer.DeployAsync(rpc, new DeploymentOptions
            {
                Owner = AnvilAccounts.Owner,
                SettlementKey = AnvilAccounts.SettlementKey.Address,
                StudioSigner = AnvilAccounts.StudioSigner.Address,
                SponsorSigner = AnvilAccounts.SponsorSigner.Address,
            }, cancellationToken);
            var manifestPath = Path.Combine(folder, "deployment.json");
            await manifest.SaveAsync(manifestPath, cancellationToken);

            await VerifyInProcessAsync(new SiweVerifier(rpc, TimeProvider.System), verifications, cancellationToken);

            var portalUrl = new Uri($"http://127.0.0.1:{FreePort.Next()}/");
            var portal = ChildProcess.StartDotnet("portal", RepositoryPaths.BuiltAssembly("Portal.Server"),
                ["--urls", portalUrl.ToString().TrimEnd('/')],
                new Dictionary<string, string>
                {
                    ["ConnectionStrings__Portal"] = cluster.ConnectionString,
                    ["Chain__RpcUrl"] = anvil.RpcUrl.ToString(),
                    ["Chain__ManifestPath"] = manifestPath,
                    // Development: the session cookie may travel over this benchmark's plain HTTP.
                    ["ASPNETCORE_ENVIRONMENT"] = "Development",
                    ["Logging__LogLevel__Default"] = "Warning",
                    // One load client makes every request from one address: lift the per-IP nonce limit for it.
                    ["Portal__NonceRequestsPerMinute"] = "1000000",
                },
                echo: false);
            started.Push(portal);
            await Readiness.WaitUntilHealthyAsync(portalUrl, portal, TimeSpan.FromMinutes(3), cancellationToken);

            using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = connections })
            {
                BaseAddress = portalUrl,
                Timeout = TimeSpan.FromSeconds(30),
            };
            var site = new SiteUnderTest(http, portalUrl, manifest.ChainId);
            SiteUnderTest.CheckSigner(Keys[0]);

            // Warm both paths up, then load them one after the other for the same time.
            await LoadAsync("warm-up /health/live", connections, TimeSpan.FromSeconds(2), ct => site.HealthAsync(ct), cancellationToken);
            await LoadAsync("warm-up sign-ins", connections, TimeSpan.FromSeconds(2), ct => site.SignInAsync(Keys[0], ct), cancellationToken);
            var baseline = await LoadAsync("/health/live", connections, duration, ct => site.HealthAsync(ct), cancellationToken);
            var nonces = await LoadAsync("nonces", connections, duration, async ct => (await site.NonceAsync(ct)).Length > 0, cancellationToken);
            var signIns = await LoadAsync("sign-ins", connections, duration, ct => site.SignInAsync(Keys[Random.Shared.Next(Keys.Length)], ct), cancellationToken);
            Print("nonce.rps", nonces.PerSecond);
            Print("baseline.rps", baseline.PerSecond);
            Print("baseline.errors", baseline.Errors, "0");
            Print("siwe.http_per_s", signIns.PerSecond);
            Print("siwe.http_errors", signIns.Errors, "0");
            Print("siwe.http_ratio", signIns.PerSecond / baseline.PerSecond, "0.000");

            var hostile = await HostileMessages.RunAsync(site, manifest.Contracts.HeuristToken, cancellationToken);
            Console.WriteLine($"siwe.rejected={hostile.Refused}/{hostile.Total}");
            foreach (var accepted in hostile.Accepted)
            {
                await Console.Error.WriteLineAsync($"NOT REFUSED: {accepted}");
            }
            if (portal.HasExited)
            {
                await Console.Error.WriteLineAsync($"FAILED: the portal exited with code {portal.ExitCode}: {portal.RecentOutput}");
                return 1;
            }
            return hostile.Refused == hostile.Total && baseline.Errors == 0 && signIns.Errors == 0 ? 0 : 1;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not ArgumentException)
        {
            await Console.Error.WriteLineAsync($"error: {ex.Message.ReplaceLineEndings(" ")}");
            return 1;
        }
        finally
        {
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

    /// <summary>anvil's dev accounts 6 to 9: no role in the deployment.</summary>
    private static readonly EthECKey[] Keys = [AnvilAccounts.Key(6), AnvilAccounts.Key(7), AnvilAccounts.Key(8), AnvilAccounts.Key(9)];

    /// <summary>Verifications per second on every core, each with a signature made before the clock starts.</summary>
    private static async Task VerifyInProcessAsync(SiweVerifier verifier, int count, CancellationToken cancellationToken)
    {
        var origin = new Uri("https://portal.example/");
        var expected = new SiweExpectations("portal.example", origin, 31337);
        var signer = new EthereumMessageSigner();
        var requests = Enumerable.Range(0, count).Select(i =>
        {
            var key = Keys[i % Keys.Length];
            var text = SiteUnderTest.Message(key.GetPublicAddress(), SiweNonces.Create(), origin, 31337).ToMessage();
            return new SignInRequest(text, signer.EncodeUTF8AndSign(text, key));
        }).ToArray();

        var clock = Stopwatch.StartNew();
        var refused = 0;
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken },
            async (request, ct) =>
            {
                if (!(await verifier.VerifyAsync(request, expected, ct)).IsVerified)
                {
                    Interlocked.Increment(ref refused);
                }
            });
        clock.Stop();
        Print("siwe.verify_per_s", count / clock.Elapsed.TotalSeconds, "0");
        Print("siwe.verify_threads", Environment.ProcessorCount, "0");
        Print("siwe.verify_refused", refused, "0");
        // 1 when libsecp256k1 recovers the signatures (run.sh and test.sh install it), 0 on the C# port.
        Print("siwe.native_secp256k1", NativeSecp256k1.IsAvailable ? 1 : 0, "0");
    }

    private static async Task<(double PerSecond, int Errors)> LoadAsync(
        string name, int connections, TimeSpan duration, Func<CancellationToken, Task<bool>> request, CancellationToken cancellationToken)
    {
        // On stderr, so a profiler can be attached to the portal for one phase.
        await Console.Error.WriteLineAsync($"load: {name} for {duration.TotalSeconds:0} s on {connections} connections");
        var done = 0;
        var errors = 0;
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        window.CancelAfter(duration);
        var workers = Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            while (!window.IsCancellationRequested)
            {
                try
                {
                    if (await request(CancellationToken.None))
                    {
                        Interlocked.Increment(ref done);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(workers);
        cancellationToken.ThrowIfCancellationRequested();
        return (done / clock.Elapsed.TotalSeconds, errors);
    }

    private static void Print(string key, double value, string format = "0.0")
        => Console.WriteLine($"{key}={value.ToString(format, CultureInfo.InvariantCulture)}");
}
