using System.Net.Http.Json;

namespace Heurist.LocalRunner;

/// <summary>The portal and the worker, started from their build output as child processes, and waited for until they serve.</summary>
internal static class LocalHosts
{
    private static readonly TimeSpan PortalStartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan WorkerStartTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Starts the portal, adds it to <paramref name="started"/>, and returns once /health/ready answers.</summary>
    public static async Task<ChildProcess> StartPortalAsync(
        LocalSettings settings, string connectionString, Uri rpcUrl, string manifestPath, Uri? bundlerUrl, Uri portalUrl, StartedParts started, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Portal: starting on {portalUrl}…");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = connectionString,
            ["Chain__RpcUrl"] = rpcUrl.ToString(),
            ["Chain__ManifestPath"] = manifestPath,
            // Development opens the job dashboard to the local user.
            ["ASPNETCORE_ENVIRONMENT"] = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Development",
        };
        if (settings.ChainRpcUrl is null)
        {
            // The runner deployed the contracts with dev account 2 as the settlement key; another chain brings its own
            // key through Rewards__SettlementKey in the environment, which the portal inherits.
            environment["Rewards__SettlementKey"] = LocalChain.SettlementKeyHex;
            // Likewise the studio and sponsor keys of the gasless mint (dev accounts 3 and 4).
            environment["Minting__StudioKey"] = LocalChain.StudioKeyHex;
            environment["Minting__SponsorKey"] = LocalChain.SponsorKeyHex;
        }
        if (bundlerUrl is not null)
        {
            environment["Chain__BundlerUrl"] = bundlerUrl.ToString();
        }
        // The token URI and the metadata's image point here, unless Minting__PublicBaseUrl says otherwise.
        environment["Minting__PublicBaseUrl"] = Environment.GetEnvironmentVariable("Minting__PublicBaseUrl") ?? portalUrl.ToString();
        var portal = ChildProcess.StartDotnet(
            "portal",
            RepositoryPaths.BuiltAssembly("Portal.Server", settings.Configuration),
            ["--urls", portalUrl.ToString().TrimEnd('/')],
            environment);
        started.Add("portal", portal);
        await WaitForStartAsync(
            portal,
            () => Readiness.WaitUntilHealthyAsync(portalUrl, portal, PortalStartTimeout, cancellationToken),
            $"did not answer {portalUrl}health/ready within {PortalStartTimeout.TotalSeconds:0} s");
        return portal;
    }

    /// <summary>Starts one worker, adds it to <paramref name="started"/>, and returns it with its device once the portal lists it online.</summary>
    public static async Task<(ChildProcess Worker, string Device)> StartWorkerAsync(
        LocalSettings settings, string connectionString, string minerId, Uri portalUrl, StartedParts started, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = connectionString,
            ["Worker__MinerId"] = minerId,
            ["Worker__RewardAddress"] = settings.WorkerRewardAddress ?? LocalChain.DefaultRewardAddress,
            ["DOTNET_ENVIRONMENT"] = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? "Development",
        };
        if (settings.WorkerModelsPath is null)
        {
            environment["Worker__ModelsPath"] = EnsureDemoModels(settings);
        }
        Console.WriteLine($"Worker: starting miner {minerId}…");
        // The CUDA build lives in bin-gpu (Directory.Build.props), beside the CPU one.
        var worker = ChildProcess.StartDotnet("worker",
            RepositoryPaths.BuiltAssembly("Inference.Worker", settings.Configuration, settings.WorkerOnnxRuntime == "gpu" ? "bin-gpu" : "bin"), [], environment);
        started.Add("worker", worker);

        using var http = new HttpClient { BaseAddress = portalUrl, Timeout = TimeSpan.FromSeconds(5) };
        string? device = null;
        await WaitForStartAsync(
            worker,
            () => Readiness.WaitUntilAsync(
                async () =>
                {
                    try
                    {
                        var online = await http.GetFromJsonAsync<List<OnlineWorkerRow>>("api/network/workers", cancellationToken) ?? [];
                        device = online.FirstOrDefault(w => w.MinerId == minerId)?.DeviceName;
                        return device is not null;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                [worker],
                WorkerStartTimeout,
                TimeSpan.FromMilliseconds(250),
                cancellationToken),
            $"miner {minerId} did not come online within {WorkerStartTimeout.TotalSeconds:0} s");
        return (worker, device!);
    }

    // The child's own one-line error is already on the console (its output is echoed), so the runner's line only points at it.
    private static async Task WaitForStartAsync(ChildProcess process, Func<Task> wait, string timedOut)
    {
        try
        {
            await wait();
        }
        catch (ChildProcessExitedException)
        {
            throw new LocalSetupException(process.Name, $"stopped during start-up (exit code {process.ExitCode}); its error is above");
        }
        catch (TimeoutException)
        {
            throw new LocalSetupException(process.Name, timedOut);
        }
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

    private sealed record OnlineWorkerRow(string MinerId, string DeviceName);
}
