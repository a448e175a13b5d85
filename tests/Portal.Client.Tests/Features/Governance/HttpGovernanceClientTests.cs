using System.Net;
using System.Text;
using System.Text.Json;
using Heurist.Portal.Client.Features.Governance;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;

namespace Heurist.Portal.Client.Tests.Features.Governance;

/// <summary>The WebAssembly governance client: the routes it calls, what it posts, and how it reads the hub's answers and refusals.</summary>
public sealed class HttpGovernanceClientTests : IDisposable
{
    private const string Id = "0x3b9ac9ff00000000000000000000000000000000000000000000000000000001";

    private readonly StubHandler _handler = new();

    private HttpGovernanceClient Client => new(new HttpClient(_handler, disposeHandler: false) { BaseAddress = new Uri("https://portal.example/") });

    [Fact]
    public async Task Submitting_posts_the_envelope_as_it_is_to_api_msg_and_reads_the_receipt()
    {
        const string Envelope = """{"address":"0xabc","sig":"0x01","data":{"domain":{"name":"snapshot","version":"0.1.4"},"types":{},"message":{"choice":1}}}""";
        _handler.Answer = _ => Json(HttpStatusCode.OK, $$"""{"id":"{{Id}}","type":"vote","ipfs":"","relayer":null}""");

        var receipt = await Client.SubmitAsync(Envelope, TestContext.Current.CancellationToken);

        Assert.Equal(new HubReceipt(Id, "vote"), receipt);
        var request = Assert.Single(_handler.Requests);
        Assert.Equal((HttpMethod.Post, "https://portal.example/api/msg"), (request.Method, request.RequestUri!.ToString()));
        Assert.Equal("application/json", _handler.ContentTypes.Single());
        Assert.Equal(Envelope, _handler.Bodies.Single());
    }

    [Fact]
    public async Task A_refusal_of_the_hub_is_an_api_exception_titled_with_its_description()
    {
        _handler.Answer = _ => Json(HttpStatusCode.BadRequest, """{"error":"client_error","error_description":"no voting power at block 4000"}""");

        var refusal = await Assert.ThrowsAsync<ApiException>(() => Client.SubmitAsync("{}", TestContext.Current.CancellationToken));

        Assert.Equal((400, "no voting power at block 4000"), (refusal.Status, refusal.Title));
    }

    [Fact]
    public async Task An_answer_that_is_no_hub_refusal_is_read_as_a_problem()
    {
        _handler.Answer = _ => Json(HttpStatusCode.TooManyRequests, """{"title":"Too many messages; try again in a minute.","status":429}""");

        var refusal = await Assert.ThrowsAsync<ApiException>(() => Client.SubmitAsync("{}", TestContext.Current.CancellationToken));

        Assert.Equal((429, "Too many messages; try again in a minute."), (refusal.Status, refusal.Title));
    }

    [Fact]
    public async Task Listing_asks_for_the_state_and_reads_states_and_kinds_by_name()
    {
        var json = JsonSerializer.Serialize(
            new[] { InMemoryGovernanceClient.Summary(Id, "Split", Protocol.Governance.VotingType.Weighted, kind: ProposalKind.ModelAllocation, scores: [2, 1, 0]) },
            JsonSerializerOptions.Web);
        // The portal writes states and kinds by name.
        Assert.Contains("\"state\":\"Active\",", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"ModelAllocation\",", json, StringComparison.Ordinal);
        _handler.Answer = _ => Json(HttpStatusCode.OK, json);

        var active = await Client.ListProposalsAsync(ProposalState.Active, TestContext.Current.CancellationToken);
        await Client.ListProposalsAsync(null, TestContext.Current.CancellationToken);

        var proposal = Assert.Single(active);
        Assert.Equal((ProposalState.Active, ProposalKind.ModelAllocation, "weighted", "Alpha"), (proposal.State, proposal.Kind, proposal.Type, proposal.Leading.Single()));
        Assert.Equal(["/api/proposals?state=active", "/api/proposals"], _handler.Requests.Select(r => r.RequestUri!.PathAndQuery));
    }

