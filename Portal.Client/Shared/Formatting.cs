using System.Globalization;

namespace Heurist.Portal.Client.Shared;

/// <summary>How numbers and times are written across the portal.</summary>
public static class Formatting
{
    /// <summary>Bytes as binary units: "23.4 GiB".</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }

    /// <summary>How long ago <paramref name="then"/> was: "just now", "12 s ago", "3 min ago", "2 h ago", "4 d ago".</summary>
    public static string Ago(DateTimeOffset then, DateTimeOffset now)
    {
        var elapsed = now - then;
        if (elapsed < TimeSpan.FromSeconds(1))
        {
            return "just now";
        }
        return elapsed switch
        {
            { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalSeconds} s ago"),
            { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalMinutes} min ago"),
            { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalHours} h ago"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalDays} d ago"),
        };
    }

    /// <summary>A duration in milliseconds below a second ("38 ms"), else in seconds ("3.3 s").</summary>
    public static string Duration(TimeSpan duration) => duration.TotalSeconds < 1
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, duration.TotalMilliseconds):0} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.0} s");

    /// <summary>A count with thousands separators: "1,234,567".</summary>
    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>Points or tokens: thousands separators and at most two decimals ("12,345.67", "0.3"), four below 1 ("0.0123").</summary>
    public static string Amount(decimal value) => value switch
    {
        // A tiny job earns a fraction of a point; two decimals would show it as 0.
        > 0 and < 0.0001m => "< 0.0001",
        > 0 and < 1 => value.ToString("0.####", CultureInfo.InvariantCulture),
        _ => value.ToString("#,0.##", CultureInfo.InvariantCulture),
    };

    /// <summary>An address as its head and tail: "0x1234…abcd".</summary>
    public static string ShortAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Length <= 12 ? address : $"{address[..6]}…{address[^4..]}";
    }

    /// <summary>A fraction between 0 and 1 as a percentage with at most one decimal: "97.3%".</summary>
    public static string Percent(double fraction)
        => string.Create(CultureInfo.InvariantCulture, $"{fraction * 100:0.#}%");

    /// <inheritdoc cref="Percent(double)"/>
    public static string Percent(decimal fraction)
        => string.Create(CultureInfo.InvariantCulture, $"{fraction * 100:0.#}%");

    /// <summary>A miner's expected APR as a percentage, or why it has none: "no history", or "no stake" when it has history.</summary>
    public static string Apr(decimal? apr, bool hasHistory)
        => apr is { } rate ? Percent(rate) : hasHistory ? "no stake" : "no history";

    /// <summary>Basis points as a percentage: 250 is "2.5%".</summary>
    public static string BasisPoints(int basisPoints)
        => string.Create(CultureInfo.InvariantCulture, $"{basisPoints / 100m:0.##}%");

    /// <summary>A latency in milliseconds as <see cref="Duration"/> writes it, or "—" when there is none.</summary>
    public static string Latency(double? milliseconds)
        => milliseconds is { } ms ? Duration(TimeSpan.FromMilliseconds(ms)) : "—";

    /// <summary>
    /// A latency bucket's bounds in the unit that suits its upper bound: "0–100 ms", "1.2–1.4 s", "11–13 s",
    /// "1.1–1.3 min"; "≥ 27.3 min" for the open-ended last one.
    /// </summary>
    public static string LatencyRange(double lowerMs, double? upperMs)
    {
        var (divisor, unit, format) = (upperMs ?? lowerMs) switch
        {
            <= 1_000 => (1d, "ms", "0"),
            < 10_000 => (1_000d, "s", "0.0"),
            <= 60_000 => (1_000d, "s", "0"),
            _ => (60_000d, "min", "0.0"),
        };
        string Write(double ms) => (ms / divisor).ToString(format, CultureInfo.InvariantCulture);
        return upperMs is { } upper ? $"{Write(lowerMs)}–{Write(upper)} {unit}" : $"≥ {Write(lowerMs)} {unit}";
    }

    /// <summary>A moment in UTC to the minute: "2026-11-22 12:00 UTC".</summary>
    public static string Timestamp(DateTimeOffset moment)
        => moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A day as a short label for chart axes: "Nov 22".</summary>
    public static string Day(DateOnly day) => day.ToString("MMM d", CultureInfo.InvariantCulture);
}
