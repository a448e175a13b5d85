using System.Text.RegularExpressions;

namespace Heurist.Protocol.Api.Studio;

/// <summary>
/// Who is creating, until wallets sign in: a random id the browser keeps, sent with every Studio request in the
/// <see cref="Header"/> header.
/// </summary>
public static partial class CreatorIds
{
    /// <summary>The request header that carries the creator id.</summary>
    public const string Header = "X-Creator-Id";

    /// <summary>The field name a refused creator id is reported under.</summary>
    public const string Field = "creatorId";

    /// <summary>8 to 64 ASCII letters, digits, '-' or '_': safe in URLs, logs and the database.</summary>
    public static bool IsValid(string? creatorId) => creatorId is not null && Pattern().IsMatch(creatorId);

    /// <summary>The refusal of an invalid creator id, by <see cref="Field"/>; empty when it is valid.</summary>
    public static FieldErrors Validate(string? creatorId) => IsValid(creatorId)
        ? new FieldErrors()
        : new FieldErrors().Add(Field, $"{Field} (the {Header} header) must be 8 to 64 letters, digits, '-' or '_'.");

    [GeneratedRegex("^[A-Za-z0-9_-]{8,64}$")]
    private static partial Regex Pattern();
}
