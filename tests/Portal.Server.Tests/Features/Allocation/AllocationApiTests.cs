using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Heurist.Portal.Server.Features.Allocation;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Api.Network;
using Heurist.ServiceDefaults;
using Heurist.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Heurist.Portal.Server.Tests.Features.Allocation;

/// <summary>GET /api/governance/allocation, and the same read through the server's IAllocationClient.</summary>
public sealed class AllocationApiTests(PostgresFixture postgres, DeployedChainFixture chain) : IAsyncLifetime
{
    private readonly PortalApp portal = new(postgres, chain);
    private DateTimeOffset now;

    public async ValueTask InitializeAsync()
    {
        await portal.InitializeAsync();
        portal.Settings["Allocation:RecomputeSeconds"] = "0";
        portal.Settings["Allocation:Alpha"] = "0.5";
        now = DateTimeOffset.UtcNow;
    }

    public ValueTask DisposeAsync() => portal.DisposeAsync();

    private async Task SeedAsync(CancellationToken ct)
    {
        await using var db = AllocationSeed.Database(portal);
        for (var i = 1; i <= 9; i++)
        {
            AllocationSeed.AddMiner(db, $"rig-{i}", now.AddSeconds(-2), ["sd15", "sdxl"]);
        }
        AllocationSeed.AddClosedAllocationVote(db, now, [70, 20, 10]);
        await db.SaveChangesAsync(ct);
    }

    [Fact]
    public async Task The_allocation_lists_every_catalog_model_with_its_voted_demand_target_and_actual_share()
    {
        var ct = TestContext.Current.CancellationToken;
        await SeedAsync(ct);
        var run = await portal.Services.GetRequiredService<AllocationRecomputer>().RecomputeAsync(ct);

        var status = (await portal.CreateClient().GetFromJsonAsync<AllocationStatus>("/" + GovernanceRoutes.Allocation, ct))!;

        Assert.Equal(0.5, status.Alpha);
        Assert.Equal(run!.ProposalId, status.ProposalId);
        Assert.NotNull(status.UpdatedAt);
        Assert.Equal(AllocationSeed.Catalog, status.Models.Select(m => m.ModelId));
        var shares = status.Models.ToDictionary(m => m.ModelId);
        // Nobody online holds flux: it shows its voted target, and no worker serves it.
        Assert.Equal((0.1, 0.1, 0d, 0), (Math.Round(shares["flux-dev"].VotedShare, 9), Math.Round(shares["flux-dev"].TargetShare, 9), shares["flux-dev"].ActualShare, shares["flux-dev"].Workers));
        // The workers still report both of their models: each counts half for each.
        Assert.Equal((0.5, 9), (shares["sd15"].ActualShare, shares["sd15"].Workers));
        Assert.Equal(0.7 / 0.9, shares["sd15"].TargetShare, 9);
        Assert.Equal(AllocationSeed.Catalog.Length, status.History.Count);
        Assert.All(status.History, p => Assert.Equal(shares[p.ModelId].ActualShare, p.ActualShare, 9));
    }

    [Fact]
    public async Task Before_any_computation_every_model_has_no_target_and_no_vote()
    {
        var status = await portal.Services.CreateScope().ServiceProvider.GetRequiredService<IAllocationClient>()
            .GetAllocationAsync(24, TestContext.Current.CancellationToken);

        Assert.Null(status.ProposalId);
        Assert.Null(status.UpdatedAt);
        Assert.All(status.Models, m => Assert.Equal((0d, 0d, 0), (m.TargetShare, m.ActualShare, m.Workers)));
        Assert.Empty(status.History);
    }

