namespace Heurist.Protocol.Api;

/// <summary>
/// The portal's API said no: a refused request (400 with the field errors, 404, 409…) or a server error, with the
/// problem's status, its title and every field error. The HTTP clients throw it from a problem-details answer;
/// the server's own implementations of the API interfaces throw it with what the API would have answered, so
/// components handle one type in every render mode. Not reaching the portal at all is an <see cref="HttpRequestException"/>.
/// </summary>
public sealed class ApiException : Exception
{
    public ApiException(int status, string title, FieldErrors? errors = null)
        : base(Describe(title, errors))
    {
        ArgumentException.ThrowIfNullOrEmpty(title);
        Status = status;
        Title = title;
        Errors = errors ?? new FieldErrors();
    }

    /// <summary>The HTTP status the API answered (or would have answered).</summary>
    public int Status { get; }

    /// <summary>The problem's title: one sentence for a person, e.g. "The image job is invalid.".</summary>
    public string Title { get; }

    /// <summary>What was wrong, by field; empty when the problem is not about fields.</summary>
    public FieldErrors Errors { get; }

    /// <summary>A refused input: status 400 with its field errors.</summary>
    public static ApiException Invalid(string title, FieldErrors errors) => new(400, title, errors);

    private static string Describe(string title, FieldErrors? errors)
        => errors is null || errors.IsValid ? title : $"{title} {errors}";
}
