using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Data.Minting;
using Heurist.Portal.Server.Features.Studio;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Minting;

/// <summary>The server's <see cref="INftClient"/>: NFTs from the indexer's table, metadata from the documents the mints stored.</summary>
public sealed class NftService(
    IDbContextFactory<PortalDbContext> databases,
    MintingChain chain,
    AuthenticationStateProvider authentication,
    IOptionsMonitor<PortalOptions> portal,
    IHostEnvironment environment,
    TimeProvider clock) : INftClient
{
    /// <summary>Days of sponsored mints the paymaster view charts.</summary>
    public const int PaymasterDays = 14;

    /// <summary>Most NFTs and most unminted images a gallery lists.</summary>
    public const int GalleryLimit = 200;

    private const decimal WeiPerEth = 1_000_000_000_000_000_000m;

    public async Task<NftView?> GetAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        var sha256 = ValidTokenId(tokenId);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var token = await db.NftTokens.AsNoTracking().SingleOrDefaultAsync(t => t.ImageHash == "0x" + sha256, cancellationToken);
        if (token is null)
        {
            return null;
        }
        var json = await MetadataJsonAsync(db, sha256, cancellationToken);
        return ToView(token, json is null ? null : JsonSerializer.Deserialize<NftMetadata>(json));
    }

    /// <summary>The exact metadata JSON of a minted token and its sha256, or null when the token or its document is unknown.</summary>
    public async Task<(string Json, string Sha256)?> GetMetadataDocumentAsync(string tokenId, CancellationToken cancellationToken = default)
    {
        var sha256 = ValidTokenId(tokenId);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (!await db.NftTokens.AnyAsync(t => t.ImageHash == "0x" + sha256, cancellationToken))
        {
            return null;
        }
        var document = await MetadataDocumentAsync(db, sha256, cancellationToken);
        return document is null ? null : (document.Json, document.Sha256);
    }

    public async Task<WalletGallery> GetGalleryAsync(string address, CancellationToken cancellationToken = default)
    {
        if (address is not { Length: 42 } || !address.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !address[2..].All(char.IsAsciiHexDigit))
        {
            throw ApiException.Invalid("The address is invalid.", new FieldErrors().Add("address", "address must be 0x and 40 hex digits."));
        }
        var wallet = address.ToLowerInvariant();
        var signedIn = AuthClaims.AddressOf((await authentication.GetAuthenticationStateAsync()).User)?.ToLowerInvariant();
        var isOwner = signedIn == wallet;
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var tokens = await db.NftTokens.AsNoTracking()
            .Where(t => t.Owner == wallet)
            .OrderByDescending(t => t.MintedBlock)
            .Take(GalleryLimit)
            .ToListAsync(cancellationToken);
        var hashes = tokens.Select(t => t.ImageHash[2..]).ToList();
        var documents = await LatestDocumentsAsync(db, hashes, cancellationToken);
        var minted = tokens.Select(t => ToView(t, documents.TryGetValue(t.ImageHash[2..], out var json) ? JsonSerializer.Deserialize<NftMetadata>(json) : null)).ToList();

        List<ImageJobView> unminted = [];
        if (isOwner)
        {
            var jobs = await db.ImageJobs.AsNoTracking()
                .Where(j => j.OwnerAddress == wallet && j.State == ImageJobState.Succeeded && j.ImageSha256 != null
                    && !db.NftTokens.Any(t => t.ImageHash == "0x" + j.ImageSha256))
                .OrderByDescending(j => j.CreatedAt)
                .Take(GalleryLimit)
                .ToListAsync(cancellationToken);
            // One card per image, however many jobs rendered the same bytes.
            unminted = [.. jobs.DistinctBy(j => j.ImageSha256).Select(j => StudioService.ToView(j, demo: false))];
        }
        return new WalletGallery(wallet, isOwner, minted, unminted);
    }

    public async Task<PaymasterStatus> GetPaymasterStatusAsync(CancellationToken cancellationToken = default)
    {
        var signedIn = AuthClaims.AddressOf((await authentication.GetAuthenticationStateAsync()).User);
        if (!environment.IsDevelopment() && !portal.CurrentValue.IsAdmin(signedIn))
        {
            throw new ApiException(signedIn is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden, "The paymaster view is for the portal's operators (Portal:Admins).");
        }
        var options = chain.Options;
        var paymaster = chain.Manifest.Contracts.HeuristPaymaster;
        var deposit = await chain.EntryPoint.BalanceOfAsync(paymaster);
        var depositEth = (double)((decimal)deposit / WeiPerEth);

        var since = new DateTimeOffset(clock.GetUtcNow().UtcDateTime.Date.AddDays(-(PaymasterDays - 1)), TimeSpan.Zero);
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var sent = await db.MintRequests.AsNoTracking().Where(r => r.SentAt >= since).Select(r => r.SentAt!.Value).ToListAsync(cancellationToken);
        var perDay = Enumerable.Range(0, PaymasterDays)
            .Select(i => DateOnly.FromDateTime(since.UtcDateTime.AddDays(i)))
            .Select(day => new DailySponsoredMints(day, sent.Count(at => DateOnly.FromDateTime(at.UtcDateTime) == day)))
            .ToList();
        return new PaymasterStatus(
            paymaster,
            deposit.ToString(CultureInfo.InvariantCulture),
            depositEth,
            options.LowDepositEth,
            depositEth < options.LowDepositEth,
            options.MintsPerWalletPerDay,
            options.MintsPerIpPerDay,
            perDay);
    }

    /// <summary>The deposit the paymaster has left at the EntryPoint, in wei.</summary>
    public Task<BigInteger> DepositAsync() => chain.EntryPoint.BalanceOfAsync(chain.Manifest.Contracts.HeuristPaymaster);

    private static NftView ToView(NftToken token, NftMetadata? metadata)
    {
        var sha256 = token.ImageHash[2..];
        return new NftView(
            NftTokenIds.FromImageSha256(sha256), sha256, token.Owner, token.ModelId, token.Uri, token.MintTransactionHash, token.MintedBlock, token.MintedAt, metadata);
    }

    private static async Task<string?> MetadataJsonAsync(PortalDbContext db, string sha256, CancellationToken cancellationToken)
        => (await MetadataDocumentAsync(db, sha256, cancellationToken))?.Json;

    /// <summary>The document the included mint pointed at; else the newest stored for the image (a mint sent by another portal).</summary>
    private static async Task<NftMetadataDocument?> MetadataDocumentAsync(PortalDbContext db, string sha256, CancellationToken cancellationToken)
    {
        var included = await db.MintRequests.AsNoTracking()
            .Where(r => r.ImageSha256 == sha256 && r.State == MintRequestState.Included)
            .Select(r => r.MetadataSha256)
            .FirstOrDefaultAsync(cancellationToken);
        var documents = db.NftMetadataDocuments.AsNoTracking().Where(d => d.ImageSha256 == sha256);
        return included is not null
            ? await documents.SingleOrDefaultAsync(d => d.Sha256 == included, cancellationToken)
            : await documents.OrderByDescending(d => d.CreatedAt).FirstOrDefaultAsync(cancellationToken);
    }

    private static async Task<Dictionary<string, string>> LatestDocumentsAsync(PortalDbContext db, List<string> hashes, CancellationToken cancellationToken)
    {
        var documents = await db.NftMetadataDocuments.AsNoTracking()
            .Where(d => hashes.Contains(d.ImageSha256))
            .OrderByDescending(d => d.CreatedAt)
            .Select(d => new { d.ImageSha256, d.Json })
            .ToListAsync(cancellationToken);
        return documents.DistinctBy(d => d.ImageSha256).ToDictionary(d => d.ImageSha256, d => d.Json);
    }

    private static string ValidTokenId(string? tokenId)
        => NftTokenIds.TryToImageSha256(tokenId, out var sha256)
            ? sha256
            : throw ApiException.Invalid("The token id is invalid.", new FieldErrors().Add("tokenId", "tokenId must be a positive number below 2^256, in decimal or 0x-hex."));
}
