using Microsoft.Extensions.Configuration;

namespace Heurist.AppHost;

/// <summary>The runner's settings: section "Local" plus the two service settings it may provide itself.</summary>
public sealed record LocalSettings
{
    public required string RepositoryRoot { get; init; }

    /// <summary>ConnectionStrings:Portal; when empty, a private cluster under the data folder is used.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Chain:RpcUrl; when empty, anvil is started with its state under the data folder.</summary>
    public string? ChainRpcUrl { get; init; }

    /// <summary>Chain:ManifestPath; needed with Chain:RpcUrl. For the local anvil, the runner writes its own.</summary>
    public string? ChainManifestPath { get; init; }

    public required string DataDirectory { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    public int PortalPort { get; init; } = 5080;

    /// <summary>0 picks a free port.</summary>
    public int PostgresPort { get; init; }

    /// <summary>Anvil's port; when it is taken, a free one is used instead.</summary>
    public int AnvilPort { get; init; } = 8545;

    public string? WorkerRewardAddress { get; init; }

    /// <summary>Worker:ModelsPath; when empty, the runner gives the worker the tiny demo models.</summary>
    public string? WorkerModelsPath { get; init; }

    public string Configuration { get; init; } = "Release";

    public static LocalSettings From(IConfiguration configuration, string repositoryRoot)
    {
        var local = configuration.GetSection("Local");
        var dataDirectory = local["DataDirectory"] is { Length: > 0 } data
            ? Path.GetFullPath(data, repositoryRoot)
            : Path.Combine(repositoryRoot, ".data");
        return new LocalSettings
        {
            RepositoryRoot = repositoryRoot,
            ConnectionString = Empty(configuration["ConnectionStrings:Portal"]),
            ChainRpcUrl = Empty(configuration["Chain:RpcUrl"]),
            ChainManifestPath = Empty(configuration["Chain:ManifestPath"]) is { } manifest ? Path.GetFullPath(manifest) : null,
            DataDirectory = dataDirectory,
            Host = Empty(local["Host"]) ?? "127.0.0.1",
            PortalPort = ReadPort(local, "PortalPort", 5080),
            PostgresPort = ReadPort(local, "PostgresPort", 0),
            AnvilPort = ReadPort(local, "AnvilPort", 8545),
            WorkerRewardAddress = Empty(configuration["Worker:RewardAddress"]),
            WorkerModelsPath = Empty(configuration["Worker:ModelsPath"]),
            Configuration = Empty(local["Configuration"]) ?? ConfigurationOfThisBuild(),
        };
    }

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

    // The runner starts the portal and worker built in the same configuration as itself (bin/<Configuration>/net10.0).
    private static string ConfigurationOfThisBuild()
        => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";
}

/// <summary>A setting that stops the runner, with the reason; printed as one line.</summary>
public sealed class LocalSetupException(string setting, string reason) : Exception($"{setting}: {reason}")
{
    public string Setting { get; } = setting;
}
