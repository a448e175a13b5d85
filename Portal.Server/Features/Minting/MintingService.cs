using Heurist.Contracts.AccountAbstraction;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Imaginaries;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Minting;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Jobs;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Heurist.Portal.Server.Features.Minting;

/// <summary>
/// The server's <see cref="IMintingClient"/>: checks the image, its owner and the quotas, signs the studio's mint
/// authorization and the paymaster's sponsorship, keeps the operation until the wallet signs it, sends it to the
/// bundler, and follows it to its receipt and the indexer's token.
/// </summary>
public sealed partial class MintingService(
    IDbContextFactory<PortalDbContext> databases,
    MintingChain chain,
    AuthenticationStateProvider authentication,
    IHttpContextAccessor http,
    NavigationManager navigation,
    TimeProvider clock,
    ILogger<MintingService> logger) : IMintingClient
{
    /// <summary>The window the quotas count sent mints in.</summary>
    public static readonly TimeSpan QuotaWindow = TimeSpan.FromDays(1);

    /// <summary>A preparation this close to its deadline is re-issued instead of sent: the bundler needs time to include it.</summary>
    public static readonly TimeSpan SendMargin = TimeSpan.FromSeconds(30);

    /// <summary>How long after its sponsorship ends a sent operation without a receipt is taken as dropped.</summary>
    public static readonly TimeSpan DropGrace = TimeSpan.FromMinutes(2);

    public async Task<MintPreparation> PrepareAsync(string imageSha256, CancellationToken cancellationToken = default)
    {
        var sha256 = ValidSha256(imageSha256);
        var owner = await SignedInAsync();
        var bundler = Bundler();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var job = await OwnedImageAsync(db, sha256, owner, cancellationToken);
        await RefuseMintedAsync(db, sha256, cancellationToken);
        await RefuseInFlightAsync(db, sha256, bundler, cancellationToken);
        var clientIp = ClientIp();
        await RefuseSpentQuotaAsync(db, owner, clientIp, cancellationToken);
        return await PrepareCoreAsync(db, job, owner, clientIp, bundler, cancellationToken);
    }

    public async Task<MintSubmitted> SubmitAsync(MintSubmission submission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var owner = await SignedInAsync();
        var bundler = Bundler();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var request = await db.MintRequests.SingleOrDefaultAsync(r => r.Id == submission.PreparationId && r.Owner == owner, cancellationToken)
            ?? throw new ApiException(StatusCodes.Status404NotFound, $"There is no mint preparation {submission.PreparationId} for {owner}.");
        switch (request.State)
        {
            case MintRequestState.Sent or MintRequestState.Included:
                // Submitted twice (a retried request): the first one stands.
                return new MintSubmitted(request.UserOpHash, null);
            case MintRequestState.Failed or MintRequestState.Superseded:
                throw new ApiException(StatusCodes.Status409Conflict, "This mint preparation is no longer usable: press Mint again.");
        }

        var signature = ValidSignature(submission.Signature);
        var operation = StoredOperation.FromJson(request.Operation) with { Signature = signature };
        var recovered = Signatures.Recover(chain.Mint.Hash(operation), signature);
        if (!string.Equals(recovered, owner, StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.Invalid("The signature is not the signed-in wallet's.", new FieldErrors().Add(
                "signature", $"The operation was signed by {recovered}, not by {owner}: sign with the account you are signed in with."));
        }

        var now = await chain.NowAsync();
        if (now + SendMargin >= (request.AuthorizationDeadline < request.SponsorshipValidUntil ? request.AuthorizationDeadline : request.SponsorshipValidUntil))
        {
            // Out of time before it was sent: make a fresh one for the wallet to sign once more.
            var job = await OwnedImageAsync(db, request.ImageSha256, owner, cancellationToken);
            await RefuseMintedAsync(db, request.ImageSha256, cancellationToken);
            request.State = MintRequestState.Superseded;
            await db.SaveChangesAsync(cancellationToken);
            LogReissued(logger, request.Id, request.ImageSha256);
            return new MintSubmitted(null, await PrepareCoreAsync(db, job, owner, request.ClientIp, bundler, cancellationToken));
        }
        await RefuseSpentQuotaAsync(db, owner, request.ClientIp, cancellationToken);

        string userOpHash;
        try
        {
            userOpHash = await bundler.SendUserOperationAsync(operation, chain.Mint.EntryPoint, cancellationToken);
        }
        catch (BundlerRejectedException rejected)
        {
            request.State = MintRequestState.Failed;
            request.Error = Cut($"The bundler refused the mint: {rejected.Message}");
            await db.SaveChangesAsync(cancellationToken);
            LogRejected(logger, request.Id, rejected.Message);
            throw new ApiException(StatusCodes.Status502BadGateway, request.Error);
        }
        catch (BundlerUnavailableException unavailable)
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, $"The bundler cannot be reached; nothing was sent, try again. ({unavailable.Message})");
        }
        request.State = MintRequestState.Sent;
        request.SentAt = clock.GetUtcNow();
        if (!string.Equals(userOpHash, request.UserOpHash, StringComparison.OrdinalIgnoreCase))
        {
            LogHashMismatch(logger, request.Id, request.UserOpHash, userOpHash);
            request.UserOpHash = userOpHash.ToLowerInvariant();
        }
        await db.SaveChangesAsync(cancellationToken);
        LogSent(logger, request.Id, request.ImageSha256, request.UserOpHash);
        return new MintSubmitted(request.UserOpHash, null);
    }

    public async Task<MintStatus?> GetStatusAsync(string userOpHash, CancellationToken cancellationToken = default)
    {
        if (!IsHash(userOpHash))
        {
            throw ApiException.Invalid("The operation hash is invalid.", new FieldErrors().Add("userOpHash", "userOpHash must be 0x and 64 hex digits."));
        }
        var hash = userOpHash.ToLowerInvariant();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var request = await db.MintRequests
            .Where(r => r.UserOpHash == hash && r.SentAt != null)
            .OrderByDescending(r => r.SentAt)
            .FirstOrDefaultAsync(cancellationToken);
        if (request is null)
        {
            return null;
        }
        if (request.State == MintRequestState.Sent && chain.Bundler is { } bundler)
        {
            await FollowAsync(db, request, bundler, cancellationToken);
        }
        var state = request.State switch
        {
            MintRequestState.Included => await db.NftTokens.AnyAsync(t => t.ImageHash == "0x" + request.ImageSha256, cancellationToken) ? MintState.Indexed : MintState.Included,
            MintRequestState.Failed => MintState.Failed,
            _ => MintState.Pending,
        };
        return new MintStatus(request.ImageSha256, NftTokenIds.FromImageSha256(request.ImageSha256), state, request.UserOpHash, request.TransactionHash, request.Error);
    }

    /// <summary>Asks the bundler for a sent operation's receipt, and records what it says.</summary>
    private async Task FollowAsync(PortalDbContext db, MintRequest request, BundlerClient bundler, CancellationToken cancellationToken)
    {
        UserOperationReceipt? receipt;
        try
        {
            receipt = await bundler.GetUserOperationReceiptAsync(request.UserOpHash, cancellationToken);
        }
        catch (Exception ex) when (ex is BundlerUnavailableException or BundlerRejectedException)
        {
            // Still pending as far as anyone can tell; the next look asks again.
            LogFollowFailed(logger, request.UserOpHash, ex.Message);
            return;
        }
        if (receipt is not null)
        {
            request.TransactionHash = receipt.TransactionHash.ToLowerInvariant();
            request.State = receipt.Success ? MintRequestState.Included : MintRequestState.Failed;
            request.Error = receipt.Success ? null : Cut($"The mint reverted on chain: {receipt.Reason ?? "no reason given"}.");
        }
        else if (await chain.NowAsync() > request.SponsorshipValidUntil + DropGrace)
        {
            request.State = MintRequestState.Failed;
            request.Error = "The bundler dropped the operation before its sponsorship ended; the image can be minted again.";
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<MintPreparation> PrepareCoreAsync(
        PortalDbContext db, ImageJob job, string owner, string? clientIp, BundlerClient bundler, CancellationToken cancellationToken)
    {
        var sha256 = job.ImageSha256!;
        var imageMetadata = await db.Images.AsNoTracking().Where(i => i.Sha256 == sha256).Select(i => i.Metadata).SingleAsync(cancellationToken);
        var baseUrl = BaseUrl();
        var (metadataJson, metadataSha256) = NftMetadataBuilder.Build(job, imageMetadata, baseUrl);
        if (!await db.NftMetadataDocuments.AnyAsync(d => d.Sha256 == metadataSha256, cancellationToken))
        {
            db.NftMetadataDocuments.Add(new NftMetadataDocument { Sha256 = metadataSha256, ImageSha256 = sha256, Json = metadataJson, CreatedAt = clock.GetUtcNow() });
        }
        var tokenId = NftTokenIds.FromImageSha256(sha256);
        var uri = $"{baseUrl.AbsoluteUri.TrimEnd('/')}/{MintingRoutes.Metadata(tokenId)}";

        var options = chain.Options;
        var now = await chain.NowAsync();
        var deadline = now.AddMinutes(options.AuthorizationMinutes);
        var validUntil = now.AddMinutes(options.SponsorshipMinutes);
        var authorization = new MintAuthorization(owner, sha256.HexToByteArray(), job.ModelId, uri, (ulong)deadline.ToUnixTimeSeconds());
        var studioSignature = authorization.Sign(options.Studio(), chain.Manifest.ChainId, chain.Mint.Nft);

        Contracts.Bindings.PackedUserOperation operation;
        try
        {
            operation = await chain.Mint.PrepareAsync(authorization, studioSignature, options.Sponsor(), (ulong)validUntil.ToUnixTimeSeconds(), 0, bundler, cancellationToken);
            chain.Policy.Check(operation, owner);
        }
        catch (BundlerRejectedException rejected)
        {
            throw new ApiException(StatusCodes.Status502BadGateway, Cut($"The bundler refused the mint: {rejected.Message}"));
        }
        catch (BundlerUnavailableException unavailable)
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, $"The bundler cannot be reached; try again in a moment. ({unavailable.Message})");
        }
        catch (SponsorshipRefusedException refused)
        {
            throw new ApiException(StatusCodes.Status403Forbidden, $"The paymaster does not sponsor this operation: {refused.Message}");
        }

        // A newer preparation replaces any older one the wallet never signed.
        await db.MintRequests
            .Where(r => r.ImageSha256 == sha256 && r.State == MintRequestState.Prepared)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.State, MintRequestState.Superseded), cancellationToken);
        var request = new MintRequest
        {
            Id = Guid.NewGuid(),
            ImageSha256 = sha256,
            Owner = owner,
            Account = operation.Sender.ToLowerInvariant(),
            ClientIp = clientIp,
            MetadataSha256 = metadataSha256,
            Operation = StoredOperation.ToJson(operation),
            UserOpHash = chain.Mint.Hash(operation).ToHex(true),
            CreatedAt = clock.GetUtcNow(),
            AuthorizationDeadline = deadline,
            SponsorshipValidUntil = validUntil,
            State = MintRequestState.Prepared,
        };
        db.MintRequests.Add(request);
        await db.SaveChangesAsync(cancellationToken);
        LogPrepared(logger, request.Id, sha256, owner, operation.InitCode.Length > 0);
        return new MintPreparation(
            request.Id, sha256, tokenId, request.Account, operation.InitCode.Length > 0, chain.Mint.TypedDataJson(operation), deadline, validUntil, uri);
    }

    private static async Task<ImageJob> OwnedImageAsync(PortalDbContext db, string sha256, string owner, CancellationToken cancellationToken)
    {
        var jobs = await db.ImageJobs.AsNoTracking()
            .Where(j => j.ImageSha256 == sha256 && j.State == ImageJobState.Succeeded)
            .OrderBy(j => j.CreatedAt)
            .ToListAsync(cancellationToken);
        if (jobs.Count == 0)
        {
            throw new ApiException(StatusCodes.Status404NotFound, $"There is no finished image {sha256}.");
        }
        return jobs.FirstOrDefault(j => j.OwnerAddress == owner)
            ?? throw new ApiException(StatusCodes.Status403Forbidden, $"Image {Short(sha256)} was not made by {owner}: only its creator can mint it.");
    }

    private async Task RefuseMintedAsync(PortalDbContext db, string sha256, CancellationToken cancellationToken)
    {
        var tokenId = NftTokenIds.FromImageSha256(sha256);
        if (await db.NftTokens.AnyAsync(t => t.ImageHash == "0x" + sha256, cancellationToken)
            || await db.MintRequests.AnyAsync(r => r.ImageSha256 == sha256 && r.State == MintRequestState.Included, cancellationToken)
            || await chain.Nft.IsMintedAsync(sha256.HexToByteArray()))
        {
            throw new ApiException(StatusCodes.Status409Conflict, $"Image {Short(sha256)} is minted already as #{NftTokenIds.Abbreviate(tokenId)}.");
        }
    }

    private async Task RefuseInFlightAsync(PortalDbContext db, string sha256, BundlerClient bundler, CancellationToken cancellationToken)
    {
        var sent = await db.MintRequests.Where(r => r.ImageSha256 == sha256 && r.State == MintRequestState.Sent).ToListAsync(cancellationToken);
        foreach (var request in sent)
        {
            await FollowAsync(db, request, bundler, cancellationToken);
            if (request.State == MintRequestState.Sent)
            {
                throw new ApiException(StatusCodes.Status409Conflict, $"A mint of image {Short(sha256)} is on its way already (operation {request.UserOpHash}).");
            }
            if (request.State == MintRequestState.Included)
            {
                throw new ApiException(StatusCodes.Status409Conflict, $"Image {Short(sha256)} is minted already as #{NftTokenIds.Abbreviate(NftTokenIds.FromImageSha256(sha256))}.");
            }
        }
    }

    /// <summary>Refuses with 429 when the wallet's or the address's sponsored mints of the last day reached their quota.</summary>
    private async Task RefuseSpentQuotaAsync(PortalDbContext db, string owner, string? clientIp, CancellationToken cancellationToken)
    {
        var options = chain.Options;
        var since = clock.GetUtcNow() - QuotaWindow;
        await RefuseAsync(db.MintRequests.Where(r => r.Owner == owner && r.SentAt > since), options.MintsPerWalletPerDay, "wallet");
        if (clientIp is not null)
        {
            await RefuseAsync(db.MintRequests.Where(r => r.ClientIp == clientIp && r.SentAt > since), options.MintsPerIpPerDay, "IP address");
        }

        async Task RefuseAsync(IQueryable<MintRequest> sent, int quota, string who)
        {
            var count = await sent.CountAsync(cancellationToken);
            if (count < quota)
            {
                return;
            }
            // The quota frees up when the oldest mint that still counts leaves the window.
            var oldest = quota == 0 ? null : await sent.OrderByDescending(r => r.SentAt).Skip(quota - 1).Select(r => r.SentAt).FirstOrDefaultAsync(cancellationToken);
            var resets = oldest is { } at ? $"; the next one is possible at {(at + QuotaWindow).UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "";
            throw new ApiException(StatusCodes.Status429TooManyRequests,
                $"Mint quota reached: {quota} sponsored mints per {who} per day{resets}.");
        }
    }

    private BundlerClient Bundler()
    {
        if (chain.Unavailable() is { } reason)
        {
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, reason);
        }
        return chain.Bundler!;
    }

    private async Task<string> SignedInAsync()
        => AuthClaims.AddressOf((await authentication.GetAuthenticationStateAsync()).User)?.ToLowerInvariant()
            ?? throw new ApiException(StatusCodes.Status401Unauthorized, "Sign in with your wallet to mint.");

    private string? ClientIp() => http.HttpContext?.Connection.RemoteIpAddress?.ToString();

    /// <summary>Where the portal is reached: the setting, else the request's own address, else the circuit's.</summary>
    private Uri BaseUrl()
    {
        if (chain.Options.PublicBaseUrl is { } configured)
        {
            return configured;
        }
        if (http.HttpContext?.Request is { Host.HasValue: true } request)
        {
            return new Uri($"{request.Scheme}://{request.Host}{request.PathBase}/");
        }
        return new Uri(navigation.BaseUri);
    }

    private static string ValidSha256(string? sha256)
        => sha256 is { Length: 64 } && sha256.All(char.IsAsciiHexDigitLower)
            ? sha256
            : throw ApiException.Invalid("The image is invalid.", new FieldErrors().Add("imageSha256", "imageSha256 must be 64 lowercase hex digits."));

    private static byte[] ValidSignature(string? signature)
    {
        var hex = signature is not null && signature.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? signature[2..] : signature;
        if (hex is not { Length: 130 } || !hex.All(char.IsAsciiHexDigit))
        {
            throw ApiException.Invalid("The signature is invalid.", new FieldErrors().Add("signature", "signature must be 0x and 130 hex digits (65 bytes)."));
        }
        var bytes = hex.HexToByteArray();
        // Wallets write v as 27 or 28; a few write 0 or 1, which SimpleAccount's ECDSA.recover refuses.
        if (bytes[64] is 0 or 1)
        {
            bytes[64] += 27;
        }
        return bytes;
    }

    private static bool IsHash(string? hash)
        => hash is { Length: 66 } && hash.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && hash[2..].All(char.IsAsciiHexDigit);

    private static string Short(string sha256) => sha256[..10] + "…";

    private static string Cut(string text) => text.Length <= MintRequest.MaxErrorLength ? text : text[..(MintRequest.MaxErrorLength - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Mint {RequestId} of image {ImageSha256} prepared for {Owner} (deploys account: {DeploysAccount})")]
    private static partial void LogPrepared(ILogger logger, Guid requestId, string imageSha256, string owner, bool deploysAccount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mint {RequestId} of image {ImageSha256} sent to the bundler as {UserOpHash}")]
    private static partial void LogSent(ILogger logger, Guid requestId, string imageSha256, string userOpHash);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mint {RequestId} of image {ImageSha256} ran out of time before it was sent; re-issued")]
    private static partial void LogReissued(ILogger logger, Guid requestId, string imageSha256);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The bundler refused mint {RequestId}: {Reason}")]
    private static partial void LogRejected(ILogger logger, Guid requestId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mint {RequestId}: the bundler answered userOpHash {Theirs}, the portal computed {Ours}")]
    private static partial void LogHashMismatch(ILogger logger, Guid requestId, string ours, string theirs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No receipt yet for {UserOpHash}: {Reason}")]
    private static partial void LogFollowFailed(ILogger logger, string userOpHash, string reason);
}
