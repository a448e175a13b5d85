using Heurist.Protocol.Network;

namespace Heurist.Protocol.Tests.Network;

public sealed class MinerUptimeTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(double hours) => Midnight.AddHours(hours);

    private static UptimeSession Session(double fromHours, double toHours) => new(At(fromHours), At(toHours));

    [Theory]
    // Always up over the window.
    [InlineData(new[] { 0.0, 24 }, 0, 24, 1.0)]
    // Up for the first 6 hours, a gap, and up again for the last 6.
    [InlineData(new[] { 0.0, 6, 18, 24 }, 0, 24, 0.5)]
    // A session that started before the window counts only from the window's start.
    [InlineData(new[] { -5.0, 6 }, 0, 24, 0.25)]
    // One that is still going counts only up to its last heartbeat, not to the window's end.
    [InlineData(new[] { 12.0, 18 }, 0, 24, 0.25)]
    // Sessions outside the window count for nothing.
    [InlineData(new[] { -10.0, -1, 25, 30 }, 0, 24, 0.0)]
    // Many short sessions with gaps between them: 3 × 2 h of 24 h.
    [InlineData(new[] { 1.0, 3, 5, 7, 9, 11 }, 0, 24, 0.25)]
    // A 7-day window with one day down in the middle.
    [InlineData(new[] { 0.0, 72, 96, 168 }, 0, 168, 6.0 / 7)]
    public void Uptime_is_the_share_of_the_window_that_sessions_cover(double[] bounds, double from, double to, double expected)
    {
        var sessions = bounds.Chunk(2).Select(pair => Session(pair[0], pair[1]));

        Assert.Equal(expected, MinerUptime.Fraction(sessions, At(from), At(to)), precision: 12);
    }

    [Fact]
    public void Overlapping_sessions_of_two_runs_under_one_id_count_once()
        => Assert.Equal(0.5, MinerUptime.Fraction([Session(0, 10), Session(2, 12), Session(4, 6)], At(0), At(24)), precision: 12);

    [Fact]
    public void Sessions_in_any_order_give_the_same_uptime()
        => Assert.Equal(
            MinerUptime.Fraction([Session(0, 3), Session(5, 9), Session(20, 22)], At(0), At(24)),
            MinerUptime.Fraction([Session(20, 22), Session(0, 3), Session(5, 9)], At(0), At(24)));

    [Fact]
    public void No_sessions_is_no_uptime_and_an_empty_window_is_refused()
    {
        Assert.Equal(0, MinerUptime.Fraction([], At(0), At(24)));
        Assert.Throws<ArgumentException>(() => MinerUptime.Fraction([], At(5), At(5)));
    }

    [Theory]
    // Heartbeats every 5 s: a gap of up to 30 s (the floor) still continues the session.
    [InlineData(5, 30, true)]
    [InlineData(5, 31, false)]
    // Every 60 s: three intervals, so one or two lost heartbeats are not downtime.
    [InlineData(60, 180, true)]
    [InlineData(60, 181, false)]
    public void A_heartbeat_extends_the_session_when_the_silence_before_it_is_short(int intervalSeconds, int silenceSeconds, bool extends)
    {
        var latest = new UptimeSession(At(0), At(1));
        var maxGap = MinerUptime.MaxGap(TimeSpan.FromSeconds(intervalSeconds));

        Assert.Equal(extends, MinerUptime.Extends(latest, At(1).AddSeconds(silenceSeconds), maxGap));
    }

    [Fact]
    public void The_first_heartbeat_and_one_from_before_the_last_start_a_new_session()
    {
        Assert.False(MinerUptime.Extends(null, At(1), TimeSpan.FromMinutes(1)));
        Assert.False(MinerUptime.Extends(new UptimeSession(At(0), At(1)), At(0.5), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Heartbeats_folded_into_sessions_give_uptime_across_gaps()
    {
        // Every 5 s from 00:00 to 02:00, silent until 03:00, then every 5 s until 04:00.
        var beats = Enumerable.Range(0, (2 * 3600 / 5) + 1).Select(i => At(0).AddSeconds(5 * i))
            .Concat(Enumerable.Range(0, (3600 / 5) + 1).Select(i => At(3).AddSeconds(5 * i)));
        var maxGap = MinerUptime.MaxGap(TimeSpan.FromSeconds(5));
        var sessions = new List<UptimeSession>();
        foreach (var beat in beats)
        {
            if (MinerUptime.Extends(sessions.Count > 0 ? sessions[^1] : null, beat, maxGap))
            {
                sessions[^1] = sessions[^1] with { LastSeen = beat };
            }
            else
            {
                sessions.Add(new UptimeSession(beat, beat));
            }
        }

        Assert.Equal([Session(0, 2), Session(3, 4)], sessions);
        Assert.Equal(0.75, MinerUptime.Fraction(sessions, At(0), At(4)), precision: 12);
    }

    [Theory]
    [InlineData(0, null, true)]
    [InlineData(300, null, true)]
    [InlineData(301, null, false)]
    // Stopped cleanly after its last heartbeat: not active, however recent.
    [InlineData(10, 5, false)]
    // A stop from an earlier run does not count against a heartbeat after it.
    [InlineData(10, -60, true)]
    public void Active_means_a_heartbeat_within_five_minutes_and_no_stop_since(int secondsSinceHeartbeat, int? stoppedSecondsAfterHeartbeat, bool active)
    {
        var now = At(12);
        var heartbeat = now.AddSeconds(-secondsSinceHeartbeat);
        DateTimeOffset? stopped = stoppedSecondsAfterHeartbeat is { } s ? heartbeat.AddSeconds(s) : null;

        Assert.Equal(active, MinerUptime.IsActive(heartbeat, stopped, now));
    }
}
