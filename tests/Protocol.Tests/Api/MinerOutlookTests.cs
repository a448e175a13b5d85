using System.Numerics;
using System.Text.Json;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Rewards;

namespace Heurist.Protocol.Tests.Api;

/// <summary>The miner page's outlook: what the stake dialog runs the what-if on, carried exactly over JSON.</summary>
public sealed class MinerOutlookTests
{
    private static readonly BigInteger Token = BigInteger.Pow(10, 18);

    [Fact]
    public void An_outlook_carries_its_wei_exactly_through_json_and_estimates_as_its_input_does()
    {
        // More digits than a double holds, so a reader that went through a number would round them.
        var input = new MinerOutlookInput(
            [new MinerEpochReward(4, 1_234 * Token + 987_654_321_987_654_321, 50_000 * Token + 1), new MinerEpochReward(5, 0, 20_000 * Token)],
            2_500, 60_000 * Token + 7, 973_000, 3_600);

        var json = JsonSerializer.Serialize(MinerOutlook.From(input, 5_000), JsonSerializerOptions.Web);
        var read = JsonSerializer.Deserialize<MinerOutlook>(json, JsonSerializerOptions.Web)!;

        Assert.Contains("\"rewardWei\":\"1234987654321987654321\"", json, StringComparison.Ordinal);
        Assert.Equal(5_000, read.EsHeuShareBps);
        Assert.Equal(ExpectedApr.Estimate(input), read.Estimate());
        var back = read.ToInput()!;
        Assert.Equal(input.History, back.History);
        Assert.Equal((input.BribeBps, input.TotalStakeWei, input.UptimePpm, input.EpochLengthSeconds), (back.BribeBps, back.TotalStakeWei, back.UptimePpm, back.EpochLengthSeconds));
    }

    [Fact]
    public void Before_any_epoch_is_settled_the_outlook_has_no_input_and_no_history()
    {
        var outlook = MinerOutlook.From(new MinerOutlookInput([], 1_000, 50_000 * Token, 1_000_000, 0), 5_000);

        Assert.Null(outlook.ToInput());
        var estimate = outlook.Estimate();
        Assert.False(estimate.HasHistory);
        Assert.Null(estimate.Apr);
        Assert.StartsWith("No history", estimate.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void The_apr_sort_is_apr_in_the_query_string_both_ways()
    {
        Assert.True(LeaderboardQueryRules.TryParseSort("apr", out var sort));
        Assert.Equal(LeaderboardSort.Apr, sort);
        Assert.StartsWith("api/leaderboard?sort=apr&", LeaderboardQueryRules.ToApiPath(new LeaderboardQuery(LeaderboardSort.Apr)), StringComparison.Ordinal);
    }
}
