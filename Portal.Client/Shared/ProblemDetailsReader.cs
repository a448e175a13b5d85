using System.Text.Json;

namespace Heurist.Portal.Client.Shared;

/// <summary>Turns an error response of the portal's API into one sentence for the person using the page.</summary>
public static class ProblemDetailsReader
{
    /// <summary>"field: message" from a validation problem, else its title, else the status.</summary>
    public static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            if (problem.RootElement.TryGetProperty("errors", out var errors))
            {
                foreach (var field in errors.EnumerateObject())
                {
                    return $"{field.Name}: {field.Value[0].GetString()}";
                }
            }
            if (problem.RootElement.TryGetProperty("title", out var title) && title.GetString() is { Length: > 0 } text)
            {
                return text;
            }
        }
        catch (JsonException)
        {
        }
        return $"The portal answered {(int)response.StatusCode} {response.ReasonPhrase}.";
    }
}
