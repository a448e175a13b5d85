using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Heurist.Protocol.Api.Network;
using Heurist.Protocol.Api.Studio;
using Heurist.Portal.Data.Jobs;
using Heurist.Testing;

namespace Heurist.Portal.Server.Tests.Features.Studio;

/// <summary>The portal's part of the job path in traces and metrics: submitting and cancelling jobs, and probes.</summary>
public sealed class JobTelemetryTests(PortalApp portal) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task Submitting_an_image_job_is_a_producer_span_with_its_parameters_and_counts_one_submitted_job()
    {
        var ct = TestContext.Current.CancellationToken;
        using var telemetry = new TelemetryRecorder(portal.Services, JobTelemetry.Name);

        var job = await SubmitAsync("""{"prompt":"a fox","modelId":"sd15","width":512,"height":768,"steps":12}""", ct);

        var submit = telemetry.Find("image_job.submit", JobTelemetry.Tags.JobId, job.Id);
        Assert.Equal(ActivityKind.Producer, submit.Kind);
        Assert.Equal<(object?, object?, object?, object?)>(("sd15", 12, 512, 768), (submit.GetTagItem(JobTelemetry.Tags.Model), submit.GetTagItem(JobTelemetry.Tags.Steps),
            submit.GetTagItem(JobTelemetry.Tags.Width), submit.GetTagItem(JobTelemetry.Tags.Height)));
        var submitted = Assert.Single(telemetry.Measurements("heurist.jobs.submitted"));
        Assert.Equal(1, submitted.Value);
        Assert.Equal(JobTelemetry.Kinds.Image, submitted.Tags[JobTelemetry.Tags.Kind]);
        Assert.Equal("sd15", submitted.Tags[JobTelemetry.Tags.Queue]);
    }

    [Fact]
    public async Task Cancelling_a_job_is_a_span_that_names_the_state_it_found()
    {
        var ct = TestContext.Current.CancellationToken;
        var job = await SubmitAsync("""{"prompt":"a fox","modelId":"sdxl"}""", ct);
        using var telemetry = new TelemetryRecorder(portal.Services, JobTelemetry.Name);

        using (var cancel = await portal.CreateClient().PostAsync($"/api/jobs/{job.Id}/cancel", null, ct))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        }

        var span = telemetry.Find("image_job.cancel", JobTelemetry.Tags.JobId, job.Id);
        Assert.Equal<(object?, object?)>(("sdxl", "Queued"), (span.GetTagItem(JobTelemetry.Tags.Model), span.GetTagItem(JobTelemetry.Tags.State)));
        Assert.Empty(telemetry.Measurements("heurist.jobs.submitted"));
    }

    [Fact]
    public async Task Sending_a_probe_is_a_span_and_counts_one_submitted_probe()
    {
        var ct = TestContext.Current.CancellationToken;
        using var telemetry = new TelemetryRecorder(portal.Services, JobTelemetry.Name);

        using var created = await portal.CreateClient().PostAsJsonAsync("/api/network/probes", new StartProbeRequest("telemetry-probes"), ct);
        var probe = (await created.Content.ReadFromJsonAsync<ProbeStatus>(ct))!;

        var span = telemetry.Find("dispatch_probe.submit", JobTelemetry.Tags.JobId, probe.Id);
        Assert.Equal("telemetry-probes", span.GetTagItem(JobTelemetry.Tags.Queue));
        var submitted = Assert.Single(telemetry.Measurements("heurist.jobs.submitted"));
        Assert.Equal<(object?, object?)>((JobTelemetry.Kinds.Probe, "telemetry-probes"), (submitted.Tags[JobTelemetry.Tags.Kind], submitted.Tags[JobTelemetry.Tags.Queue]));
    }

    private async Task<ImageJobView> SubmitAsync(string body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/jobs") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(CreatorIds.Header, "creator-telemetry-tests");
        using var response = await portal.CreateClient().SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ImageJobView>(ct))!;
    }
}
