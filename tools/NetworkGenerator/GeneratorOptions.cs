using System.Globalization;

namespace Heurist.NetworkGenerator;

/// <summary>What to generate, and where.</summary>
public sealed record GeneratorOptions
{
    public const int MaxMiners = 1_000_000;

    public const long MaxJobs = 1_000_000_000;

    public const int MaxDays = 365;

    public required string ConnectionString { get; init; }

    public int Miners { get; init; } = 10_000;

    public long Jobs { get; init; } = 10_000_000;

    /// <summary>How far back the history goes from <see cref="Now"/>.</summary>
    public int Days { get; init; } = 30;

    public int Seed { get; init; } = 1;

    /// <summary>Lets the generator fill the database that run.sh's embedded cluster uses.</summary>
    public bool AllowDefaultDatabase { get; init; }

    /// <summary>
    /// The moment the history ends. Null: the wall clock when generation starts, and the active miners' heartbeats
    /// are carried forward to the end of the run, so they are still active when it finishes. With a fixed value the
    /// output depends only on the options.
    /// </summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>The command-line usage, for --help.</summary>
    public const string Usage =
        "usage: NetworkGenerator --connection \"<npgsql connection string>\" [--miners 10000] [--jobs 10000000] [--days 30] [--seed 1] [--now <ISO 8601 time>] [--allow-default-database]";

    /// <summary>Reads the command line. Throws <see cref="GeneratorArgumentException"/> naming the option at fault.</summary>
    public static GeneratorOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? connection = null;
        var (miners, jobs, days, seed) = (10_000, 10_000_000L, 30, 1);
        var allowDefault = false;
        DateTimeOffset? now = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            // "--name=value" and "--name value" are both accepted.
            string? inline = null;
            if (name.StartsWith("--", StringComparison.Ordinal) && name.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                (name, inline) = (name[..eq], name[(eq + 1)..]);
            }
            string Value()
            {
                if (inline is not null)
                {
                    return inline;
                }
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new GeneratorArgumentException(name, "needs a value");
                }
                return args[++i];
            }
            switch (name)
            {
                case "--connection":
                    connection = Value();
                    break;
                case "--miners":
                    miners = (int)Count(name, Value(), MaxMiners);
                    break;
                case "--jobs":
                    jobs = Count(name, Value(), MaxJobs);
                    break;
                case "--days":
                    days = (int)Count(name, Value(), MaxDays);
                    break;
                case "--seed":
                    var seedText = Value();
                    if (!int.TryParse(seedText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seed))
                    {
                        throw new GeneratorArgumentException(name, $"'{seedText}' is not a whole number");
                    }
                    break;
                case "--now":
                    var nowText = Value();
                    if (!DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    {
                        throw new GeneratorArgumentException(name, $"'{nowText}' is not a date and time (ISO 8601, e.g. 2026-11-20T12:00:00Z)");
                    }
                    now = parsed;
                    break;
                case "--allow-default-database":
                    if (inline is not null)
                    {
                        throw new GeneratorArgumentException(name, "takes no value");
                    }
                    allowDefault = true;
                    break;
                default:
                    throw new GeneratorArgumentException(name, $"is not an option; {Usage}");
            }
        }
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new GeneratorArgumentException("--connection", "is required: the PostgreSQL connection string of the database to fill");
        }
        return new GeneratorOptions
        {
            ConnectionString = connection,
            Miners = miners,
            Jobs = jobs,
            Days = days,
            Seed = seed,
            AllowDefaultDatabase = allowDefault,
            Now = now,
        };
    }

    /// <summary>Checks the ranges (for options built in code rather than parsed). Throws naming the option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new GeneratorArgumentException("--connection", "is required: the PostgreSQL connection string of the database to fill");
        }
        Check("--miners", Miners, MaxMiners);
        Check("--jobs", Jobs, MaxJobs);
        Check("--days", Days, MaxDays);

        static void Check(string name, long value, long max)
        {
            if (value < 1 || value > max)
            {
                throw new GeneratorArgumentException(name, $"must be between 1 and {max.ToString("N0", CultureInfo.InvariantCulture)}, not {value.ToString(CultureInfo.InvariantCulture)}");
            }
        }
    }

    private static long Count(string name, string text, long max)
    {
        // Underscores and commas as digit separators ("10_000_000") are common in shell history; accept them.
        var digits = text.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw new GeneratorArgumentException(name, $"'{text}' is not a whole number");
        }
        if (value < 1 || value > max)
        {
            throw new GeneratorArgumentException(name, $"must be between 1 and {max.ToString("N0", CultureInfo.InvariantCulture)}, not {text}");
        }
        return value;
    }
}

/// <summary>A command-line option is missing, unknown or out of range. The message starts with the option's name.</summary>
public sealed class GeneratorArgumentException(string option, string problem) : Exception($"{option} {problem}")
{
    public string Option { get; } = option;
}

/// <summary>The generator will not fill this database. The message starts with the setting that decides it.</summary>
public sealed class GeneratorRefusedException(string setting, string problem) : Exception($"{setting}: {problem}")
{
    public string Setting { get; } = setting;
}
