using Heurist.Protocol.Miners;

namespace Heurist.Protocol.Tests.Miners;

public sealed class MinerPresenceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, true)]
    [InlineData(29, true)]
    [InlineData(30, true)]
    [InlineData(31, false)]
    [InlineData(3600, false)]
    [InlineData(-5, true)]
    public void A_miner_is_online_while_its_last_heartbeat_is_within_the_window(int secondsAgo, bool online)
        => Assert.Equal(online, MinerPresence.IsOnline(Now.AddSeconds(-secondsAgo), stoppedAt: null, Now, Window));

    [Fact]
    public void A_miner_that_stopped_after_its_last_heartbeat_is_offline_at_once()
    {
        var heartbeat = Now.AddSeconds(-2);
        Assert.False(MinerPresence.IsOnline(heartbeat, stoppedAt: heartbeat.AddSeconds(1), Now, Window));
    }

    [Fact]
    public void A_miner_that_beat_again_after_an_old_stop_is_online()
    {
        var heartbeat = Now.AddSeconds(-2);
        Assert.True(MinerPresence.IsOnline(heartbeat, stoppedAt: heartbeat.AddMinutes(-10), Now, Window));
    }
}
