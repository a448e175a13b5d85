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
}
