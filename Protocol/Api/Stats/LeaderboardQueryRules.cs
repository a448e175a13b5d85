using System.Globalization;

namespace Heurist.Protocol.Api.Stats;

/// <summary>The leaderboard's query string, read and written the same way by the API and the WebAssembly client.</summary>
public static class LeaderboardQueryRules
{
    /// <summary>The title of a refused leaderboard query.</summary>
    public const string InvalidTitle = "The leaderboard query is invalid.";

    /// <summary>What is wrong with the query, by query parameter name; empty when it is valid.</summary>
    public static FieldErrors Validate(LeaderboardQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new FieldErrors();
        if (query.Page < 1)
        {
            errors.Add("page", "page must be 1 or more.");
        }
        if (query.PageSize is < 1 or > LeaderboardQuery.MaxPageSize)
        {
            errors.Add("pageSize", $"pageSize must be between 1 and {LeaderboardQuery.MaxPageSize}.");
        }
        if (query.Search is { Length: > LeaderboardQuery.MaxSearchLength })
        {
            errors.Add("q", $"q must be at most {LeaderboardQuery.MaxSearchLength} characters.");
        }
        return errors;
    }

    /// <summary>The refusal of a sort key that is not one of <see cref="LeaderboardSort"/>'s names.</summary>
    public static FieldErrors UnknownSort() => new FieldErrors().Add(
        "sort", $"sort must be one of {string.Join(", ", Enum.GetValues<LeaderboardSort>().Select(SortName))}.");

    /// <summary>Throws <see cref="ApiException"/> with the field errors when the query is out of range.</summary>
    public static void EnsureValid(LeaderboardQuery query)
    {
        if (Validate(query) is { IsValid: false } errors)
        {
            throw ApiException.Invalid(InvalidTitle, errors);
        }
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
        if (!string.IsNullOrEmpty(query.Search))
        {
            parts.Add($"q={Uri.EscapeDataString(query.Search)}");
        }
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"page={query.Page}"));
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"pageSize={query.PageSize}"));
        return "api/leaderboard?" + string.Join('&', parts);
    }
}
