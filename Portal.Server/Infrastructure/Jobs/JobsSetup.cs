using Hangfire;
using Hangfire.Dashboard;
using Heurist.Portal.Data;
using Heurist.Portal.Data.Hangfire;
using Heurist.Portal.Server.Features.Auth;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server.Infrastructure.Jobs;

/// <summary>Hangfire as the portal uses it: a client that enqueues onto the workers' queues, and the dashboard.</summary>
public static class JobsSetup
{
    public static IServiceCollection AddPortalJobs(this IServiceCollection services)
    {
        // The portal only enqueues; workers run the jobs. So: storage and client, no Hangfire server here.
        services.AddSingleton(provider => HangfireStorageSetup.CreateStorage(provider.GetRequiredService<IOptions<PortalDatabaseOptions>>().Value.Portal!));
        services.AddHangfire(configuration => configuration.UsePortalDefaults());
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
            app.MapHangfireDashboardWithAuthorizationPolicy(SessionSetup.AdminPolicy, "/hangfire", options);
        }
        return app;
    }
}