    [Fact]
    public async Task An_unknown_proposal_is_null_and_a_known_one_is_read_with_its_rounds()
    {
        var view = new ProposalView(InMemoryGovernanceClient.Summary(Id, "Rank", Protocol.Governance.VotingType.RankedChoice), "heurist.eth", "# Hi", "<h1>Hi</h1>", "",
            [new RunoffRound(1, [1m, null, 2m], 1)], null, null);
        _handler.Answer = request => request.RequestUri!.AbsolutePath == $"/api/proposals/{Id}"
            ? Json(HttpStatusCode.OK, JsonSerializer.Serialize(view, JsonSerializerOptions.Web))
            : Json(HttpStatusCode.NotFound, """{"title":"No such proposal."}""");

        Assert.Null(await Client.GetProposalAsync("0xdead", TestContext.Current.CancellationToken));
        var read = await Client.GetProposalAsync(Id, TestContext.Current.CancellationToken);

        Assert.Equal(("<h1>Hi</h1>", 1), (read!.BodyHtml, read.Rounds.Single().Eliminated));
        Assert.Equal([1m, null, 2m], read.Rounds.Single().Scores);
    }

    [Fact]
    public async Task Votes_power_and_the_space_are_read_from_their_routes()
    {
        _handler.Answer = request => request.RequestUri!.AbsolutePath switch
        {
            var path when path.EndsWith("/votes", StringComparison.Ordinal) =>
                Json(HttpStatusCode.OK, $$"""{"items":[{"id":"0x01","voter":"0xabc","choice":{"1":70,"2":30},"choiceText":"sdxl 70 %, flux 30 %","power":12.5,"reason":"","app":"snapshot","created":"2026-11-22T12:00:00+00:00"}],"total":41,"page":3,"pageSize":20}"""),
            var path when path.StartsWith("/api/governance/power/", StringComparison.Ordinal) =>
                Json(HttpStatusCode.OK, """{"address":"0xabc","block":4000,"heu":1,"esHeu":2,"stakedHeu":3,"stakedEsHeu":4,"total":10,"weights":{"heu":1,"esHeu":1,"stakedHeu":1,"stakedEsHeu":1}}"""),
            _ => Json(HttpStatusCode.OK, """{"id":"heurist.eth","proposalThreshold":1000,"maxBodyLength":14400,"latestBlock":4321,"weights":{"heu":1,"esHeu":1,"stakedHeu":1,"stakedEsHeu":1},"models":["sdxl"]}"""),
        };

        var votes = await Client.GetVotesAsync(Id, 3, 20, TestContext.Current.CancellationToken);
        var power = await Client.GetVotingPowerAsync("0xabc", 4000, TestContext.Current.CancellationToken);
        var space = await Client.GetSpaceAsync(TestContext.Current.CancellationToken);

        Assert.Equal((41, 3, JsonValueKind.Object, 12.5m), (votes.Total, votes.Page, votes.Items.Single().Choice.ValueKind, votes.Items.Single().Power));
        Assert.Equal((4000L, 10m, 4m), (power.Block, power.Total, power.StakedEsHeu));
        Assert.Equal(("heurist.eth", 4321L, "sdxl"), (space.Id, space.LatestBlock, space.Models.Single()));
        Assert.Equal(
            [$"/api/proposals/{Id}/votes?page=3&pageSize=20", "/api/governance/power/0xabc?block=4000", "/api/governance/space"],
            _handler.Requests.Select(r => r.RequestUri!.PathAndQuery));
    }

    [Fact]
    public async Task The_preview_posts_the_markdown_and_reads_the_html()
    {
        _handler.Answer = _ => Json(HttpStatusCode.OK, """{"html":"<p><strong>bold</strong></p>"}""");

        var html = await Client.PreviewBodyAsync("**bold**", TestContext.Current.CancellationToken);

        Assert.Equal("<p><strong>bold</strong></p>", html);
        var request = Assert.Single(_handler.Requests);
        Assert.Equal((HttpMethod.Post, "/api/governance/preview"), (request.Method, request.RequestUri!.AbsolutePath));
        Assert.Equal("""{"markdown":"**bold**"}""", _handler.Bodies.Single());
    }

    public void Dispose() => _handler.Dispose();

    private static HttpResponseMessage Json(HttpStatusCode status, string body)
        => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private sealed class StubHandler : HttpMessageHandler
    {
        public Func<HttpRequestMessage, HttpResponseMessage> Answer { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.NotFound);

        public List<HttpRequestMessage> Requests { get; } = [];

        public List<string> Bodies { get; } = [];

        public List<string?> ContentTypes { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            if (request.Content is { } content)
            {
                Bodies.Add(await content.ReadAsStringAsync(cancellationToken));
                ContentTypes.Add(content.Headers.ContentType?.MediaType);
            }
            return Answer(request);
        }
    }
}
