using System.Threading.RateLimiting;
using Heurist.Protocol.Api.Auth;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Features.Auth;

/// <summary>
/// Sessions after Sign-In with Ethereum: an HttpOnly, SameSite=Lax cookie (Secure outside Development) that carries
/// the address, the per-IP limit on nonces, and the operator policy for the addresses in Portal:Admins.
/// </summary>
public static class SessionSetup
{
    /// <summary>The authorization policy guarding operator pages outside Development.</summary>
    public const string AdminPolicy = "PortalAdmin";

    public const string NonceRateLimit = "siwe-nonce";

    public const string CookieName = "heurist.session";

    /// <summary>A session lasts this long at most, and never past its message's expiration time.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromDays(7);

    public static IServiceCollection AddPortalSessions(this IServiceCollection services, bool development)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = development ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                options.ExpireTimeSpan = SessionLifetime;
                options.SlidingExpiration = false;
                // Sign-in happens in the wallet, not on a page: answer with status codes instead of redirecting.
                options.Events.OnRedirectToLogin = context => Refuse(context.HttpContext, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Refuse(context.HttpContext, StatusCodes.Status403Forbidden);
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.Resource is HttpContext http
                    && http.RequestServices.GetRequiredService<IOptionsMonitor<PortalOptions>>().CurrentValue.IsAdmin(AuthClaims.AddressOf(context.User))));

        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(NonceRateLimit, http =>
            {
                var perMinute = http.RequestServices.GetRequiredService<IOptionsMonitor<PortalOptions>>().CurrentValue.NonceRequestsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many sign-in attempts from this address.",
                    detail: "Wait a minute, then try again.").ExecuteAsync(context.HttpContext);
            };
        });

        services.AddSingleton<SignInNonceStore>();
        services.AddScoped<ServerAuthClient>();
        services.AddScoped<IAuthClient>(provider => provider.GetRequiredService<ServerAuthClient>());
        return services;
    }

    private static Task Refuse(HttpContext http, int statusCode)
    {
        http.Response.StatusCode = statusCode;
        // A refusal is not a missing page: keep the status code instead of showing the not-found page.
        if (http.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }
        return Task.CompletedTask;
    }
}
