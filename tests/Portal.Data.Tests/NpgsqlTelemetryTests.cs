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
        // The Npgsql activity source is process-wide, so other tests' queries reach this exporter
        // from their own threads while it runs: the collections must take concurrent adds.
        var spans = new LockedCollection<Activity>();
        var metrics = new LockedCollection<Metric>();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration[PortalDatabaseOptions.SettingName] = database;
        builder.Services.AddPortalDatabase();
        // What ServiceDefaults sets up in both hosts, with an exporter the test can read.
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddInMemoryExporter(spans))
            .WithMetrics(meters => meters.AddInMemoryExporter(metrics));
        var host = builder.Build();
        await host.StartAsync(ct);

        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct))
        {
            Assert.Equal(0, await db.Miners.CountAsync(ct));
        }
        Assert.True(host.Services.GetRequiredService<MeterProvider>().ForceFlush());
        await host.StopAsync(ct);
        host.Dispose(); // stops the listeners, so nothing is added while the assertions read

        // The database is this test's own, so a span that names it comes from the query above.
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        Assert.Contains(spans.Snapshot(), s => s.Source.Name == "Npgsql" && s.TagObjects.Any(t => Equals(t.Value, name)));
        Assert.Contains(metrics.Snapshot(), m => m.MeterName == "Npgsql");
    }
}

/// <summary>A collection the in-memory exporters can add to from any thread.</summary>
internal sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> items = [];

    public int Count { get { lock (items) return items.Count; } }
    public bool IsReadOnly => false;
    public void Add(T item) { lock (items) items.Add(item); }
    public void Clear() { lock (items) items.Clear(); }
    public bool Contains(T item) { lock (items) return items.Contains(item); }
    public void CopyTo(T[] array, int arrayIndex) { lock (items) items.CopyTo(array, arrayIndex); }
    public bool Remove(T item) { lock (items) return items.Remove(item); }
    public T[] Snapshot() { lock (items) return [.. items]; }
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Snapshot()).GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
