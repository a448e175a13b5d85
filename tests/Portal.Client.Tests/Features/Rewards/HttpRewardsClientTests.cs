using System.Net;
using System.Text;
using Heurist.Portal.Client.Features.Rewards;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Rewards;

namespace Heurist.Portal.Client.Tests.Features.Rewards;

public sealed class HttpRewardsClientTests : IDisposable
{
    private const string Address = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";

    private readonly StubHandler _handler = new();

    private HttpRewardsClient Client => new(new HttpClient(_handler, disposeHandler: false) { BaseAddress = new Uri("https://portal.example/") });

    [Fact]
    public async Task An_account_is_read_from_api_rewards_accounts()
    {
        _handler.Answer = _ => Json(HttpStatusCode.OK, $$"""
            {"account":"{{Address}}","claimableHeu":"30000000000000000000","claimableEsHeu":"0","claimableHeuTokens":"30","claimableEsHeuTokens":"0",
             "epochs":[{"epoch":7,"status":"Posted","heu":"30000000000000000000","esHeu":"0","heuTokens":"30","esHeuTokens":"0",
                        "proof":["0x1111111111111111111111111111111111111111111111111111111111111111"],"claimed":false,"claimTransactionHash":null}]}
            """);

        var account = await Client.GetAccountAsync(Address, TestContext.Current.CancellationToken);

        var leaf = Assert.Single(account.Epochs);
        Assert.Equal((7L, RewardEpochStatus.Posted, "30000000000000000000", false), (leaf.Epoch, leaf.Status, leaf.Heu, leaf.Claimed));
        Assert.Equal("30", account.ClaimableHeuTokens);
        var request = Assert.Single(_handler.Requests);
        Assert.Equal((HttpMethod.Get, $"https://portal.example/api/rewards/accounts/{Address}"), (request.Method, request.RequestUri!.ToString()));
    }

    [Fact]
    public async Task A_refused_address_is_an_ApiException_naming_the_field()
    {
        _handler.Answer = _ => Json(HttpStatusCode.BadRequest, """
            {"title":"The address is invalid.","status":400,"errors":{"address":["address must be 0x and 40 hex digits."]}}
            """);

        var problem = await Assert.ThrowsAsync<ApiException>(() => Client.GetAccountAsync("0x12", TestContext.Current.CancellationToken));

        Assert.Equal((400, "The address is invalid."), (problem.Status, problem.Title));
        Assert.Equal(["address must be 0x and 40 hex digits."], problem.Errors["address"]);
    }

    [Fact]
    public async Task The_epochs_are_read_with_their_limit_and_one_epoch_with_its_tree()
    {
        _handler.Answer = request => request.RequestUri!.AbsolutePath == "/api/rewards/epochs"
            ? Json(HttpStatusCode.OK, $"[{Summary}]")
            : Json(HttpStatusCode.OK, $$"""{"epoch":{{Summary}},"tree":{{Tree}}}""");

        var epochs = await Client.GetEpochsAsync(5, TestContext.Current.CancellationToken);
        var tree = await Client.GetEpochAsync(7, TestContext.Current.CancellationToken);

        Assert.Equal((7L, RewardEpochStatus.Posted), (Assert.Single(epochs).Epoch, epochs[0].Status));
        Assert.Equal(["7", Address, "30", "0"], Assert.Single(tree!.Tree!.Values).Value);
        Assert.Equal(["https://portal.example/api/rewards/epochs?limit=5", "https://portal.example/api/rewards/epochs/7"],
            _handler.Requests.Select(r => r.RequestUri!.ToString()));
    }

    [Fact]
    public async Task An_epoch_that_is_not_settled_is_null()
    {
        _handler.Answer = _ => Json(HttpStatusCode.NotFound, """{"title":"Epoch 9 is not settled."}""");

        Assert.Null(await Client.GetEpochAsync(9, TestContext.Current.CancellationToken));
    }

    private const string Summary = """
        {"epoch":7,"status":"Posted","startsAt":"2026-11-22T10:00:00+00:00","endsAt":"2026-11-22T11:00:00+00:00","root":"0xroot",
         "heuTotal":"30","esHeuTotal":"0","budget":"100","unallocated":"70","leafCount":1,"postTransactionHash":"0xpost",
         "computedAt":"2026-11-22T11:00:05+00:00","postedAt":"2026-11-22T11:00:09+00:00","lastError":null}
        """;

    private const string Tree = $$"""
        {"format":"standard-v1","leafEncoding":["uint256","address","uint256","uint256"],"tree":["0xroot"],
         "values":[{"value":["7","{{Address}}","30","0"],"treeIndex":0}]}
        """;

    public void Dispose() => _handler.Dispose();

    private static HttpResponseMessage Json(HttpStatusCode status, string body)
        => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

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
