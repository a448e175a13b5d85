using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Heurist.Portal.Data.Governance;
using Heurist.Protocol.Api.Governance;
using Heurist.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Kind = Heurist.Protocol.Governance.SnapshotMessageKind;

namespace Heurist.Portal.Server.Tests.Features.Governance;

/// <summary>The governance reads: states by the portal's clock, results frozen once after the end, paging, ETags, the space and the preview.</summary>
public sealed class GovernanceApiTests(GovernancePortal hub) : IClassFixture<GovernancePortal>
{
    private static readonly string[] Options = ["sd15", "sdxl", "flux-dev"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Results_are_live_while_open_and_frozen_by_the_first_read_after_the_end()
    {
        var a = await hub.NewAccountAsync(30);
        var b = await hub.NewAccountAsync(10);
        var id = await hub.ProposeAsync("single-choice", Options, end: hub.Now + 100);
        await hub.AcceptedAsync(a, Kind.Vote, hub.Vote(a, id, 1));
        await hub.AcceptedAsync(b, Kind.Vote, hub.Vote(b, id, 2));
        var live = await hub.ProposalAsync(id);

        hub.Clock.Advance(TimeSpan.FromSeconds(101));
        var frozenAt = hub.Clock.GetUtcNow();
        var closed = await hub.ProposalAsync(id);
        // A vote written behind the hub's back after the freeze: a frozen result never counts it.
        await using (var db = PostgresFixture.CreateContext(hub.App.ConnectionString))
        {
            db.GovernanceVotes.Add(new GovernanceVote
            {
                Id = "0x" + new string('f', 64), ProposalId = id, Voter = "0x" + new string('e', 40), Timestamp = hub.Now - 150, Choice = "3",
                Reason = "", App = "", Power = 1000m, ReceivedAt = hub.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(Ct);
        }
        hub.Clock.Advance(TimeSpan.FromSeconds(60));
        var later = await hub.ProposalAsync(id);
        var listed = (await hub.Http.GetFromJsonAsync<List<ProposalSummary>>("/" + GovernanceRoutes.Proposals(ProposalState.Closed), JsonSerializerOptions.Web, Ct))!;

        Assert.Equal(ProposalState.Active, live.Summary.State);
        Assert.Null(live.ResultsFrozenAt);
        Assert.Equal([30m, 10m, 0m], live.Summary.Scores);
        Assert.Equal(ProposalState.Closed, closed.Summary.State);
        Assert.Equal(frozenAt, closed.ResultsFrozenAt);
        Assert.Equal([30m, 10m, 0m], closed.Summary.Scores);
        Assert.Equal(frozenAt, later.ResultsFrozenAt);
        Assert.Equal([30m, 10m, 0m], later.Summary.Scores);
        Assert.Equal([30m, 10m, 0m], Assert.Single(listed, p => p.Id == id).Scores);
        await using (var db = PostgresFixture.CreateContext(hub.App.ConnectionString))
        {
            var stored = await db.GovernanceProposals.SingleAsync(p => p.Id == id, Ct);
            Assert.NotNull(stored.FrozenResult);
            Assert.Equal(frozenAt, stored.FrozenAt);
        }
        await hub.RefusedAsync(a, Kind.Vote, hub.Vote(a, id, 3), "not in voting window");
    }

    [Fact]
    public async Task Proposals_are_listed_by_state_newest_first_and_an_unknown_state_is_refused_by_name()
    {
        var author = await hub.NewAccountAsync(50);
        var pending = (await hub.AcceptedAsync(author, Kind.Proposal,
            hub.Proposal(author, "single-choice", Options, await hub.LatestBlockAsync(), start: hub.Now + 1000, end: hub.Now + 2000, title: "Pending"))).Id;
        hub.Clock.Advance(TimeSpan.FromSeconds(1));
        var active = await hub.ProposeAsync("single-choice", Options);
        hub.Clock.Advance(TimeSpan.FromSeconds(1));
        var cancelled = await hub.ProposeAsync("single-choice", Options);
        await hub.AcceptedAsync(GovernancePortal.Admin, Kind.CancelProposal, hub.Cancel(GovernancePortal.Admin, cancelled));

        async Task<List<string>> ListAsync(string query)
            => [.. (await hub.Http.GetFromJsonAsync<List<ProposalSummary>>("/api/proposals" + query, JsonSerializerOptions.Web, Ct))!.Select(p => p.Id)];
        var all = await ListAsync("");
        using var bad = await hub.Http.GetAsync("/api/proposals?state=open", Ct);

        Assert.Contains(pending, await ListAsync("?state=pending"));
        Assert.DoesNotContain(active, await ListAsync("?state=pending"));
        Assert.Contains(active, await ListAsync("?state=Active"));
        Assert.DoesNotContain(pending, await ListAsync("?state=active"));
        Assert.Equal([cancelled], (await ListAsync("?state=cancelled")).Where(id => id == cancelled));
        Assert.DoesNotContain(cancelled, all);
        Assert.True(all.IndexOf(active) < all.IndexOf(pending), "the newer proposal comes first");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("state", (await bad.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.Keys);
    }

    [Fact]
    public async Task Votes_come_in_pages_by_power_and_bad_paging_is_refused_naming_the_field()
    {
        var voters = new[] { await hub.NewAccountAsync(3), await hub.NewAccountAsync(7), await hub.NewAccountAsync(5) };
        var id = await hub.ProposeAsync("approval", Options);
        foreach (var voter in voters)
        {
            await hub.AcceptedAsync(voter, Kind.VoteArray, hub.Vote(voter, id, new System.Text.Json.Nodes.JsonArray(1)));
        }

        var first = await hub.VotesAsync(id, 1, 2);
        var second = await hub.VotesAsync(id, 2, 2);
        using var zero = await hub.Http.GetAsync($"/api/proposals/{id}/votes?page=0", Ct);
        using var huge = await hub.Http.GetAsync($"/api/proposals/{id}/votes?pageSize=101", Ct);
        using var text = await hub.Http.GetAsync($"/api/proposals/{id}/votes?page=two", Ct);
        using var unknown = await hub.Http.GetAsync($"/api/proposals/0x{new string('c', 64)}/votes", Ct);

        Assert.Equal([7m, 5m], first.Items.Select(v => v.Power));
        Assert.Equal([3m], second.Items.Select(v => v.Power));
        Assert.Equal((3, 2, 2), (second.Total, second.Page, second.PageSize));
        Assert.Contains("page", (await zero.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.Keys);
        Assert.Contains("pageSize", (await huge.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.Keys);
        Assert.Contains("page", (await text.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.Keys);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_voters_counted_vote_is_their_last_and_others_get_404_or_a_named_refusal()
    {
        var voter = await hub.NewAccountAsync(6);
        var bystander = await hub.NewAccountAsync(2);
        var id = await hub.ProposeAsync("single-choice", Options);
        await hub.AcceptedAsync(voter, Kind.Vote, hub.Vote(voter, id, 1));
        hub.Clock.Advance(TimeSpan.FromSeconds(2));
        var last = await hub.AcceptedAsync(voter, Kind.Vote, hub.Vote(voter, id, 3, reason: "changed my mind"));
        var address = voter.GetPublicAddress();

        var counted = await hub.Http.GetFromJsonAsync<VoteView>("/" + GovernanceRoutes.Vote(id, address.ToUpperInvariant().Replace("0X", "0x", StringComparison.Ordinal)), JsonSerializerOptions.Web, Ct);
        using var none = await hub.Http.GetAsync("/" + GovernanceRoutes.Vote(id, bystander.GetPublicAddress()), Ct);
        using var malformed = await hub.Http.GetAsync("/" + GovernanceRoutes.Vote(id, "0x1234"), Ct);
        using var unknown = await hub.Http.GetAsync("/" + GovernanceRoutes.Vote("0x" + new string('c', 64), address), Ct);

        Assert.Equal((last.Id, "flux-dev", 6m, "changed my mind"), (counted!.Id, counted.ChoiceText, counted.Power, counted.Reason));
        Assert.Equal(address, counted.Voter, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(["voter"], (await malformed.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.Keys);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("There is no proposal", await unknown.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_carry_an_etag_and_answer_304_until_something_changes()
    {
        var voter = await hub.NewAccountAsync(4);
        var id = await hub.ProposeAsync("single-choice", Options);
        var message = await hub.AcceptedAsync(voter, Kind.Vote, hub.Vote(voter, id, 1));
        string[] paths =
        [
            "/" + GovernanceRoutes.Proposal(id), "/" + GovernanceRoutes.Votes(id, 1, 20), "/" + GovernanceRoutes.SignedVotes(id),
            "/" + GovernanceRoutes.SignedMessage(message.Id), "/" + GovernanceRoutes.Proposals(ProposalState.Active),
        ];
        var tags = new List<EntityTagHeaderValue>();
        foreach (var path in paths)
        {
            using var first = await hub.Http.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
            var tag = first.Headers.ETag!;
            tags.Add(tag);
            using var again = new HttpRequestMessage(HttpMethod.Get, path);
            again.Headers.IfNoneMatch.Add(tag);
            using var notModified = await hub.Http.SendAsync(again, Ct);
            Assert.True(notModified.StatusCode == HttpStatusCode.NotModified, path);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Ct));
        }

        hub.Clock.Advance(TimeSpan.FromSeconds(1));
        await hub.AcceptedAsync(voter, Kind.Vote, hub.Vote(voter, id, 2));
        using var changed = new HttpRequestMessage(HttpMethod.Get, paths[0]);
        changed.Headers.IfNoneMatch.Add(tags[0]);
        using var fresh = await hub.Http.SendAsync(changed, Ct);

        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.NotEqual(tags[0], fresh.Headers.ETag);
    }

    [Fact]
    public async Task An_unknown_proposal_or_message_is_not_found()
    {
        var missing = "0x" + new string('d', 64);

        using var proposal = await hub.Http.GetAsync("/" + GovernanceRoutes.Proposal(missing), Ct);
        using var signed = await hub.Http.GetAsync("/" + GovernanceRoutes.SignedVotes(missing), Ct);
        using var message = await hub.Http.GetAsync("/" + GovernanceRoutes.SignedMessage(missing), Ct);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound], new[] { proposal.StatusCode, signed.StatusCode, message.StatusCode });
    }

    [Fact]
    public async Task The_space_names_its_id_threshold_weights_models_and_the_latest_block()
    {
        var before = await hub.LatestBlockAsync();

        var space = (await hub.Http.GetFromJsonAsync<GovernanceSpace>("/" + GovernanceRoutes.Space, JsonSerializerOptions.Web, Ct))!;

        Assert.Equal((GovernancePortal.Space, GovernancePortal.Threshold, 10_000), (space.Id, space.ProposalThreshold, space.MaxBodyLength));
        Assert.Equal(new VotingPowerWeights(1m, 1m, 1m, 1m), space.Weights);
        Assert.Equal(["sd15", "sdxl", "flux-dev"], space.Models);
        Assert.True(space.LatestBlock >= before);
    }

    [Fact]
    public async Task The_preview_renders_markdown_as_the_page_will_and_refuses_a_body_over_the_limit_or_none()
    {
        using var ok = await hub.Http.PostAsJsonAsync("/" + GovernanceRoutes.Preview, new BodyPreviewRequest("**hi** <script>x</script>"), Ct);
        using var tooLong = await hub.Http.PostAsJsonAsync("/" + GovernanceRoutes.Preview, new BodyPreviewRequest(new string('x', 10_001)), Ct);
        using var none = await hub.Http.PostAsJsonAsync("/" + GovernanceRoutes.Preview, new { text = "# hi" }, Ct);

        var html = (await ok.Content.ReadFromJsonAsync<BodyPreview>(Ct))!.Html;
        Assert.Contains("<strong>hi</strong>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("markdown", (await tooLong.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.Keys);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("markdown", (await none.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(Ct))!.Errors.Keys);
    }

    [Fact]
    public async Task The_server_client_submits_and_reads_as_the_pages_do()
    {
        var client = hub.Factory.Services.CreateScope().ServiceProvider.GetRequiredService<IGovernanceClient>();
        var author = await hub.NewAccountAsync(20);
        var envelope = GovernancePortal.Envelope(author, Kind.Proposal, hub.Proposal(author, "basic", ["For", "Against", "Abstain"], await hub.LatestBlockAsync()));

        var receipt = await client.SubmitAsync(envelope, Ct);
        var refused = await Assert.ThrowsAsync<Protocol.Api.ApiException>(() => client.SubmitAsync(envelope, Ct));
        var view = await client.GetProposalAsync(receipt.Id, Ct);

        Assert.Equal("proposal", receipt.Type);
        Assert.Equal(400, refused.Status);
        Assert.StartsWith("duplicate message", refused.Title, StringComparison.Ordinal);
        Assert.Equal("basic", view!.Summary.Type);
        Assert.Null(await client.GetProposalAsync("0x" + new string('9', 64), Ct));
    }
}
