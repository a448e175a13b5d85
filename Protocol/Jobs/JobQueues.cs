using System.Text.RegularExpressions;

namespace Heurist.Protocol.Jobs;

/// <summary>Names of the job queues. Every worker serves <see cref="Default"/>; each model gets a queue of its own.</summary>
public static partial class JobQueues
{
    /// <summary>The queue every worker serves: network probes and other model-independent work.</summary>
    public const string Default = "default";

    /// <summary>The portal's own queue: epoch settlement, run by a server inside the portal. Workers never serve it.</summary>
    public const string Settlement = "settlement";

    /// <summary>
    /// Returns null when <paramref name="queue"/> is a valid queue name, otherwise a sentence saying what is wrong.
    /// The job engine accepts only lowercase letters, digits, '_' and '-'.
    /// </summary>
    public static string? Validate(string? queue)
    {
        if (string.IsNullOrWhiteSpace(queue))
        {
            return "must not be empty";
        }
        return QueuePattern().IsMatch(queue)
            ? null
            : $"'{queue}' may contain only lowercase letters, digits, '_' and '-'";
    }

    [GeneratedRegex("^[a-z0-9_-]{1,100}$")]
    private static partial Regex QueuePattern();
}
