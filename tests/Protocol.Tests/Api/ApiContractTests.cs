using System.Text.Json;
using Heurist.Protocol.Api.Network;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Api.Studio;
using Heurist.Protocol.Jobs;
using Heurist.Protocol.Miners;

namespace Heurist.Protocol.Tests.Api;

/// <summary>The wire format the contract pins: what the server writes is what every client reads.</summary>
public sealed class ApiContractTests
{
    private static readonly JsonSerializerOptions Web = JsonSerializerOptions.Web;

    [Theory]
    [InlineData(DeviceKind.Cpu, "\"cpu\"")]
    [InlineData(DeviceKind.Cuda, "\"cuda\"")]
    public void A_device_kind_is_written_in_lower_case_and_read_back(DeviceKind kind, string json)
    {
        Assert.Equal(json, JsonSerializer.Serialize(kind, Web));
        Assert.Equal(kind, JsonSerializer.Deserialize<DeviceKind>(json, Web));
    }

    [Theory]
    [InlineData(ImageJobState.Queued, "\"Queued\"")]
    [InlineData(ImageJobState.Running, "\"Running\"")]
    [InlineData(ImageJobState.Succeeded, "\"Succeeded\"")]
    [InlineData(ImageJobState.Failed, "\"Failed\"")]
    [InlineData(ImageJobState.Canceled, "\"Canceled\"")]
    public void A_job_state_is_written_as_its_name_and_read_back(ImageJobState state, string json)
    {
        Assert.Equal(json, JsonSerializer.Serialize(state, Web));
        Assert.Equal(state, JsonSerializer.Deserialize<ImageJobState>(json, Web));
    }

    [Fact]
    public void An_enum_as_a_number_is_refused()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ImageJobState>("2", Web));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DeviceKind>("1", Web));
    }

    [Fact]
    public void An_online_worker_round_trips_with_its_device_kind_as_the_api_writes_it()
    {
        var worker = new OnlineWorker("rig-1", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "NVIDIA GeForce RTX 4090", DeviceKind.Cuda, 24L << 30,
            ["default", "sdxl"], "rig-1.local", "1.0.0", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(5)) { Models = ["sd15", "sdxl"] };

        var json = JsonSerializer.Serialize(worker, Web);

        Assert.Contains("\"deviceKind\":\"cuda\"", json, StringComparison.Ordinal);
        Assert.Equal(worker with { Queues = worker.Queues }, JsonSerializer.Deserialize<OnlineWorker>(json, Web), OnlineWorkerComparer.Instance);
    }

    [Fact]
    public void A_job_view_leaves_its_derived_members_out_of_the_json()
    {
        var view = new ImageJobView(Guid.Empty, "a fox", "", "sd15", 512, 512, 20, 7.5, 1, "euler", ImageJobState.Succeeded, 20,
            DateTimeOffset.UnixEpoch, null, null, "rig-1", new string('a', 64), 0.3m, null, false, null);

        var json = JsonSerializer.Serialize(view, Web);

        Assert.Contains("\"state\":\"Succeeded\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isFinished", json, StringComparison.Ordinal);
        Assert.DoesNotContain("imageUrl", json, StringComparison.Ordinal);
        Assert.Equal($"api/images/{new string('a', 64)}.png", JsonSerializer.Deserialize<ImageJobView>(json, Web)!.ImageUrl);
    }

    [Theory]
    [InlineData("abcdefgh", true)]
    [InlineData("0123456789abcdef0123456789abcdef", true)]
    [InlineData("with-dash_and_underscore", true)]
    [InlineData("short", false)]
    [InlineData("has space in it", false)]
    [InlineData("ünïcode-id", false)]
    [InlineData(null, false)]
    public void A_creator_id_is_8_to_64_url_safe_characters(string? id, bool valid)
    {
        Assert.Equal(valid, CreatorIds.IsValid(id));
        Assert.Equal(valid, CreatorIds.Validate(id).IsValid);
    }

    [Fact]
    public void A_refused_creator_id_names_the_header_it_came_in()
    {
        var errors = CreatorIds.Validate(new string('x', 65));

        Assert.Equal(["creatorId (the X-Creator-Id header) must be 8 to 64 letters, digits, '-' or '_'."], errors[CreatorIds.Field]);
    }

    [Fact]
    public void A_probe_request_without_a_body_or_with_a_bad_queue_is_refused_by_field()
    {
        Assert.Equal(["body"], StartProbeRequestRules.Validate(null).Keys);
        Assert.Equal(["queue 'Bad Queue' may contain only lowercase letters, digits, '_' and '-'"], StartProbeRequestRules.Validate(new StartProbeRequest("Bad Queue"))["queue"]);
        Assert.True(StartProbeRequestRules.Validate(new StartProbeRequest(JobQueues.Default)).IsValid);
    }

    [Fact]
    public void A_leaderboard_query_out_of_range_is_refused_on_every_field_at_once()
    {
        var errors = LeaderboardQueryRules.Validate(new LeaderboardQuery(Page: 0, PageSize: 101));

        Assert.Equal(["page must be 1 or more."], errors["page"]);
        Assert.Equal(["pageSize must be between 1 and 100."], errors["pageSize"]);
        var refusal = Assert.Throws<Protocol.Api.ApiException>(() => LeaderboardQueryRules.EnsureValid(new LeaderboardQuery(Page: 0)));
        Assert.Equal(400, refusal.Status);
        Assert.Equal(LeaderboardQueryRules.InvalidTitle, refusal.Title);
        Assert.Equal(["page"], refusal.Errors.Keys);
    }

    [Fact]
    public void An_unknown_sort_is_refused_with_every_sort_name()
        => Assert.Equal(
            ["sort must be one of points, points24h, points7d, jobs, latency, uptime24h, uptime7d, stake, efficiency, bribe, vram, miner, gpu, apr."],
            LeaderboardQueryRules.UnknownSort()["sort"]);

    private sealed class OnlineWorkerComparer : IEqualityComparer<OnlineWorker?>
    {
        public static readonly OnlineWorkerComparer Instance = new();

        public bool Equals(OnlineWorker? x, OnlineWorker? y)
            => x is not null && y is not null && x with { Queues = [], Models = [] } == y with { Queues = [], Models = [] }
                && x.Queues.SequenceEqual(y.Queues) && x.Models.SequenceEqual(y.Models);

        public int GetHashCode(OnlineWorker? obj) => 0;
    }
}
