using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace Heurist.Portal.Server.Tests.Infrastructure;

/// <summary>
/// Found by issue 16's probe: HEAD answered 404 where GET works, and some API errors had empty bodies (an unknown
/// route, a route value of the wrong type, 405, 415). HEAD now answers as GET without a body, and every API error is
/// problem details.
/// </summary>
public sealed class HttpConventionsTests(PortalApp portal) : IClassFixture<PortalApp>
{
    [Theory]
    [InlineData("/api/stats")]
    [InlineData("/api/models")]
    [InlineData("/")]
    public async Task Head_answers_where_get_does_with_its_headers_and_no_body(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = portal.CreateClient();
        using var get = await client.GetAsync(path, ct);
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), ct);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(ct));
    }

    [Theory]
    [InlineData("GET", "/api/no-such-thing", HttpStatusCode.NotFound, "Not found.", "GET /api/no-such-thing")]
    [InlineData("GET", "/api/jobs/not-a-guid", HttpStatusCode.NotFound, "Not found.", "an id must be a GUID")]
    [InlineData("DELETE", "/api/stats", HttpStatusCode.MethodNotAllowed, "Method not allowed.", "this route takes GET")]
    public async Task Api_errors_the_framework_answers_without_a_body_get_problem_details(string method, string path, HttpStatusCode status, string title, string detail)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await portal.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path), ct);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(ct);
        Assert.Equal((int)status, problem!.Status);
        Assert.Equal(title, problem.Title);
        Assert.Contains(detail, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_problem_details_too()
    {
        var ct = TestContext.Current.CancellationToken;
        using var content = new StringContent("prompt=a fox", Encoding.UTF8, "text/plain");
        using var response = await portal.CreateClient().PostAsync("/api/jobs", content, ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(ct);
        Assert.Equal(415, problem!.Status);
        Assert.False(string.IsNullOrEmpty(problem.Title));
    }

    [Fact]
    public async Task An_unknown_page_still_gets_the_not_found_page_not_problem_details()
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await portal.CreateClient().GetAsync("/no-such-page", ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
