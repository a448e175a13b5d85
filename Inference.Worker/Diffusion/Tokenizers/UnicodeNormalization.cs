using System.Globalization;
using System.Text;

namespace Heurist.Inference.Worker.Diffusion.Tokenizers;

/// <summary>
/// Unicode normalization forms C and KC (UAX #15): decompose, put combining marks in canonical order, compose.
/// </summary>
/// <remarks>
/// Ours because the worker runs with invariant globalization, where string.Normalize leaves non-ASCII text unchanged
/// (and so does Microsoft.ML.Tokenizers, which calls it); the tables are generated into UnicodeNormalization.Tables.cs.
/// </remarks>
internal static partial class UnicodeNormalization
{
    private const int HangulBase = 0xAC00, LeadBase = 0x1100, VowelBase = 0x1161, TrailBase = 0x11A7;
    private const int LeadCount = 19, VowelCount = 21, TrailCount = 28, HangulCount = LeadCount * VowelCount * TrailCount;

    private static readonly Dictionary<int, int[]> Canonical = ParseDecompositions(CanonicalDecompositions);
    private static readonly Dictionary<int, int[]> Compatibility = ParseDecompositions(CompatibilityDecompositions);
    private static readonly Dictionary<int, byte> Classes = ParseClasses();
    private static readonly Dictionary<(int, int), int> Composites = ParseCompositions();

    /// <summary>Canonical decomposition followed by canonical composition.</summary>
    public static string Nfc(string text) => Normalize(text, compatibility: false);

    /// <summary>Compatibility decomposition followed by canonical composition.</summary>
    public static string Nfkc(string text) => Normalize(text, compatibility: true);

    private static string Normalize(string text, bool compatibility)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Below U+00A0 nothing decomposes, and nothing below U+0300 composes with what follows it.
        var unchangedBelow = compatibility ? 0xA0 : 0x300;
        if (!text.AsSpan().ContainsAnyExceptInRange('\0', (char)(unchangedBelow - 1)))
        {
            return text;
        }
        var runes = new List<int>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            Decompose(rune.Value, compatibility, runes);
        }
        SortMarks(runes);
        Compose(runes);
        var builder = new StringBuilder(runes.Count);
        foreach (var value in runes)
        {
            builder.Append(new Rune(value).ToString());
        }
        return builder.ToString();
    }

    private static void Decompose(int value, bool compatibility, List<int> output)
    {
        if (value >= HangulBase && value < HangulBase + HangulCount)
        {
            var index = value - HangulBase;
            output.Add(LeadBase + index / (VowelCount * TrailCount));
            output.Add(VowelBase + index % (VowelCount * TrailCount) / TrailCount);
            if (index % TrailCount != 0)
            {
                output.Add(TrailBase + index % TrailCount);
            }
        }
        else if ((compatibility && Compatibility.TryGetValue(value, out var mapped)) || Canonical.TryGetValue(value, out mapped))
        {
            output.AddRange(mapped);
        }
        else
        {
            output.Add(value);
        }
    }

    // A stable sort of each run of non-starters by combining class (the canonical ordering algorithm).
    private static void SortMarks(List<int> runes)
    {
        for (var i = 1; i < runes.Count; i++)
        {
            var value = runes[i];
            var combining = ClassOf(value);
            if (combining == 0)
            {
                continue;
            }
            var j = i;
            while (j > 0 && ClassOf(runes[j - 1]) > combining)
            {
                runes[j] = runes[j - 1];
                j--;
            }
            runes[j] = value;
        }
    }

    private static void Compose(List<int> runes)
    {
        if (runes.Count == 0)
        {
            return;
        }
        var lastClass = ClassOf(runes[0]);
        var starter = lastClass == 0 ? 0 : -1;
        var written = 1;
        for (var i = 1; i < runes.Count; i++)
        {
            var value = runes[i];
            var combining = ClassOf(value);
            // A character composes with the last starter unless a character between them is blocking it.
            var blocked = lastClass != 0 && lastClass >= combining;
            if (starter >= 0 && !blocked && TryCompose(runes[starter], value, out var composite))
            {
                runes[starter] = composite;
                continue;
            }
            if (combining == 0)
            {
                starter = written;
            }
            lastClass = combining;
            runes[written++] = value;
        }
        runes.RemoveRange(written, runes.Count - written);
    }

    private static bool TryCompose(int first, int second, out int composite)
    {
        if (first >= LeadBase && first < LeadBase + LeadCount && second >= VowelBase && second < VowelBase + VowelCount)
        {
            composite = HangulBase + ((first - LeadBase) * VowelCount + second - VowelBase) * TrailCount;
            return true;
        }
        if (first >= HangulBase && first < HangulBase + HangulCount && (first - HangulBase) % TrailCount == 0
            && second > TrailBase && second < TrailBase + TrailCount)
        {
            composite = first + second - TrailBase;
            return true;
        }
        return Composites.TryGetValue((first, second), out composite);
    }

    private static byte ClassOf(int value) => Classes.TryGetValue(value, out var combining) ? combining : (byte)0;

    private static IEnumerable<int[]> Rows(string table)
        => table.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ').Select(field => int.Parse(field, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray());

    private static Dictionary<int, int[]> ParseDecompositions(string table)
        => Rows(table).ToDictionary(row => row[0], row => row[1..]);

    private static Dictionary<int, byte> ParseClasses()
    {
        var classes = new Dictionary<int, byte>();
        foreach (var line in CombiningClasses.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            var first = int.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var last = int.Parse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var value = byte.Parse(fields[2], CultureInfo.InvariantCulture);
            for (var code = first; code <= last; code++)
            {
                classes[code] = value;
            }
        }
        return classes;
    }

    private static Dictionary<(int, int), int> ParseCompositions()
        => Rows(Compositions).ToDictionary(row => (row[0], row[1]), row => row[2]);
}
