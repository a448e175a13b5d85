using System.Globalization;

namespace Heurist.Bench.Governance;

/// <summary>key=value lines, numbers written the same on every machine.</summary>
internal static class Output
{
    public static void Line(string key, double value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}={value:0.###}"));

    public static void Line(string key, string value) => Console.WriteLine($"{key}={value}");
}
