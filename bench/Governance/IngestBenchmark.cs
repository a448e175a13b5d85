using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Heurist.Protocol.Governance;
using Microsoft.EntityFrameworkCore;
using Nethereum.Signer;

namespace Heurist.Bench.Governance;

/// <summary>
/// votes.ingest_per_s: pre-signed votes of as many funded holders posted to /api/msg over N connections, each verified
/// (shape, time, space, signature, window, choice, power read at the snapshot block) and stored; and baseline.rps, the
/// same connections on /health/live in the same run.
/// </summary>
internal static class IngestBenchmark
{
    public static async Task<bool> RunAsync(GovernanceStack stack, int votes, int connections, CancellationToken cancellationToken)
    {
        var keys = Enumerable.Range(0, votes).Select(_ => EthECKey.GenerateKey()).ToArray();
        await Console.Error.WriteLineAsync($"funding {votes:N0} holders…");
        await Voters.FundAsync(stack, [.. keys.Select(k => k.GetPublicAddress())], GovernanceStack.Tokens(100), cancellationToken);

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var owner = Heurist.Contracts.LocalChain.AnvilAccounts.Owner;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = stack.PortalUrl, Timeout = TimeSpan.FromSeconds(60) };
        var proposal = await Voters.SubmitAsync(http, Voters.Sign(owner, SnapshotMessageKind.Proposal,
            Voters.Proposal(owner.GetPublicAddress(), now, VotingType.SingleChoice, "Benchmark: which model next?", ["sd15", "sdxl", "flux-dev"],
                now - 60, now + 3600, await stack.LatestBlockAsync(), "{}")), cancellationToken);

        await Console.Error.WriteLineAsync($"signing {votes:N0} votes…");
        var envelopes = new ConcurrentQueue<string>(keys.Select((key, i) => Voters.Sign(key, SnapshotMessageKind.Vote,
            Voters.Vote(key.GetPublicAddress(), now, proposal, JsonValue.Create(1 + (i % 3))))));

        var baseline = await BaselineAsync(http, connections, TimeSpan.FromSeconds(5), cancellationToken);

        await Console.Error.WriteLineAsync($"load: {votes:N0} votes on {connections} connections");
        var refused = 0;
        var firstRefusal = "";
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            while (envelopes.TryDequeue(out var envelope))
            {
                try
                {
                    await Voters.SubmitAsync(http, envelope, cancellationToken);
                }
                catch (InvalidOperationException ex)
                {
                    if (Interlocked.Increment(ref refused) == 1)
                    {
                        firstRefusal = ex.Message;
                    }
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;

        int stored;
        await using (var db = stack.Database())
        {
            stored = await db.GovernanceVotes.CountAsync(v => v.ProposalId == proposal, cancellationToken);
        }
        Output.Line("votes.count", votes);
        Output.Line("votes.connections", connections);
        Output.Line("votes.ingest_per_s", (votes - refused) / seconds);
        Output.Line("votes.refused", refused);
        Output.Line("votes.stored", stored);
        Output.Line("baseline.rps", baseline);
        Output.Line("votes.ingest_ratio", (votes - refused) / seconds / baseline);
        if (refused > 0)
        {
            await Console.Error.WriteLineAsync($"FAILED: {refused} votes refused, the first: {firstRefusal}");
        }
        return refused == 0 && stored == votes;
    }

    private static async Task<double> BaselineAsync(HttpClient http, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var done = 0;
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        window.CancelAfter(duration);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
        {
            try
            {
                while (!window.IsCancellationRequested)
                {
                    using var response = await http.GetAsync("health/live", window.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref done);
                    }
                }
            }
            catch (OperationCanceledException) when (window.IsCancellationRequested)
            {
            }
        }));
        return done / clock.Elapsed.TotalSeconds;
    }
}
