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
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections }) { BaseAddress = stack.PortalUrl, Timeout = TimeSpan.FromMinutes(2) };

        // A fresh portal spends its first minute compiling (tiered JIT, EF's queries); the first holders vote once on
        // a warm-up proposal so that the measured run sees a portal in its steady state. Its snapshot is an earlier
        // block, so the measured votes still read every holder's power from the chain.
        var warmUpVoters = keys.Take(Math.Min(keys.Length, WarmUpVotes)).ToArray();
        var warmUp = await ProposeAsync(stack, http, now, "Warm-up", cancellationToken);
        await stack.MineAsync(cancellationToken);
        var proposal = await ProposeAsync(stack, http, now, "Benchmark: which model next?", cancellationToken);

        await Console.Error.WriteLineAsync($"signing {votes + warmUpVoters.Length:N0} votes…");
        var warmUpEnvelopes = Sign(warmUpVoters, now, warmUp);
        var envelopes = Sign(keys, now, proposal);

        await Console.Error.WriteLineAsync($"warm-up: {warmUpVoters.Length:N0} votes");
        await PostAllAsync(http, warmUpEnvelopes, connections, cancellationToken);
        var baseline = await BaselineAsync(http, connections, TimeSpan.FromSeconds(5), cancellationToken);

        await Console.Error.WriteLineAsync($"load: {votes:N0} votes on {connections} connections");
        var clock = Stopwatch.StartNew();
        var (refused, firstRefusal) = await PostAllAsync(http, envelopes, connections, cancellationToken);
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

    /// <summary>How many of the holders vote on the warm-up proposal before the measured run.</summary>
    private const int WarmUpVotes = 2_000;

    private static async Task<string> ProposeAsync(GovernanceStack stack, HttpClient http, long now, string title, CancellationToken cancellationToken)
    {
        var owner = Heurist.Contracts.LocalChain.AnvilAccounts.Owner;
        return await Voters.SubmitAsync(http, Voters.Sign(owner, SnapshotMessageKind.Proposal,
            Voters.Proposal(owner.GetPublicAddress(), now, VotingType.SingleChoice, title, ["sd15", "sdxl", "flux-dev"],
                now - 60, now + 3600, await stack.LatestBlockAsync(), "{}")), cancellationToken);
    }

    private static ConcurrentQueue<string> Sign(EthECKey[] keys, long now, string proposal)
        => new(keys.Select((key, i) => Voters.Sign(key, SnapshotMessageKind.Vote,
            Voters.Vote(key.GetPublicAddress(), now, proposal, JsonValue.Create(1 + (i % 3))))));

    /// <summary>Posts every envelope over <paramref name="connections"/> connections; returns how many were refused and the first reason.</summary>
    private static async Task<(int Refused, string First)> PostAllAsync(HttpClient http, ConcurrentQueue<string> envelopes, int connections, CancellationToken cancellationToken)
    {
        var refused = 0;
        var first = "";
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
                        first = ex.Message;
                    }
                }
            }
        }));
        return (refused, first);
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
