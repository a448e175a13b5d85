using Heurist.Portal.Data.Chain;
using Npgsql;
using NpgsqlTypes;

namespace Heurist.NetworkGenerator;

/// <summary>
/// What the chain indexer would hold for the synthetic miners: each registered on chain by its owner, stakes of HEU
/// and esHEU from the owner and a few others, bribe changes, and NFTs minted from some of the images. Block numbers
/// sit far above anything a fresh anvil chain reaches, so the indexer's own rows never collide with them.
/// </summary>
internal static class SyntheticChain
{
    private const long FirstBlock = 20_000_000;
    private const long BlockTime = 2 * NetworkPlan.Second;
    private static readonly decimal Wei = 1_000_000_000_000_000_000m;
    private static readonly int[] BribeBasisPoints = [0, 500, 1000, 1500, 2000, 2500, 3000, 5000];
    private static readonly double[] BribeChangeCounts = [0.35, 0.35, 0.2, 0.1];
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    public static async Task<long> WriteAsync(NpgsqlConnection connection, NetworkPlan plan, IReadOnlyList<MintedImage> minted, long now, CancellationToken cancellationToken)
    {
        // The chain began well before the oldest registration; epochs are a day long from its start.
        var genesis = plan.WindowStart - 200 * NetworkPlan.Day;
        long BlockOf(long at) => FirstBlock + (at - genesis) / BlockTime;
        long EpochOf(long at) => (at - genesis) / NetworkPlan.Day;

        // One COPY at a time on a connection: the stakes are gathered while the miners are written.
        var stakeRows = new List<(string Staker, string ChainId, StakeKind Kind, decimal Amount, long Block)>();
        await using (var miners = await connection.BeginBinaryImportAsync(
            "COPY chain_miners (miner_chain_id, owner, registered_block) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var miner in plan.Miners)
            {
                var rng = Rng.For(plan.Options.Seed, NetworkPlan.ChainStream, miner.Index);
                var chainId = miner.ChainId;
                var registered = Math.Min(now, miner.RegisteredAt + (long)(rng.LogUniform(1, 2 * 24 * 60) * NetworkPlan.Minute));
                await miners.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(chainId, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(miner.RewardAddress, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await miners.WriteAsync(BlockOf(registered), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);

                long UpdatedBlock() => BlockOf(registered + (long)rng.Uniform(0, now - registered));
                decimal Tokens(double min, double max) => Math.Floor((decimal)rng.LogUniform(min, max)) * Wei + rng.Long(0, 1_000_000_000_000_000_000);
                // Owners stake on their own miner (10,000 makes it active); a few others stake on it too.
                if (rng.Chance(0.85))
                {
                    stakeRows.Add((miner.RewardAddress, chainId, StakeKind.Heu, Tokens(5_000, 200_000), UpdatedBlock()));
                }
                if (rng.Chance(0.45))
                {
                    stakeRows.Add((miner.RewardAddress, chainId, StakeKind.EsHeu, Tokens(500, 50_000), UpdatedBlock()));
                }
                if (stakeRows.Count == 0 || stakeRows[^1].ChainId != chainId)
                {
                    // Every miner has some stake; this one's owner stays under the 10,000 that makes a miner active.
                    stakeRows.Add((miner.RewardAddress, chainId, StakeKind.Heu, Tokens(500, 9_999), UpdatedBlock()));
                }
                foreach (var staker in Enumerable.Range(0, rng.Poisson(1.2)).Select(_ => rng.Pick(plan.Stakers)).Distinct(StringComparer.Ordinal).ToList())
                {
                    var kind = rng.Next();
                    if (kind < 0.8)
                    {
                        stakeRows.Add((staker, chainId, StakeKind.Heu, Tokens(100, 25_000), UpdatedBlock()));
                    }
                    if (kind >= 0.65)
                    {
                        stakeRows.Add((staker, chainId, StakeKind.EsHeu, Tokens(100, 25_000), UpdatedBlock()));
                    }
                }
            }
            await miners.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var stakes = await connection.BeginBinaryImportAsync(
            "COPY stakes (staker, miner_chain_id, kind, amount, updated_block) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var (staker, chainId, kind, amount, block) in stakeRows)
            {
                await stakes.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await stakes.WriteAsync(staker, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await stakes.WriteAsync(chainId, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await stakes.WriteAsync((short)kind, NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                await stakes.WriteAsync(amount, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await stakes.WriteAsync(block, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
            }
            await stakes.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var bribes = await connection.BeginBinaryImportAsync(
            "COPY bribe_changes (block_number, log_index, miner_chain_id, basis_points, effective_epoch, changed_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var miner in plan.Miners)
            {
                // A stream of its own, so that adding stake rules above does not move every bribe.
                var rng = Rng.For(plan.Options.Seed, NetworkPlan.ChainStream, -1 - miner.Index);
                var from = Math.Max(miner.RegisteredAt, genesis);
                var times = Enumerable.Range(0, rng.Weighted(BribeChangeCounts)).Select(_ => from + (long)rng.Uniform(0, now - from)).Order().ToList();
                for (var k = 0; k < times.Count; k++)
                {
                    await bribes.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await bribes.WriteAsync(BlockOf(times[k]), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    // Unique within a block: no two miners share a log index, nor two changes of one miner.
                    await bribes.WriteAsync(miner.Index * 4 + k, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                    await bribes.WriteAsync(miner.ChainId, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                    await bribes.WriteAsync(rng.Pick(BribeBasisPoints), NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                    await bribes.WriteAsync(EpochOf(times[k]) + 1, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    await bribes.WriteAsync(NetworkPlan.ToDateTime(times[k]), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                }
            }
            await bribes.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var tokens = await connection.BeginBinaryImportAsync(
            "COPY nft_tokens (image_hash, owner, model_id, uri, minted_block, mint_transaction_hash, minted_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            var rng = Rng.For(plan.Options.Seed, NetworkPlan.ChainStream, long.MaxValue);
            foreach (var image in minted)
            {
                var mintedAt = Math.Min(now, image.CompletedAt + (long)(rng.LogNormal(20, 1.5) * NetworkPlan.Minute));
                var cid = string.Concat(Enumerable.Range(0, 52).Select(_ => Base32[rng.Int(Base32.Length)]));
                await tokens.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await tokens.WriteAsync("0x" + image.Sha256, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await tokens.WriteAsync(plan.Collectors[(int)(plan.Collectors.Length * Math.Pow(rng.Next(), 2))], NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await tokens.WriteAsync(image.ModelId, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await tokens.WriteAsync("ipfs://bafkrei" + cid, NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await tokens.WriteAsync(BlockOf(mintedAt), NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await tokens.WriteAsync("0x" + rng.Hex(32), NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
                await tokens.WriteAsync(NetworkPlan.ToDateTime(mintedAt), NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
            }
            await tokens.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        return minted.Count;
    }
}
