using System.Net;
using System.Text;
using System.Text.Json;
using Heurist.Portal.Client.Features.Minting;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Minting;
using Heurist.Protocol.Api.Provenance;
using Heurist.Portal.Client.Features.Provenance;

namespace Heurist.Portal.Client.Tests.Features.Minting;

/// <summary>The WebAssembly minting, NFT and provenance clients: the routes they call, and how they read the portal's answers.</summary>
public sealed class HttpMintingClientsTests : IDisposable
{
    private const string Sha256 = "9c2d5f0e3b1a4c6d8e7f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d";

    private readonly StubHandler _handler = new();

    private HttpClient Http => new(_handler, disposeHandler: false) { BaseAddress = new Uri("https://portal.example/") };

    [Fact]
    public async Task Preparing_posts_to_the_images_prepare_route()
    {
        var preparation = InMemoryMintingClient.Preparation(Sha256);
        _handler.Answer = _ => Json(HttpStatusCode.OK, JsonSerializer.Serialize(preparation, JsonSerializerOptions.Web));

        var prepared = await new HttpMintingClient(Http).PrepareAsync(Sha256, TestContext.Current.CancellationToken);

        Assert.Equal(preparation.PreparationId, prepared.PreparationId);
        Assert.Equal(preparation.TypedData, prepared.TypedData);
        var request = Assert.Single(_handler.Requests);
        Assert.Equal((HttpMethod.Post, $"https://portal.example/api/mint/{Sha256}/prepare"), (request.Method, request.RequestUri!.ToString()));
    }

    [Fact]
    public async Task A_refusal_is_an_api_exception_with_the_problems_status_and_title()
    {
        _handler.Answer = _ => Json(HttpStatusCode.TooManyRequests, """{"title":"This wallet's daily mints are spent; they reset at 00:00 UTC.","status":429}""");

        var problem = await Assert.ThrowsAsync<ApiException>(() => new HttpMintingClient(Http).PrepareAsync(Sha256, TestContext.Current.CancellationToken));

        Assert.Equal((429, "This wallet's daily mints are spent; they reset at 00:00 UTC."), (problem.Status, problem.Title));
    }

