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
}
