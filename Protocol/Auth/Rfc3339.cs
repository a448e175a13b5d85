namespace Heurist.Protocol.Auth;

/// <summary>
/// RFC 3339 date-time (section 5.6): full-date "T" partial-time [secfrac] time-offset, with "t" and "z" allowed in
/// lower case (its section 5.6 note) and any number of fraction digits (kept to .NET's 100 ns). The result is the
/// instant, in UTC.
/// </summary>
internal static class Rfc3339
{
    /// <summary>The instant <paramref name="text"/> names, or null and a phrase saying why it is not an RFC 3339 date-time.</summary>
    public static DateTimeOffset? Parse(ReadOnlySpan<char> text, out string? problem)
    {
        problem = null;
        // yyyy-MM-ddTHH:mm:ss is 19 characters; a fraction and the offset follow.
        if (text.Length < 19 || !Digits(text, 0, 4, out var year) || text[4] != '-' || !Digits(text, 5, 2, out var month)
            || text[7] != '-' || !Digits(text, 8, 2, out var day) || text[10] is not ('T' or 't')
            || !Digits(text, 11, 2, out var hour) || text[13] != ':' || !Digits(text, 14, 2, out var minute)
            || text[16] != ':' || !Digits(text, 17, 2, out var second))
        {
            problem = "it is not an RFC 3339 date-time such as 2021-09-30T16:25:24Z";
            return null;
        }

        var position = 19;
        long fractionTicks = 0;
        if (position < text.Length && text[position] == '.')
        {
            var start = ++position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }
            if (position == start)
            {
                problem = "its fraction of a second has no digits after the '.'";
                return null;
            }
            // 100 ns ticks are the first seven digits; the rest is below what DateTimeOffset holds.
            var digits = text[start..position];
            for (var i = 0; i < 7; i++)
            {
                fractionTicks = (fractionTicks * 10) + (i < digits.Length ? digits[i] - '0' : 0);
            }
        }

        var offsetMinutes = 0;
        var offset = text[position..];
        if (offset is not ("Z" or "z"))
        {
            if (offset.Length != 6 || offset[0] is not ('+' or '-') || !Digits(offset, 1, 2, out var offsetHour) || offset[3] != ':'
                || !Digits(offset, 4, 2, out var offsetMinute))
            {
                problem = "it does not end with a time offset: 'Z' or +hh:mm or -hh:mm";
                return null;
            }
            if (offsetHour > 23 || offsetMinute > 59)
            {
                problem = $"its offset {offset} is out of range (hours 00-23, minutes 00-59)";
                return null;
            }
            offsetMinutes = (offset[0] == '-' ? -1 : 1) * ((offsetHour * 60) + offsetMinute);
        }

        if (month is < 1 or > 12)
        {
            problem = $"month {month:00} does not exist";
            return null;
        }
        if (year == 0)
        {
            problem = "the year 0000 is before what can be represented (0001 to 9999)";
            return null;
        }
        if (day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            problem = $"day {day:00} does not exist in {year:0000}-{month:00}";
            return null;
        }
        if (hour > 23 || minute > 59 || second > 60)
        {
            problem = $"the time {hour:00}:{minute:00}:{second:00} does not exist";
            return null;
        }

        var local = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Unspecified).Ticks + fractionTicks;
        var utc = local - (offsetMinutes * TimeSpan.TicksPerMinute);
        if (second == 60)
        {
            // A leap second is inserted at the end of a UTC day only: 23:59:60Z. It is read as the second after 23:59:59.
            var utcMinute = utc / TimeSpan.TicksPerMinute % (24 * 60);
            if (utc < 0 || utcMinute != (23 * 60) + 59)
            {
                problem = "a leap second (:60) comes only at 23:59 UTC";
                return null;
            }
            utc += TimeSpan.TicksPerSecond;
        }
        if (utc < DateTime.MinValue.Ticks || utc > DateTime.MaxValue.Ticks)
        {
            problem = "it is outside the years 0001 to 9999 in UTC";
            return null;
        }
        return new DateTimeOffset(utc, TimeSpan.Zero);
    }

    private static bool Digits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }
        foreach (var c in text.Slice(start, count))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            value = (value * 10) + (c - '0');
        }
        return true;
    }
}
