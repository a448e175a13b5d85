using System.Text.Json;
using Heurist.Protocol.Api;

namespace Heurist.Portal.Client.Shared;

/// <summary>Reads an error answer of the portal's API into the <see cref="ApiException"/> it stands for.</summary>
public static class ApiProblemReader
{
    /// <summary>
    /// The problem's status, title and every field error. An answer that is not problem-details JSON (a proxy's
    /// error page, an empty body) keeps its status, with a title that says what the portal answered.
    /// </summary>
    public static async Task<ApiException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        var fallbackTitle = $"The portal answered {status} {response.ReasonPhrase}.";
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (problem.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new ApiException(status, fallbackTitle);
            }
            var errors = new FieldErrors();
            if (problem.RootElement.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in fields.EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.Array))
                {
                    foreach (var message in field.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString() : null))
                    {
                        if (message is { Length: > 0 })
                        {
                            // ASP.NET reports a body it could not bind under an empty name.
                            errors.Add(field.Name.Length == 0 ? "body" : field.Name, message);
                        }
                    }
                }
            }
            var title = problem.RootElement.TryGetProperty("title", out var text) && text.ValueKind == JsonValueKind.String && text.GetString() is { Length: > 0 } t
                ? t
                : fallbackTitle;
            return new ApiException(status, title, errors);
        }
        catch (JsonException)
        {
            return new ApiException(status, fallbackTitle);
        }
    }

    /// <summary>Throws the answer's <see cref="ApiException"/> unless it is a success.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.IsSuccessStatusCode)
        {
            throw await ReadAsync(response, cancellationToken);
        }
    }
}
