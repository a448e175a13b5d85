using System.Globalization;

namespace Heurist.Bench.Portal;

/// <summary>"--name value" pairs, with the names checked against those a verb accepts.</summary>
internal static class Arguments
{
    public static Dictionary<string, string> Read(IReadOnlyList<string> args, IReadOnlyCollection<string> known)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!known.Contains(args[i]))
            {
                throw new ArgumentException($"{args[i]}: not an option here (options: {string.Join(", ", known)})");
            }
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"{args[i]}: needs a value");
            }
            values[args[i]] = args[++i];
        }
        return values;
    }

    public static int Positive(IReadOnlyDictionary<string, string> values, string name, int fallback)
    {
        if (!values.TryGetValue(name, out var text))
        {
            return fallback;
        }
        return int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"{name}: '{text}' is not a whole number above zero");
    }
}