    [Fact]
    public async Task The_history_averages_the_samples_into_at_most_240_points_per_model_oldest_first()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var db = AllocationSeed.Database(portal))
        {
            // A sample a minute for 48 hours, and one a day older than the week shown.
            var start = now.AddHours(-48);
            for (var minute = 0; minute < 48 * 60; minute++)
            {
                db.AllocationSamples.Add(new() { At = start.AddMinutes(minute), ModelId = "sdxl", TargetShare = 0.5, ActualShare = minute % 2 == 0 ? 0.25 : 0.75, Workers = 4 });
            }
            db.AllocationSamples.Add(new() { At = now.AddDays(-8), ModelId = "sdxl", TargetShare = 1, ActualShare = 1, Workers = 1 });
            await db.SaveChangesAsync(ct);
        }

        var status = (await portal.CreateClient().GetFromJsonAsync<AllocationStatus>("/" + GovernanceRoutes.Allocation + "?hours=168", ct))!;

        Assert.InRange(status.History.Count, 2, 241);
        Assert.Equal(status.History.OrderBy(p => p.At).Select(p => p.At), status.History.Select(p => p.At));
        // 168 hours in 240 points is 42 minutes each: an even number of alternating samples averages to 0.5.
        Assert.All(status.History.Skip(1).SkipLast(1), p => Assert.Equal((0.5, 0.5), (p.TargetShare, Math.Round(p.ActualShare, 9))));
        Assert.All(status.History, p => Assert.True(p.At >= now.AddHours(-168).AddMinutes(-42), $"{p.At} is older than the week shown"));
    }

    [Fact]
    public async Task The_answer_carries_a_strong_etag_and_a_matching_if_none_match_gets_304()
    {
        var ct = TestContext.Current.CancellationToken;
        await SeedAsync(ct);
        await portal.Services.GetRequiredService<AllocationRecomputer>().RecomputeAsync(ct);
        var client = portal.CreateClient();

        using var first = await client.GetAsync("/" + GovernanceRoutes.Allocation + "?hours=6", ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);
        Assert.False(tag.IsWeak);
        Assert.True(first.Headers.CacheControl?.NoCache);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/" + GovernanceRoutes.Allocation + "?hours=6");
        again.Headers.IfNoneMatch.Add(tag);
        using var notModified = await client.SendAsync(again, ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(ct));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("169")]
    [InlineData("six")]
    [InlineData("-1")]
    public async Task Hours_outside_one_to_a_week_are_refused_naming_hours(string hours)
    {
        var ct = TestContext.Current.CancellationToken;
        using var response = await portal.CreateClient().GetAsync($"/{GovernanceRoutes.Allocation}?hours={hours}", ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(ct);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("hours must be a whole number from 1 to 168.", problem.RootElement.GetProperty("errors").GetProperty("hours")[0].GetString());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Online_workers_list_the_models_they_hold_beside_the_queues_they_serve()
    {
        var ct = TestContext.Current.CancellationToken;
        await SeedAsync(ct);
        await using (var db = AllocationSeed.Database(portal))
        {
            await db.Miners.Where(m => m.Id == "rig-1").ExecuteUpdateAsync(set => set.SetProperty(m => m.Queues, ["default", "sdxl"]), ct);
        }

        var workers = (await portal.CreateClient().GetFromJsonAsync<List<OnlineWorker>>("/api/network/workers", ct))!;

        var rig = workers.Single(w => w.MinerId == "rig-1");
        Assert.Equal(["sd15", "sdxl"], rig.Models);
        Assert.Equal(["default", "sdxl"], rig.Queues);
    }

    [Fact]
    public async Task An_alpha_outside_zero_to_one_stops_the_portal_naming_the_setting()
    {
        portal.Settings["Allocation:Alpha"] = "1.5";

        var failure = await StartupChecks.FindFailureAsync(portal.Services, TestContext.Current.CancellationToken);

        Assert.Contains("Allocation:Alpha must be between 0 and 1.", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_client_refuses_bad_hours_as_the_api_does()
    {
        var client = portal.Services.CreateScope().ServiceProvider.GetRequiredService<IAllocationClient>();

        var refused = await Assert.ThrowsAsync<ApiException>(() => client.GetAllocationAsync(0, TestContext.Current.CancellationToken));

        Assert.Equal(400, refused.Status);
        Assert.True(refused.Errors.ContainsKey("hours"));
    }
}
