using System.Globalization;
using Heurist.Portal.Client.Shared;

namespace Heurist.Portal.Client.Tests.Shared;

public sealed class FormattingTests
{
    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1.0 KiB")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(24L << 30, "24.0 GiB")]
    [InlineData(25276514304L, "23.5 GiB")]
    [InlineData(3L << 40, "3.0 TiB")]
    public void Bytes_are_written_in_binary_units(long bytes, string expected) => Assert.Equal(expected, Formatting.Bytes(bytes));

    [Theory]
    [InlineData(0, "just now")]
    [InlineData(4, "4 s ago")]
    [InlineData(59, "59 s ago")]
    [InlineData(60, "1 min ago")]
    [InlineData(3599, "59 min ago")]
    [InlineData(7200, "2 h ago")]
    [InlineData(172800, "2 d ago")]
    public void Times_are_written_as_how_long_ago(int secondsAgo, string expected)
    {
        var now = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(expected, Formatting.Ago(now.AddSeconds(-secondsAgo), now));
    }

    [Theory]
    [InlineData(0.0, "0 ms")]
    [InlineData(41.6, "42 ms")]
    [InlineData(999.0, "999 ms")]
    [InlineData(3261.0, "3.3 s")]
    [InlineData(12400.0, "12.4 s")]
    public void Durations_are_written_in_ms_then_seconds(double milliseconds, string expected)
        => Assert.Equal(expected, Formatting.Duration(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData(0L, "0")]
    [InlineData(999L, "999")]
    [InlineData(1234567L, "1,234,567")]
    public void Counts_have_thousands_separators(long value, string expected) => Assert.Equal(expected, Formatting.Count(value));

    [Theory]
    [InlineData("0", "0")]
    [InlineData("0.3", "0.3")]
    [InlineData("12345.678", "12,345.68")]
    [InlineData("1000000", "1,000,000")]
    [InlineData("0.012345", "0.0123")]
    [InlineData("0.00004", "< 0.0001")]
    [InlineData("-2.5", "-2.5")]
    public void Amounts_have_two_decimals_and_fractions_of_a_point_four(string value, string expected)
        => Assert.Equal(expected, Formatting.Amount(decimal.Parse(value, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData(0.0, "0%")]
    [InlineData(0.973, "97.3%")]
    [InlineData(0.99999, "100%")]
    [InlineData(1.0, "100%")]
    public void Fractions_are_written_as_percentages(double fraction, string expected)
    {
        Assert.Equal(expected, Formatting.Percent(fraction));
        Assert.Equal(expected, Formatting.Percent((decimal)fraction));
    }

    [Theory]
    [InlineData(0, "0%")]
    [InlineData(250, "2.5%")]
    [InlineData(1000, "10%")]
    [InlineData(1, "0.01%")]
    public void Basis_points_are_hundredths_of_a_percent(int basisPoints, string expected) => Assert.Equal(expected, Formatting.BasisPoints(basisPoints));

    [Fact]
    public void A_missing_latency_is_a_dash()
    {
        Assert.Equal("—", Formatting.Latency(null));
        Assert.Equal("3.3 s", Formatting.Latency(3261));
    }

    [Theory]
    [InlineData(0.0, 100.0, "0–100 ms")]
    [InlineData(100.0, 118.9, "100–119 ms")]
    [InlineData(840.9, 1000.0, "841–1000 ms")]
    [InlineData(1189.2, 1414.2, "1.2–1.4 s")]
    [InlineData(9513.7, 11313.7, "10–11 s")]
    [InlineData(67272.7, 80000.0, "1.1–1.3 min")]
    [InlineData(1638400.0, null, "≥ 27.3 min")]
    public void Latency_buckets_are_written_in_the_unit_of_their_upper_bound(double lower, double? upper, string expected)
        => Assert.Equal(expected, Formatting.LatencyRange(lower, upper));

    [Fact]
    public void Timestamps_are_in_utc_and_days_are_short()
    {
        Assert.Equal("2026-11-22 13:05 UTC", Formatting.Timestamp(new DateTimeOffset(2026, 11, 22, 14, 5, 30, TimeSpan.FromHours(1))));
        Assert.Equal("Nov 2", Formatting.Day(new DateOnly(2026, 11, 2)));
    }

    [Fact]
    public void Addresses_are_shortened_to_their_head_and_tail()
        => Assert.Equal("0xf39F…2266", Formatting.ShortAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
}
