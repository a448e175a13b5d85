using System.Diagnostics;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Heurist.Portal.Data.Tests;

[Integration]
public sealed class NpgsqlTelemetryTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_host_with_the_portal_database_exports_npgsqls_commands_and_metrics()
    {
        var ct = TestContext.Current.CancellationToken;
        var database = await postgres.CreateMigratedDatabaseAsync("npgsqltelemetry");
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[PortalDatabaseOptions.SettingName] = database;
        builder.Services.AddPortalDatabase();
        // What ServiceDefaults sets up in both hosts, with an exporter the test can read.
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddInMemoryExporter(spans))
            .WithMetrics(meters => meters.AddInMemoryExporter(metrics));
        using var host = builder.Build();
        await host.StartAsync(ct);

        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct))
        {
            Assert.Equal(0, await db.Miners.CountAsync(ct));
        }
        Assert.True(host.Services.GetRequiredService<MeterProvider>().ForceFlush());
        await host.StopAsync(ct);

        // The database is this test's own, so a span that names it comes from the query above.
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        Assert.Contains(spans, s => s.Source.Name == "Npgsql" && s.TagObjects.Any(t => Equals(t.Value, name)));
        Assert.Contains(metrics, m => m.MeterName == "Npgsql");
    }
}
