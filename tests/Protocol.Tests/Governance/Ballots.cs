using System.Text.Json;
using Heurist.Protocol.Governance;

namespace Heurist.Protocol.Tests.Governance;

/// <summary>Builds votes for the Governance tests.</summary>
internal static class Ballots
{
    /// <summary>Reads a choice from its JSON text; the test fails if it cannot be read.</summary>
    public static VoteChoice Choice(string json)
    {
        using var document = JsonDocument.Parse(json);
        return VoteChoice.TryParse(document.RootElement, out var choice, out var error)
            ? choice
            : throw new ArgumentException(error, nameof(json));
    }
}
