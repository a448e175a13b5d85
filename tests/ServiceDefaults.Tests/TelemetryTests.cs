using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Heurist.ServiceDefaults.Tests;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Every_Heurist_activity_source_and_meter_is_exported_and_no_other()
    {
        var ct = TestContext.Current.CancellationToken;
        var spans = new List<Activity>();
        var metrics = new List<Metric>();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        // A collector's address turns traces on; nothing listens there, and the in-memory exporter sees what it would get.
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        builder.AddServiceDefaults();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
        await using var app = builder.Build();
        await app.StartAsync(ct);
        // Names of this test's own, so that nothing else in the process can add to them.
        var (ours, theirs) = ($"Heurist.Tests.{Guid.NewGuid():N}", $"Elsewhere.Tests.{Guid.NewGuid():N}");

        using (var source = new ActivitySource(ours))
        using (var other = new ActivitySource(theirs))
        using (var meter = new Meter(ours))
        using (var otherMeter = new Meter(theirs))
        {
            using (source.StartActivity("counted"))
            using (other.StartActivity("ignored"))
            {
                meter.CreateCounter<long>("heurist.tests.counted").Add(3);
                otherMeter.CreateCounter<long>("elsewhere.tests.ignored").Add(1);
            }
            // False: the OTLP exporter finds no collector. The in-memory one has what was flushed.
            app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        }

        Assert.Contains(spans, s => s.Source.Name == ours && s.OperationName == "counted");
        Assert.DoesNotContain(spans, s => s.Source.Name == theirs);
        Assert.Contains(metrics, m => m.MeterName == ours && m.Name == "heurist.tests.counted");
        Assert.DoesNotContain(metrics, m => m.MeterName == theirs);
    }

    [Fact]
    public async Task Without_a_collector_no_tracer_is_built_and_metrics_still_are()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "";
        builder.AddServiceDefaults();
        await using var app = builder.Build();
        await app.StartAsync(ct);
        Assert.Null(app.Services.GetService<TracerProvider>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
    }
}
