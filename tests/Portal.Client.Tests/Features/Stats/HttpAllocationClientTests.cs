using System.Net;
using System.Text;
using Heurist.Portal.Client.Features.Stats;
using Heurist.Protocol.Api;

namespace Heurist.Portal.Client.Tests.Features.Stats;

public sealed class HttpAllocationClientTests : IDisposable
{
    private readonly StubHandler _handler = new();

    private HttpAllocationClient Client => new(new HttpClient(_handler, disposeHandler: false) { BaseAddress = new Uri("https://portal.example/") });

    [Fact]
    public async Task The_allocation_is_read_from_api_governance_allocation_with_its_hours()
    {
        _handler.Answer = _ => Json(HttpStatusCode.OK, """
            {"alpha":0.5,"proposalId":"0xabc","updatedAt":"2026-11-22T12:00:00+00:00",
             "models":[{"modelId":"sdxl","votedShare":0.2,"demandShare":0.5,"targetShare":0.35,"actualShare":0.4,"workers":8}],
             "history":[{"at":"2026-11-22T11:59:00+00:00","modelId":"sdxl","targetShare":0.35,"actualShare":0.3}]}
            """);

        var status = await Client.GetAllocationAsync(6, TestContext.Current.CancellationToken);

        Assert.Equal((0.5, "0xabc"), (status.Alpha, status.ProposalId));
        var model = Assert.Single(status.Models);
        Assert.Equal(("sdxl", 0.35, 0.4, 8), (model.ModelId, model.TargetShare, model.ActualShare, model.Workers));
        Assert.Equal(0.3, Assert.Single(status.History).ActualShare);
        Assert.Equal("https://portal.example/api/governance/allocation?hours=6", Assert.Single(_handler.Requests).RequestUri!.ToString());
    }

    [Fact]
    public async Task Hours_outside_one_to_a_week_are_refused_without_asking_the_portal()
    {
        var problem = await Assert.ThrowsAsync<ApiException>(() => Client.GetAllocationAsync(169, TestContext.Current.CancellationToken));

        Assert.Equal(400, problem.Status);
        Assert.Equal(["hours must be a whole number from 1 to 168."], problem.Errors["hours"]);
        Assert.Empty(_handler.Requests);
    }

    [Fact]
    public async Task A_refusal_from_the_portal_is_an_ApiException_with_its_title()
    {
        _handler.Answer = _ => Json(HttpStatusCode.ServiceUnavailable, """{"title":"The database is unavailable.","status":503}""");

        var problem = await Assert.ThrowsAsync<ApiException>(() => Client.GetAllocationAsync(24, TestContext.Current.CancellationToken));

        Assert.Equal((503, "The database is unavailable."), (problem.Status, problem.Title));
    }

    public void Dispose() => _handler.Dispose();

    private static HttpResponseMessage Json(HttpStatusCode status, string body)
        => new(status) { Content = new StringContent(body, Encoding.UTF8, status == HttpStatusCode.OK ? "application/json" : "application/problem+json") };

    private sealed class StubHandler : HttpMessageHandler
    {
        public Func<HttpRequestMessage, HttpResponseMessage> Answer { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.NotFound);

        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(Answer(request));
        }
    }
}
