using Heurist.Portal.Data;
using Heurist.Portal.Data.Jobs;
using Heurist.Portal.Server.Components;
using Heurist.Portal.Server.Features.Allocation;
using Heurist.Portal.Server.Features.Auth;
using Heurist.Portal.Server.Features.Chain;
using Heurist.Portal.Server.Features.Governance;
using Heurist.Portal.Server.Features.Minting;
using Heurist.Portal.Server.Features.Network;
using Heurist.Portal.Server.Features.Provenance;
using Heurist.Portal.Server.Features.Rewards;
using Heurist.Portal.Server.Features.Staking;
using Heurist.Portal.Server.Features.Stats;
using Heurist.Portal.Server.Features.Studio;
using Heurist.Portal.Server.Infrastructure.Chain;
using Heurist.Portal.Server.Infrastructure.Health;
using Heurist.Portal.Server.Infrastructure.Http;
using Heurist.Portal.Server.Infrastructure.Jobs;
using Heurist.Protocol.Api.Chain;
using Heurist.Protocol.Api.Network;
using Heurist.Protocol.Api.Provenance;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Api.Studio;
using Heurist.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Heurist.Portal.Server;

/// <summary>The portal's registrations and request pipeline, kept out of Program.cs.</summary>
public static class PortalServices
{
    public static WebApplicationBuilder AddPortalServices(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        // Serve the Blazor WebAssembly files from the build output in every environment, not only Development.
        builder.WebHost.UseStaticWebAssets();

        services.AddPortalComponents();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // A body that is not JSON, or not the right shape, is the caller's mistake: say so without internals.
            if (context.Exception is BadHttpRequestException bad)
            {
                context.ProblemDetails.Title = "The request could not be read.";
                context.ProblemDetails.Detail = bad.Message;
            }
        });
        services.AddOpenApi();
        // A body that cannot be bound becomes an exception, so the exception handler answers it with problem details
        // in every environment (by default only Development throws; production answers an empty 400).
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<PortalOptions>()
            .BindConfiguration(PortalOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PortalOptions>, PortalOptionsValidator>();

        services.AddPortalDatabase();
        // Keys in the database, so every portal instance can read the cookies and antiforgery tokens of the others.
        services.AddDataProtection()
            .SetApplicationName("heurist-portal")
            .PersistKeysToDbContext<PortalDbContext>();
        services.AddStartupCheck(PortalDatabaseOptions.SettingName, (provider, cancellationToken) =>
            PortalDatabase.VerifyAsync(provider.GetRequiredService<IOptions<PortalDatabaseOptions>>().Value.Portal!, requireSchema: true, cancellationToken));

        services.AddChain();
        services.AddPortalJobs();
        services.AddRewards();
        services.AddPortalSessions(builder.Environment.IsDevelopment());
        services.AddSiweVerifier();
        services.AddSingleton<IChainClient, ManifestChainClient>();

        services.AddHealthChecks()
            .AddCheck<PostgresHealthCheck>("postgres", tags: [ServiceDefaultsExtensions.ReadyTag])
            .AddCheck<ChainRpcHealthCheck>("chain-rpc", tags: [ServiceDefaultsExtensions.ReadyTag])
            .AddCheck<PaymasterDepositHealthCheck>("paymaster-deposit", tags: [ServiceDefaultsExtensions.ReadyTag]);

        services.AddSingleton<JobTelemetry>();
        services.AddScoped<INetworkClient, NetworkService>();
        services.AddMemoryCache();
        services.AddSingleton<NetworkSnapshotService>();
        services.AddHostedService(provider => provider.GetRequiredService<NetworkSnapshotService>());
        services.AddScoped<NetworkStatsService>();
        services.AddScoped<INetworkStatsClient>(provider => provider.GetRequiredService<NetworkStatsService>());

        services.AddSingleton<StakingEpochs>();
        services.AddScoped<IStakingClient, StakingService>();

        services.AddModelCatalog();
        services.AddSignalR();
        services.AddSingleton<JobProgressFeed>();
        services.AddHostedService<ImageJobListener>();
        services.AddScoped<StudioService>();
        services.AddScoped<IStudioClient>(provider => provider.GetRequiredService<StudioService>());
        services.AddMinting();
        services.AddScoped<IProvenanceClient, ProvenanceService>();
        services.AddGovernance();
        services.AddAllocation();
        return builder;
    }

    public static WebApplication UsePortalPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Outside the exception handler, so the errors it answers without a body (413) get one too.
        app.UseApiProblemBodies();
        // Problem details without stack traces in every environment: no stack trace reaches a user.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // The API answers its own errors with problem details; only pages get the not-found page.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api") && context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }
            return next(context);
        });
        if (app.Environment.IsDevelopment())
        {
            app.UseWebAssemblyDebugging();
        }
        // HEAD wherever GET is, which routing alone would answer 404; then routing, here rather than first.
        app.UseHeadAsGet();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPortalPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapStaticAssets();
        app.MapOpenApi();
        app.MapJobDashboard();
        app.MapPortalComponents();
        return app;
    }
}
