using System.Net;
using Microsoft.Extensions.Configuration;

namespace Heurist.LocalRunner;

/// <summary>The runner's settings: section "Local" plus the two service settings it may provide itself.</summary>
public sealed record LocalSettings
{
    /// <summary>ConnectionStrings:Portal; when empty, a private cluster under the data folder is used.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Chain:RpcUrl; when empty, anvil is started with its state under the data folder.</summary>
    public string? ChainRpcUrl { get; init; }

    /// <summary>Chain:ManifestPath; needed with Chain:RpcUrl. For the local anvil, the runner writes its own.</summary>
    public string? ChainManifestPath { get; init; }

    /// <summary>Chain:BundlerUrl; when empty and anvil is local, Alto is started next to it.</summary>
    public string? ChainBundlerUrl { get; init; }

    public required string DataDirectory { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public int PortalPort { get; init; } = 5080;

    /// <summary>0 picks a free port.</summary>
    public int PostgresPort { get; init; }

    /// <summary>Anvil's port; when it is taken, a free one is used instead.</summary>
    public int AnvilPort { get; init; } = 8545;

    /// <summary>Alto's port; when it is taken, a free one is used instead.</summary>
    public int BundlerPort { get; init; } = 4337;

    public string? WorkerRewardAddress { get; init; }

    /// <summary>Worker:ModelsPath; when empty, the runner gives the worker the tiny demo models.</summary>
    public string? WorkerModelsPath { get; init; }

    /// <summary>
    /// Which build of the worker to start (Local:WorkerOnnxRuntime): cpu, the CPU package of ONNX Runtime; gpu, its
    /// CUDA package, built into Inference.Worker/bin-gpu (./run.sh sets it where nvidia-smi answers).
    /// </summary>
    public string WorkerOnnxRuntime { get; init; } = "cpu";

    /// <summary>The build configuration of the portal and worker to start (Local:Configuration); the runner's own by default.</summary>
    public string Configuration { get; init; } = RepositoryPaths.Configuration;

    /// <summary>Reads the settings; a relative Local:DataDirectory is taken from <paramref name="repositoryRoot"/>.</summary>
    public static LocalSettings From(IConfiguration configuration, string repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var local = configuration.GetSection("Local");
        var dataDirectory = local["DataDirectory"] is { Length: > 0 } data
            ? Path.GetFullPath(data, repositoryRoot)
            : Path.Combine(repositoryRoot, ".data");
        return new LocalSettings
        {
            ConnectionString = Empty(configuration["ConnectionStrings:Portal"]),
            ChainRpcUrl = Empty(configuration["Chain:RpcUrl"]),
            ChainManifestPath = Empty(configuration["Chain:ManifestPath"]) is { } manifest ? Path.GetFullPath(manifest) : null,
            ChainBundlerUrl = Empty(configuration["Chain:BundlerUrl"]),
            DataDirectory = dataDirectory,
            Host = ReadHost(local),
            PortalPort = ReadPort(local, "PortalPort", 5080),
            PostgresPort = ReadPort(local, "PostgresPort", 0),
            AnvilPort = ReadPort(local, "AnvilPort", 8545),
            BundlerPort = ReadPort(local, "BundlerPort", 4337),
            WorkerRewardAddress = Empty(configuration["Worker:RewardAddress"]),
            WorkerModelsPath = Empty(configuration["Worker:ModelsPath"]),
            Configuration = Empty(local["Configuration"]) ?? RepositoryPaths.Configuration,
            WorkerOnnxRuntime = ReadOnnxRuntime(local),
        };
    }

    private static string ReadOnnxRuntime(IConfigurationSection section)
        => Empty(section["WorkerOnnxRuntime"])?.ToLowerInvariant() switch
        {
            null or "cpu" => "cpu",
            "gpu" => "gpu",
            _ => throw new LocalSetupException("Local:WorkerOnnxRuntime", $"'{section["WorkerOnnxRuntime"]}' is neither cpu nor gpu"),
        };

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static int ReadPort(IConfigurationSection section, string key, int fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        return int.TryParse(text, out var port) && port is >= 0 and <= 65535
            ? port
            : throw new LocalSetupException($"Local:{key}", $"'{text}' is not a port number (0 to 65535)");
    }

    // The portal listens on it and the runner checks its ports on it, so it must be an address, not a name.
    private static string ReadHost(IConfigurationSection section)
    {
        var text = Empty(section["Host"]);
        if (text is null)
        {
            return "127.0.0.1";
        }
        return IPAddress.TryParse(text, out _)
            ? text
            : throw new LocalSetupException("Local:Host", $"'{text}' is not an IP address (for example 127.0.0.1 or 0.0.0.0)");
    }
}

/// <summary>A setting that stops the runner, with the reason; printed as one line.</summary>
public sealed class LocalSetupException(string setting, string reason) : Exception($"{setting}: {reason}")
{
    public string Setting { get; } = setting;
}
