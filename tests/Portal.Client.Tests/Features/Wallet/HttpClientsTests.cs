using System.Net;
using System.Text;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Auth;

namespace Heurist.Portal.Client.Tests.Features.Wallet;

public sealed class HttpClientsTests : IDisposable
{
    private readonly StubHandler _handler = new();

    private HttpClient Http => new(_handler, disposeHandler: false) { BaseAddress = new Uri("https://portal.example/") };

    [Fact]
    public async Task The_session_is_read_from_api_auth_me()
    {
        _handler.Answer = _ => Json(HttpStatusCode.OK, """{"address":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"}""");

        var session = await new HttpAuthClient(Http).GetSessionAsync(TestContext.Current.CancellationToken);

        Assert.Equal("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", session!.Address);
        var request = Assert.Single(_handler.Requests);
        Assert.Equal((HttpMethod.Get, "https://portal.example/api/auth/me"), (request.Method, request.RequestUri!.ToString()));
    }

    [Fact]
    public async Task A_401_is_nobody_signed_in()
    {
        _handler.Answer = _ => Json(HttpStatusCode.Unauthorized, """{"title":"Not signed in."}""");

        Assert.Null(await new HttpAuthClient(Http).GetSessionAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Another_failure_is_the_portals_problem()
    {
        _handler.Answer = _ => Json(HttpStatusCode.InternalServerError, """{"title":"The session store is down."}""");

        var problem = await Assert.ThrowsAsync<ApiException>(() => new HttpAuthClient(Http).GetSessionAsync(TestContext.Current.CancellationToken));

        Assert.Equal((500, "The session store is down."), (problem.Status, problem.Title));
    }

    [Fact]
    public async Task Confirming_a_sign_in_asks_the_portal_who_the_new_cookie_belongs_to()
    {
        _handler.Answer = _ => Json(HttpStatusCode.OK, """{"address":"0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"}""");

        var session = await new HttpAuthClient(Http).ConfirmSignInAsync(new SignInRequest("message", "0xsig"), TestContext.Current.CancellationToken);

        Assert.Equal("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", session!.Address);
        Assert.Equal("/api/auth/me", Assert.Single(_handler.Requests).RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task The_chain_is_read_once_per_scope()
    {
        _handler.Answer = _ => Json(HttpStatusCode.OK, """
            {"chainId":31337,"chainName":"Anvil","rpcUrl":"http://127.0.0.1:8545","nativeCurrencySymbol":"ETH","chainIdHex":"0x7a69",
             "contracts":{"heuristToken":"0x5FbDB2315678afecb367f032d93F642f64180aa3","escrowedHeurist":"0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
              "minerStaking":"0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0","rewardsDistributor":"0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
              "imaginariesNft":"0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9","heuristPaymaster":"0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
              "entryPoint":"0x0165878A594ca255338adfa4d48449f69242Eb8F","simpleAccountFactory":"0xa513E6E4b8f2a923D98304ec87F64353C4D5C853"}}
            """);
        var client = new HttpChainClient(Http);

        var first = await client.GetChainAsync(TestContext.Current.CancellationToken);
        var second = await client.GetChainAsync(TestContext.Current.CancellationToken);

        Assert.Equal(InMemoryChainClient.Anvil.ChainId, first.ChainId);
        Assert.Equal(InMemoryChainClient.Anvil.Contracts, first.Contracts);
        Assert.Equal("0x7a69", first.ChainIdHex);
        Assert.Same(first, second);
        Assert.Equal("https://portal.example/api/chain", Assert.Single(_handler.Requests).RequestUri!.ToString());
    }

    [Fact]
    public async Task A_failed_chain_read_is_asked_again()
    {
        _handler.Answer = _ => Json(HttpStatusCode.ServiceUnavailable, """{"title":"No deployment manifest yet."}""");
        var client = new HttpChainClient(Http);
        await Assert.ThrowsAsync<ApiException>(() => client.GetChainAsync(TestContext.Current.CancellationToken));

        _handler.Answer = _ => Json(HttpStatusCode.OK, """
            {"chainId":1,"chainName":"Mainnet","rpcUrl":"https://rpc.example","nativeCurrencySymbol":"ETH",
             "contracts":{"heuristToken":"a","escrowedHeurist":"b","minerStaking":"c","rewardsDistributor":"d","imaginariesNft":"e","heuristPaymaster":"f","entryPoint":"g","simpleAccountFactory":"h"}}
            """);

        Assert.Equal(1UL, (await client.GetChainAsync(TestContext.Current.CancellationToken)).ChainId);
        Assert.Equal(2, _handler.Requests.Count);
    }

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
