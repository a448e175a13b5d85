using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.LocalChain;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Server.Tests.Features.Auth;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Jobs;
using Heurist.Testing;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Heurist.Portal.Server.Tests.Features.Minting;

/// <summary>A portal with minting on: the studio and sponsor keys of the deployment, and Alto on the shared chain.</summary>
internal static class MintingPortal
{
    public static readonly TimeSpan IndexWait = TimeSpan.FromSeconds(90);

    public static async Task<PortalApp> StartAsync(PostgresFixture postgres, DeployedChainFixture chain, IDictionary<string, string>? settings = null, Uri? bundlerUrl = null)
    {
        var portal = new PortalApp(postgres, chain);
        await portal.InitializeAsync();
        portal.Settings["Minting:StudioKey"] = AnvilAccounts.StudioSigner.GetPrivateKey();
        portal.Settings["Minting:SponsorKey"] = AnvilAccounts.SponsorSigner.GetPrivateKey();
        portal.Settings["Minting:PublicBaseUrl"] = "https://portal.example/";
        portal.Settings["Chain:BundlerUrl"] = (bundlerUrl ?? await chain.BundlerUrlAsync()).ToString();
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            portal.Settings[key] = value;
        }
        return portal;
    }

    /// <summary>A finished image of <paramref name="owner"/>, as a worker leaves it; returns its sha256.</summary>
    public static async Task<string> SeedImageAsync(PortalApp portal, string owner, CancellationToken ct, string? provenance = null)
    {
        var png = RandomNumberGenerator.GetBytes(64);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(png));
        await using var db = PostgresFixture.CreateContext(portal.ConnectionString);
        var now = DateTimeOffset.UtcNow;
        db.Images.Add(new StoredImage
        {
            Sha256 = sha256, Png = png, Width = 64, Height = 64, CreatedAt = now,
            Metadata = provenance is null ? "{}" : $$"""{"provenance":{{provenance}}}""",
        });
        db.ImageJobs.Add(new ImageJob
        {
            Id = Guid.NewGuid(), CreatorId = "minting-" + owner, OwnerAddress = owner.ToLowerInvariant(), CreatedAt = now,
            Prompt = "a lighthouse at dusk", NegativePrompt = "blurry", ModelId = "sd15", Width = 64, Height = 64, Steps = 4, Guidance = 7.5,
            Seed = 42, Scheduler = "euler", State = ImageJobState.Succeeded, StartedAt = now, CompletedAt = now, ImageSha256 = sha256,
        });
        await db.SaveChangesAsync(ct);
        return sha256;
    }

    public static async Task<HttpResponseMessage> PrepareAsync(SignInClient client, string sha256, CancellationToken ct)
        => await client.Http.PostAsync(MintingRoutes.Prepare(sha256), null, ct);

    /// <summary>What the wallet does with eth_signTypedData_v4: signs the digest of the typed data.</summary>
    public static string Sign(MintPreparation preparation, Nethereum.Signer.EthECKey wallet)
        => Signatures.Sign(wallet, TypedDataJson.Hash(preparation.TypedData)).ToHex(true);

    public static async Task<MintSubmitted> SubmitAsync(SignInClient client, MintPreparation preparation, Nethereum.Signer.EthECKey wallet, CancellationToken ct)
    {
        using var response = await client.Http.PostAsJsonAsync(MintingRoutes.Submit, new MintSubmission(preparation.PreparationId, Sign(preparation, wallet)), ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(ct));
        return (await response.Content.ReadFromJsonAsync<MintSubmitted>(ct))!;
    }

    /// <summary>Prepares, signs and sends a mint; returns the preparation and the userOpHash.</summary>
    public static async Task<(MintPreparation Preparation, string UserOpHash)> MintAsync(SignInClient client, string sha256, Nethereum.Signer.EthECKey wallet, CancellationToken ct)
    {
        using var prepared = await PrepareAsync(client, sha256, ct);
        Assert.True(prepared.StatusCode == HttpStatusCode.OK, await prepared.Content.ReadAsStringAsync(ct));
        var preparation = (await prepared.Content.ReadFromJsonAsync<MintPreparation>(ct))!;
        var submitted = await SubmitAsync(client, preparation, wallet, ct);
        Assert.Null(submitted.Reissued);
        return (preparation, submitted.UserOpHash!);
    }

    /// <summary>Follows the operation until the indexer has the token (or it failed); the bound only ends a hung test.</summary>
    public static async Task<MintStatus> FollowAsync(SignInClient client, string userOpHash, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + IndexWait;
        while (true)
        {
            var status = await client.Http.GetFromJsonAsync<MintStatus>(MintingRoutes.Status(userOpHash), ct);
            if (status!.State is MintState.Indexed or MintState.Failed || DateTime.UtcNow > deadline)
            {
                return status;
            }
            await Task.Delay(100, ct);
        }
    }
}
