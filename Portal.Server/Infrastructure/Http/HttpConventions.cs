using Microsoft.AspNetCore.Http.Features;

namespace Heurist.Portal.Server.Infrastructure.Http;

/// <summary>
/// Two things every HTTP client may rely on that the framework leaves out: HEAD answered wherever GET is (with GET's
/// headers and no body), and an API error that always has a problem-details body, including those the framework
/// answers with an empty one (an unknown route, a route value that does not match, 405, 413, 415).
/// </summary>
public static class HttpConventions
{
    /// <summary>HEAD runs as GET, with the body thrown away; must come before routing.</summary>
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app)
        => app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await next(context);
                return;
            }
            context.Request.Method = HttpMethods.Get;
            var body = context.Features.Get<IHttpResponseBodyFeature>()!;
            context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(Stream.Null, body));
            try
            {
                await next(context);
            }
            finally
            {
                context.Features.Set(body);
                context.Request.Method = HttpMethods.Head;
            }
        });

    /// <summary>Fills an API error that has no body with problem details naming what was wrong; outermost.</summary>
    public static IApplicationBuilder UseApiProblemBodies(this IApplicationBuilder app)
        => app.Use(async (context, next) =>
        {
            await next(context);
            var response = context.Response;
            if (response.StatusCode < 400 || response.HasStarted || !context.Request.Path.StartsWithSegments("/api")
                || response.ContentLength > 0 || !string.IsNullOrEmpty(response.ContentType))
            {
                return;
            }
            var (title, detail) = Describe(context);
            var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = response.StatusCode, Title = title, Detail = detail },
            });
        });

    private static (string Title, string Detail) Describe(HttpContext context)
    {
        var request = context.Request;
        var what = $"{request.Method} {request.Path}";
        return context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ("Not found.", $"No API answers {what}: the route does not exist or a value in it is not of its type (an id must be a GUID, a number a number)."),
            StatusCodes.Status405MethodNotAllowed => ("Method not allowed.", $"{what} is not allowed; this route takes {context.Response.Headers.Allow}."),
            StatusCodes.Status413PayloadTooLarge => ("The request body is too large.", $"The body of {what} is over the limit this route takes."),
            StatusCodes.Status415UnsupportedMediaType => ("Unsupported media type.", $"{what} takes a JSON body: send Content-Type: application/json."),
            StatusCodes.Status401Unauthorized => ("Sign in first.", $"{what} needs a signed-in wallet."),
            StatusCodes.Status403Forbidden => ("Forbidden.", $"{what} is not allowed for this account."),
            var status => (ReasonPhrase(status), $"{what} failed with status {status}."),
        };
    }

    private static string ReasonPhrase(int status)
        => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase + "." : "The request failed.";
}
