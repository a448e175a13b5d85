using System.Globalization;

namespace Heurist.Portal.Client.Features.Stats;

/// <summary>The leaderboard's query string, read and written the same way by the API and the WebAssembly client.</summary>
public static class LeaderboardQueryRules
{
    /// <summary>Errors by query parameter name; empty when the query is valid.</summary>
    public static Dictionary<string, string[]> Validate(LeaderboardQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new Dictionary<string, string[]>();
        if (query.Page < 1)
        {
            errors["page"] = ["page must be 1 or more."];
        }
        if (query.PageSize is < 1 or > LeaderboardQuery.MaxPageSize)
        {
            errors["pageSize"] = [$"pageSize must be between 1 and {LeaderboardQuery.MaxPageSize}."];
        }
        return errors;
    }

    /// <summary>The sort key's name in the query string: its enum name in camel case ("points24h").</summary>
    public static string SortName(LeaderboardSort sort)
    {
        var name = sort.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }

    public static bool TryParseSort(string? value, out LeaderboardSort sort)
    {
        sort = LeaderboardSort.Points;
        return string.IsNullOrEmpty(value)
            || (Enum.TryParse(value, ignoreCase: true, out sort) && Enum.IsDefined(sort) && !char.IsDigit(value[0]));
    }

    /// <summary>The relative URL of the query's page of the leaderboard API.</summary>
    public static string ToApiPath(LeaderboardQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<string>
        {
            $"sort={SortName(query.Sort)}",
            $"desc={(query.Descending ? "true" : "false")}",
        };
        if (!string.IsNullOrEmpty(query.Gpu))
        {
            parts.Add($"gpu={Uri.EscapeDataString(query.Gpu)}");
        }
        if (!string.IsNullOrEmpty(query.Model))
        {
            parts.Add($"model={Uri.EscapeDataString(query.Model)}");
        }
        if (query.Active is { } active)
        {
            parts.Add($"active={(active ? "true" : "false")}");
        }
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"page={query.Page}"));
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"pageSize={query.PageSize}"));
        return "api/leaderboard?" + string.Join('&', parts);
    }
}
