using Hangfire;
using Hangfire.Dashboard;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Hangfire;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Infrastructure.Jobs;

/// <summary>Hangfire as the portal uses it: a client that enqueues onto the workers' queues, and the dashboard.</summary>
public static class JobsSetup
{
    /// <summary>The authorization policy guarding operator pages outside Development.</summary>
    public const string AdminPolicy = "PortalAdmin";

    public static IServiceCollection AddPortalJobs(this IServiceCollection services)
    {
        // The portal only enqueues; workers run the jobs. So: storage and client, no Hangfire server here.
        services.AddSingleton(provider => HangfireStorageSetup.CreateStorage(provider.GetRequiredService<IOptions<PortalDatabaseOptions>>().Value.Portal!));
        services.AddHangfire(configuration => configuration.UsePortalDefaults());
        return services;
    }

    public static IServiceCollection AddPortalAuthorization(this IServiceCollection services)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                // There is no sign-in page yet: answer with status codes instead of redirecting to one.
                options.Events.OnRedirectToLogin = context => Refuse(context.HttpContext, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Refuse(context.HttpContext, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.RequireAssertion(context =>
                // Until wallets sign in, an operator is whoever browses from the portal's own machine.
                context.Resource is HttpContext http && IsLoopback(http)));
        return services;
    }

    public static WebApplication MapJobDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = new DashboardOptions
        {
            DashboardTitle = "Heurist jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
            Authorization = Array.Empty<IDashboardAuthorizationFilter>(),
        };
        if (app.Environment.IsDevelopment())
        {
            app.MapHangfireDashboard("/hangfire", options);
        }
        else
        {
            app.MapHangfireDashboardWithAuthorizationPolicy(AdminPolicy, "/hangfire", options);
        }
        return app;
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

    private static bool IsLoopback(HttpContext http)
        => http.Connection.RemoteIpAddress is { } address && System.Net.IPAddress.IsLoopback(address)
           && !http.Request.Headers.ContainsKey("X-Forwarded-For");
}
