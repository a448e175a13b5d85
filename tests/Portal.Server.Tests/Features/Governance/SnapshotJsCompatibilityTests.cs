using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Heurist.Contracts.LocalChain;
using Heurist.Protocol.Api.Governance;
using Heurist.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Heurist.Portal.Server.Tests.Features.Governance;

/// <summary>A governance portal listening on a real port, for clients outside the test process.</summary>
public sealed class ListeningGovernancePortal(PostgresFixture postgres, DeployedChainFixture chain) : IAsyncLifetime
{
    public GovernancePortal Portal { get; } = new(postgres, chain) { KestrelPort = FreePort.Next(), SystemClock = true };

    /// <summary>The address Kestrel listens on, such as http://127.0.0.1:5123.</summary>
    public string Url => Portal.Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    public ValueTask InitializeAsync() => Portal.InitializeAsync();

    public ValueTask DisposeAsync() => Portal.DisposeAsync();
}

/// <summary>
/// The real snapshot.js 0.17.5 Client712, with an ethers v5 Wallet on anvil dev account 8, against the portal over
/// HTTP: it proposes, votes in the three signed forms, cancels, is refused, and reads back, unchanged.
/// </summary>
[Integration]
public sealed class SnapshotJsCompatibilityTests(ListeningGovernancePortal listening, DeployedChainFixture chain) : IClassFixture<ListeningGovernancePortal>
{
    [Fact]
    public async Task A_snapshot_js_client_proposes_votes_in_every_form_cancels_and_reads_back_unchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        var node = FindOnPath("node");
        if (node is null)
        {
            Assert.Skip("node is not on PATH, so snapshot.js cannot run here; install Node 20 to run this check.");
        }
        var wallet = AnvilAccounts.Key(8);
        await GovernanceTreasury.FundAsync(chain, wallet.GetPublicAddress(), 40 * GovernancePortal.Token);
        var block = await listening.Portal.LatestBlockAsync();
        // Dev account 8 may hold HEU from elsewhere: its power at the block is whatever the portal reads there.
        var power = (await listening.Portal.Http.GetFromJsonAsync<VotingPowerView>("/" + GovernanceRoutes.Power(wallet.GetPublicAddress(), block), JsonSerializerOptions.Web, ct))!.Total;

        var output = await RunAsync(node, ct, Path.Combine(RepositoryPaths.Root, "tests", "Portal.Server.Tests", "Features", "Governance", "snapshot-client.mjs"),
            listening.Url, wallet.GetPrivateKey(), GovernancePortal.Space, block.ToString(CultureInfo.InvariantCulture));
        var result = JsonNode.Parse(output)!;

        Assert.Equal(wallet.GetPublicAddress(), result["address"]!.GetValue<string>());
        foreach (var receipt in Receipts(result))
        {
            Assert.Matches("^0x[0-9a-f]{64}$", receipt["id"]!.GetValue<string>());
            // snapshot.js's own getHash of the stored message is the id we answered, and its verify accepts the signature.
            Assert.True(receipt["hashMatches"]!.GetValue<bool>(), receipt.ToJsonString());
            Assert.True(receipt["signatureValid"]!.GetValue<bool>(), receipt.ToJsonString());
        }
        Assert.All(result["proposals"]!.AsObject(), p => Assert.Equal("proposal", p.Value!["type"]!.GetValue<string>()));
        Assert.All(result["votes"]!.AsObject(), v => Assert.Equal("vote", v.Value!["type"]!.GetValue<string>()));
        Assert.Equal("cancel-proposal", result["cancel"]!["type"]!.GetValue<string>());
        Assert.Equal("client_error", result["refusal"]!["error"]!.GetValue<string>());
        Assert.StartsWith("proposal cancelled", result["refusal"]!["error_description"]!.GetValue<string>(), StringComparison.Ordinal);

        var reads = result["reads"]!;
        Assert.True(power >= 40m);
        Assert.Equal([0m, power, 0m], Scores(reads["single"]!));
        Assert.Equal([power, 0m, power], Scores(reads["approval"]!));
        Assert.Equal([power * 0.7m, power * 0.3m, 0m], Scores(reads["weighted"]!));
        Assert.Equal("Cancelled", reads["cancelled"]!["summary"]!["state"]!.GetValue<string>());
        Assert.Equal("Active", reads["single"]!["summary"]!["state"]!.GetValue<string>());
        Assert.Equal(wallet.GetPublicAddress().ToLowerInvariant(), reads["weighted"]!["summary"]!["author"]!.GetValue<string>());
        Assert.Equal(block, reads["weighted"]!["summary"]!["snapshotBlock"]!.GetValue<long>());
        Assert.Contains("<strong>weighted</strong>", reads["weighted"]!["bodyHtml"]!.GetValue<string>(), StringComparison.Ordinal);
        var vote = Assert.Single((await listening.Portal.VotesAsync(result["proposals"]!["weighted"]!["id"]!.GetValue<string>())).Items);
        Assert.Equal(("sd15 70 %, sdxl 30 %", "a weighted vote", "snapshot-compat"), (vote.ChoiceText, vote.Reason, vote.App));
    }

    private static IEnumerable<JsonNode> Receipts(JsonNode result)
        => [.. result["proposals"]!.AsObject().Select(p => p.Value!), .. result["votes"]!.AsObject().Select(v => v.Value!), result["cancel"]!];

    private static decimal[] Scores(JsonNode view) => [.. view["summary"]!["scores"]!.AsArray().Select(s => s!.GetValue<decimal>())];

    private static async Task<string> RunAsync(string node, CancellationToken ct, params string[] arguments)
    {
        var start = new ProcessStartInfo(node) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(process.ExitCode == 0, $"snapshot-client.mjs failed with exit code {process.ExitCode}: {await stdout}{await stderr}");
        return await stdout;
    }

    private static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
