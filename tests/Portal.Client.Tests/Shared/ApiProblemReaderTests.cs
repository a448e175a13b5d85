using System.Net;
using System.Text;
using Heurist.Portal.Client.Shared;

namespace Heurist.Portal.Client.Tests.Shared;

public sealed class ApiProblemReaderTests
{
    [Fact]
    public async Task A_validation_problem_gives_its_status_title_and_every_message_of_every_field()
    {
        using var response = Answer(HttpStatusCode.BadRequest, """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"The image job is invalid.","status":400,
             "errors":{"prompt":["prompt is required."],"width":["width must be a multiple of 8 (got 770).","width must be at most 2048 (got 4096)."],"steps":["steps must be between 1 and 50 (got 60)."]}}
            """, "application/problem+json");

        var problem = await ApiProblemReader.ReadAsync(response, TestContext.Current.CancellationToken);

        Assert.Equal(400, problem.Status);
        Assert.Equal("The image job is invalid.", problem.Title);
        Assert.Equal(["prompt", "width", "steps"], problem.Errors.Keys);
        Assert.Equal(["width must be a multiple of 8 (got 770).", "width must be at most 2048 (got 4096)."], problem.Errors["width"]);
    }

    [Fact]
    public async Task A_body_asp_net_could_not_bind_is_reported_under_body()
    {
        using var response = Answer(HttpStatusCode.BadRequest, """{"title":"The request could not be read.","errors":{"":["The JSON value could not be converted."]}}""");

        var problem = await ApiProblemReader.ReadAsync(response, TestContext.Current.CancellationToken);

        Assert.Equal(["The JSON value could not be converted."], problem.Errors["body"]);
    }

    [Fact]
    public async Task A_problem_without_field_errors_keeps_its_title()
    {
        using var response = Answer(HttpStatusCode.NotFound, """{"title":"There is no image job 7.","status":404}""");

        var problem = await ApiProblemReader.ReadAsync(response, TestContext.Current.CancellationToken);

        Assert.Equal((404, "There is no image job 7."), (problem.Status, problem.Title));
        Assert.True(problem.Errors.IsValid);
        Assert.Equal("There is no image job 7.", problem.Message);
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("")]
    [InlineData("[1, 2]")]
    [InlineData("""{"errors":{"prompt":"not an array"},"title":""}""")]
    public async Task An_answer_that_is_not_a_problem_says_what_the_portal_answered(string body)
    {
        using var response = Answer(HttpStatusCode.BadGateway, body);

        var problem = await ApiProblemReader.ReadAsync(response, TestContext.Current.CancellationToken);

        Assert.Equal(502, problem.Status);
        Assert.Equal("The portal answered 502 Bad Gateway.", problem.Title);
        Assert.True(problem.Errors.IsValid);
    }

    [Fact]
    public async Task A_success_passes_and_a_refusal_throws_its_problem()
    {
        using var ok = Answer(HttpStatusCode.OK, "{}");
        using var refused = Answer(HttpStatusCode.Conflict, """{"title":"The image is already minted."}""");

        await ApiProblemReader.EnsureSuccessAsync(ok, TestContext.Current.CancellationToken);
        var problem = await Assert.ThrowsAsync<Heurist.Protocol.Api.ApiException>(() => ApiProblemReader.EnsureSuccessAsync(refused, TestContext.Current.CancellationToken));

        Assert.Equal((409, "The image is already minted."), (problem.Status, problem.Title));
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, string mediaType = "application/json")
        => new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
}
