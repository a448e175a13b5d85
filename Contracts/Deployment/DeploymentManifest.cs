using System.Text.Json;
using System.Text.Json.Serialization;

namespace Heurist.Contracts.Deployment;

/// <summary>
/// Where our contracts live on one chain: written by the deployer, read by the portal at start.
/// Addresses are 0x-hex strings as they appear in the JSON file.
/// </summary>
public sealed record DeploymentManifest
{
    public required ulong ChainId { get; init; }

    /// <summary>The block of the first deployment transaction: the indexer starts reading here.</summary>
    public required ulong StartBlock { get; init; }

    public required DateTimeOffset DeployedAt { get; init; }

    public required DeployedContracts Contracts { get; init; }

    public required DeploymentRoles Roles { get; init; }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static DeploymentManifest FromJson(string json)
        => JsonSerializer.Deserialize<DeploymentManifest>(json, JsonOptions)
           ?? throw new JsonException("The deployment manifest is empty.");

    /// <summary>Reads a manifest file; the exceptions say which file and what is wrong with it.</summary>
    public static async Task<DeploymentManifest> LoadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no deployment manifest at {path}", path);
        }
        var json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return FromJson(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a deployment manifest ({ex.Message})", ex);
        }
    }

    public async Task SaveAsync(string path, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Write then rename, so a reader never sees half a file.
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, ToJson() + "\n", cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>The address of each contract.</summary>
public sealed record DeployedContracts
{
    public required string EntryPoint { get; init; }

    public required string SimpleAccountFactory { get; init; }

    public required string HeuristToken { get; init; }

    public required string EscrowedHeurist { get; init; }

    public required string MinerStaking { get; init; }

    public required string RewardsDistributor { get; init; }

    public required string ImaginariesNft { get; init; }

    public required string HeuristPaymaster { get; init; }

    /// <summary>Each contract by its artifact name, in deployment order.</summary>
    public IReadOnlyList<(string Name, string Address)> All() =>
    [
        (nameof(EntryPoint), EntryPoint),
        (nameof(SimpleAccountFactory), SimpleAccountFactory),
        (nameof(HeuristToken), HeuristToken),
        (nameof(EscrowedHeurist), EscrowedHeurist),
        (nameof(MinerStaking), MinerStaking),
        (nameof(RewardsDistributor), RewardsDistributor),
        (nameof(ImaginariesNft), ImaginariesNft),
        (nameof(HeuristPaymaster), HeuristPaymaster),
    ];
}

/// <summary>The accounts that hold a role in the contracts, as deployed.</summary>
public sealed record DeploymentRoles
{
    /// <summary>Deployer, owner of every contract, and treasury of the non-mining HEU.</summary>
    public required string Owner { get; init; }

    /// <summary>Posts each epoch's Merkle root to the RewardsDistributor.</summary>
    public required string SettlementKey { get; init; }

    /// <summary>Signs the EIP-712 mint authorizations the NFT checks.</summary>
    public required string StudioSigner { get; init; }

    /// <summary>Signs the paymaster's sponsorships.</summary>
    public required string SponsorSigner { get; init; }
}
