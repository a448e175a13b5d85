using System.Text.Json;
using Heurist.Testing;

namespace Heurist.Portal.Server.Tests.Features.Governance;

/// <summary>The governance settings are checked at start, and the API is in the OpenAPI document.</summary>
public sealed class GovernanceSetupTests(PostgresFixture postgres, DeployedChainFixture chain)
{
    [Theory]
    [InlineData("Governance:Space", "not a space!", "Governance:Space must be 1 to 64 letters, digits")]
    [InlineData("Governance:MaxBodyLength", "0", "Governance:MaxBodyLength must be between 1 and 100000.")]
    [InlineData("Governance:HeuWeight", "-1", "Governance:HeuWeight must be between 0 and 1000.")]
    [InlineData("Governance:ProposalThreshold", "-5", "Governance:ProposalThreshold must be between 0 and 1e12.")]
    public async Task A_bad_governance_setting_stops_the_portal_naming_the_key(string key, string value, string message)
    {
        await using var portal = new PortalApp(postgres, chain);
        await portal.InitializeAsync();
        portal.Settings[key] = value;

        // The portal writes "error: …" and stops before it serves; the assembly captures the console into the output.
        Assert.Throws<InvalidOperationException>(() => portal.CreateClient());

        var output = TestContext.Current.TestOutputHelper!.Output;
        Assert.Contains("error: ", output, StringComparison.Ordinal);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proposal_takes_the_quorum_of_the_settings_and_reaches_it_with_enough_power_cast()
    {
        await using var hub = new GovernancePortal(postgres, chain);
        hub.Settings["Governance:Quorum"] = "50";
        await hub.InitializeAsync();
        var a = await hub.NewAccountAsync(30);
        var b = await hub.NewAccountAsync(25);
        var id = await hub.ProposeAsync("basic", ["For", "Against", "Abstain"]);

        await hub.AcceptedAsync(a, Protocol.Governance.SnapshotMessageKind.Vote, hub.Vote(a, id, 3));
        var belowQuorum = (await hub.ProposalAsync(id)).Summary;
        await hub.AcceptedAsync(b, Protocol.Governance.SnapshotMessageKind.Vote, hub.Vote(b, id, 1));
        var reached = (await hub.ProposalAsync(id)).Summary;

        Assert.Equal((50m, false, 30m), (belowQuorum.Quorum, belowQuorum.QuorumReached, belowQuorum.ScoresTotal));
        Assert.Empty(belowQuorum.Leading);
        Assert.Equal((50m, true, 55m), (reached.Quorum, reached.QuorumReached, reached.ScoresTotal));
        Assert.Equal(["For"], reached.Leading);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_hub_and_the_governance_reads()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var portal = new PortalApp(postgres, chain);
        await portal.InitializeAsync();

        using var document = JsonDocument.Parse(await portal.CreateClient().GetStringAsync("/openapi/v1.json", ct));
        var paths = document.RootElement.GetProperty("paths");

        var post = paths.GetProperty("/api/msg").GetProperty("post");
        Assert.True(post.GetProperty("responses").TryGetProperty("413", out _));
        Assert.True(post.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        var votes = paths.GetProperty("/api/proposals/{id}/votes").GetProperty("get");
        Assert.Equal(["id", "page", "pageSize"], votes.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.True(votes.GetProperty("responses").TryGetProperty("304", out _));
        foreach (var path in new[] { "/api/msg/{id}", "/api/governance/space", "/api/proposals", "/api/proposals/{id}", "/api/proposals/{id}/votes.json", "/api/governance/power/{address}" })
        {
            Assert.True(paths.GetProperty(path).GetProperty("get").TryGetProperty("summary", out _), path);
        }
        Assert.True(paths.GetProperty("/api/governance/preview").TryGetProperty("post", out _));
    }
}
