using Heurist.Contracts.Deployment;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Auth;
using Heurist.Protocol.Api.Studio;
using Heurist.Portal.Server.Features.Studio;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Heurist.Portal.Server.Features.Auth;

/// <summary>
/// Sign-In with Ethereum (EIP-4361): GET /api/auth/nonce, POST /api/auth/siwe, GET /api/auth/me, POST /api/auth/logout.
/// Clients outside the project use these paths and shapes.
/// </summary>
public static partial class AuthApi
{
    public const string RefusedTitle = "Sign-in refused.";

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Auth");

        auth.MapGet("/nonce", async (HttpContext http, SignInNonceStore nonces, CancellationToken cancellationToken) =>
            {
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(new NonceResponse(await nonces.IssueAsync(cancellationToken)));
            })
            .RequireRateLimiting(SessionSetup.NonceRateLimit)
            .WithName("GetSignInNonce")
            .WithSummary("A fresh single-use nonce for one Sign-In with Ethereum message; it expires after ten minutes.");

        auth.MapPost("/siwe", SignInAsync)
            .WithName("SignIn")
            .WithSummary("Verifies an EIP-4361 message and its signature and starts a session cookie. The browser's " + CreatorIds.Header
                + " header, when sent, hands its anonymous image jobs to the account.");

        auth.MapGet("/me", Results<Ok<SessionResponse>, ProblemHttpResult> (HttpContext http) =>
                AuthClaims.AddressOf(http.User) is { } address
                    ? TypedResults.Ok(new SessionResponse(address))
                    : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in."))
            .WithName("GetSession")
            .WithSummary("The signed-in address, or 401.");

        auth.MapPost("/logout", async (HttpContext http) =>
            {
                await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                return TypedResults.NoContent();
            })
            .WithName("SignOut")
            .WithSummary("Ends the session.");
        return app;
    }

    private static async Task<IResult> SignInAsync(
        SignInRequest? request,
        HttpContext http,
        SiweVerifier verifier,
        DeploymentManifest manifest,
        SignInNonceStore nonces,
        StudioService studio,
        ILogger<SiweVerifier> logger,
        CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request?.Message))
        {
            errors.Add("message", "message is required: the EIP-4361 text the wallet signed.");
        }
        if (string.IsNullOrWhiteSpace(request?.Signature))
        {
            errors.Add("signature", "signature is required: the wallet's 0x-hex signature of the message.");
        }
        if (!errors.IsValid)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The sign-in request is incomplete.");
        }

        SiweVerification verification;
        try
        {
            verification = await verifier.VerifyAsync(request!, ExpectationsFor(http, manifest), cancellationToken);
        }
        catch (SiweChainUnavailableException ex)
        {
            LogChainUnavailable(logger, ex);
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The chain cannot be reached to check a contract account's signature.", detail: "Try again in a moment.");
        }
        if (!verification.IsVerified)
        {
            return Refused(verification.Code!, verification.Reason!);
        }

        var message = verification.Message!;
        var nonce = await nonces.UseAsync(message, request!.Message, cancellationToken);
        if (SiweVerification.ForNonce(nonce, message.Nonce) is { } nonceRefused)
        {
            return Refused(nonceRefused.Code!, nonceRefused.Reason!);
        }

        var principal = AuthClaims.Principal(verification.Address!);
        var lifetime = SessionSetup.SessionLifetime;
        var expires = message.ExpirationTime is { } until && until < DateTimeOffset.UtcNow + lifetime ? until : DateTimeOffset.UtcNow + lifetime;
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal,
            new AuthenticationProperties { IsPersistent = true, ExpiresUtc = expires, AllowRefresh = false });

        var creatorId = http.Request.Headers[CreatorIds.Header].ToString();
        if (CreatorIds.IsValid(creatorId))
        {
            await studio.AdoptAsync(creatorId, verification.Address!, cancellationToken);
        }
        return TypedResults.Ok(new SessionResponse(verification.Address!));
    }

    /// <summary>What a message must say to sign in to this portal: its host and port, its origin, and its chain.</summary>
    public static SiweExpectations ExpectationsFor(HttpContext http, DeploymentManifest manifest)
    {
        var origin = new Uri($"{http.Request.Scheme}://{http.Request.Host.Value}/");
        return new SiweExpectations(http.Request.Host.Value!, origin, manifest.ChainId);
    }

    private static ProblemHttpResult Refused(string code, string reason)
        => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: RefusedTitle, detail: reason,
            extensions: new Dictionary<string, object?> { ["code"] = code });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in could not check a contract account: the chain is unreachable")]
    private static partial void LogChainUnavailable(ILogger logger, Exception exception);
}