    [Fact]
    public async Task Submitting_posts_the_signature_and_reads_a_reissue()
    {
        var reissued = InMemoryMintingClient.Preparation(Sha256);
        _handler.Answer = _ => Json(HttpStatusCode.OK, JsonSerializer.Serialize(new MintSubmitted(null, reissued), JsonSerializerOptions.Web));
        var id = Guid.NewGuid();

        var submitted = await new HttpMintingClient(Http).SubmitAsync(new MintSubmission(id, "0xfeed"), TestContext.Current.CancellationToken);

        Assert.Equal(reissued.PreparationId, submitted.Reissued!.PreparationId);
        var request = Assert.Single(_handler.Requests);
        Assert.Equal("https://portal.example/api/mint/submit", request.RequestUri!.ToString());
        using var body = JsonDocument.Parse(_handler.Bodies.Single());
        Assert.Equal(id, body.RootElement.GetProperty("preparationId").GetGuid());
        Assert.Equal("0xfeed", body.RootElement.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task The_status_reads_its_state_by_name_and_an_unknown_operation_is_null()
    {
        _handler.Answer = request => request.RequestUri!.AbsolutePath.EndsWith("0xabc", StringComparison.Ordinal)
            ? Json(HttpStatusCode.OK, $$"""{"imageSha256":"{{Sha256}}","tokenId":"1","state":"Included","userOpHash":"0xabc","transactionHash":"0xdef","reason":null}""")
            : Json(HttpStatusCode.NotFound, """{"title":"No such operation."}""");
        var client = new HttpMintingClient(Http);

        var status = await client.GetStatusAsync("0xabc", TestContext.Current.CancellationToken);

        Assert.Equal((MintState.Included, "0xdef"), (status!.State, status.TransactionHash));
        Assert.Equal("/api/mint/operations/0xabc", _handler.Requests[0].RequestUri!.AbsolutePath);
        Assert.Null(await client.GetStatusAsync("0x999", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_unknown_nft_is_null_and_a_gallery_is_read_by_address()
    {
        _handler.Answer = request => request.RequestUri!.AbsolutePath.StartsWith("/api/galleries/", StringComparison.Ordinal)
            ? Json(HttpStatusCode.OK, """{"address":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","isOwner":true,"minted":[],"unminted":[]}""")
            : Json(HttpStatusCode.NotFound, """{"title":"No such token."}""");
        var client = new HttpNftClient(Http);

        Assert.Null(await client.GetAsync("12345", TestContext.Current.CancellationToken));
        var gallery = await client.GetGalleryAsync("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", TestContext.Current.CancellationToken);

        Assert.True(gallery.IsOwner);
        Assert.Equal(["/api/nft/12345", "/api/galleries/0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"], _handler.Requests.Select(r => r.RequestUri!.AbsolutePath));
    }

    [Fact]
    public async Task The_paymaster_refusing_a_visitor_is_a_403()
    {
        _handler.Answer = _ => Json(HttpStatusCode.Forbidden, """{"title":"Operators only."}""");

        var problem = await Assert.ThrowsAsync<ApiException>(() => new HttpNftClient(Http).GetPaymasterStatusAsync(TestContext.Current.CancellationToken));

        Assert.Equal(403, problem.Status);
        Assert.Equal("/api/operators/paymaster", Assert.Single(_handler.Requests).RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task Verify_posts_to_the_images_verify_route_and_reads_the_state_by_name()
    {
        var id = Guid.NewGuid();
        _handler.Answer = _ => Json(HttpStatusCode.Accepted,
            $$"""{"id":"{{id}}","imageSha256":"{{Sha256}}","state":"Queued","expectedSha256":"{{Sha256}}","actualSha256":null,"differences":[],"reason":null,"createdAt":"2026-11-22T12:00:00+00:00","finishedAt":null}""");

        var view = await new HttpProvenanceClient(Http).RequestVerificationAsync(Sha256, TestContext.Current.CancellationToken);

        Assert.Equal((id, VerificationState.Queued, false), (view.Id, view.State, view.IsFinished));
        var request = Assert.Single(_handler.Requests);
        Assert.Equal((HttpMethod.Post, $"/api/images/{Sha256}/verify"), (request.Method, request.RequestUri!.AbsolutePath));
    }

    [Fact]
    public async Task A_verification_is_read_by_id_an_unknown_one_is_null_and_an_images_are_listed()
    {
        var id = Guid.NewGuid();
        _handler.Answer = request => request.RequestUri!.AbsolutePath switch
        {
            var path when path == $"/api/verifications/{id}" => Json(HttpStatusCode.OK,
                $$"""{"id":"{{id}}","imageSha256":"{{Sha256}}","state":"Different","expectedSha256":"{{Sha256}}","actualSha256":"00ff","differences":["threads: 2 → 16"],"reason":null,"createdAt":"2026-11-22T12:00:00+00:00","finishedAt":"2026-11-22T12:00:04+00:00"}"""),
            var path when path == $"/api/images/{Sha256}/verifications" => Json(HttpStatusCode.OK, "[]"),
            _ => Json(HttpStatusCode.NotFound, """{"title":"There is no verification."}"""),
        };
        var client = new HttpProvenanceClient(Http);

        var view = await client.GetVerificationAsync(id, TestContext.Current.CancellationToken);

        Assert.Equal((VerificationState.Different, "00ff", "threads: 2 → 16"), (view!.State, view.ActualSha256, Assert.Single(view.Differences)));
        Assert.Null(await client.GetVerificationAsync(Guid.NewGuid(), TestContext.Current.CancellationToken));
        Assert.Empty(await client.ListVerificationsAsync(Sha256, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_verify_refused_for_an_image_without_provenance_is_a_409_with_its_title()
    {
        _handler.Answer = _ => Json(HttpStatusCode.Conflict, """{"title":"This image was made before provenance was recorded.","status":409}""");

        var problem = await Assert.ThrowsAsync<ApiException>(() => new HttpProvenanceClient(Http).RequestVerificationAsync(Sha256, TestContext.Current.CancellationToken));

        Assert.Equal((409, "This image was made before provenance was recorded."), (problem.Status, problem.Title));
    }

    public void Dispose() => _handler.Dispose();

    private static HttpResponseMessage Json(HttpStatusCode status, string body)
        => new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private sealed class StubHandler : HttpMessageHandler
    {
        public Func<HttpRequestMessage, HttpResponseMessage> Answer { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.NotFound);

        public List<HttpRequestMessage> Requests { get; } = [];

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            if (request.Content is { } content)
            {
                Bodies.Add(await content.ReadAsStringAsync(cancellationToken));
            }
            return Answer(request);
        }
    }
}
