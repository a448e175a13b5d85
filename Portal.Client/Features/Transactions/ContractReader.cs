using System.Numerics;
using System.Text.Json;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Chain;
using Heurist.Protocol.Chain;

namespace Heurist.Portal.Client.Features.Transactions;

/// <summary>
/// The contract reads the staking, vesting and miner pages make, as eth_call through the chain's public RPC (never the
/// wallet, so they work with the wallet on any network). Each answers null when the read failed; the pages say so.
/// </summary>
public sealed class ContractReader(WalletInterop interop, IChainClient chainClient)
{
    private ChainInfo? _chain;

    public async Task<ChainInfo?> ChainAsync(CancellationToken cancellationToken = default)
    {
        if (_chain is null)
        {
            try
            {
                _chain = await chainClient.GetChainAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or ApiException or JsonException or InvalidOperationException)
            {
                return null;
            }
        }
        return _chain;
    }

    /// <summary>The raw return data of a call to <paramref name="to"/>, or null when it reverted or the RPC failed.</summary>
    public async Task<string?> CallAsync(string to, string data, CancellationToken cancellationToken = default)
    {
        if (await ChainAsync(cancellationToken) is not { } chain)
        {
            return null;
        }
        var answer = await interop.RpcAsync(chain.RpcUrl, "eth_call", [new EthCall(to, data), "latest"], cancellationToken);
        return answer.Ok ? answer.ResultString : null;
    }

    public async Task<BigInteger?> UintAsync(Func<ChainContracts, string> contract, string data, CancellationToken cancellationToken = default)
        => await ChainAsync(cancellationToken) is { } chain ? ContractCalls.Word(await CallAsync(contract(chain.Contracts), data, cancellationToken)) : null;

    /// <summary>What <paramref name="owner"/> has let MinerStaking take of the token of <paramref name="kind"/>.</summary>
    public async Task<BigInteger?> StakingAllowanceAsync(TokenKind kind, string owner, CancellationToken cancellationToken = default)
        => await ChainAsync(cancellationToken) is { } chain
            ? ContractCalls.Word(await CallAsync(TokenAddress(chain, kind), ContractCalls.Allowance(owner, chain.Contracts.MinerStaking), cancellationToken))
            : null;

    /// <summary>The miner's owner on chain in lowercase hex: the zero address when it is not registered; null when the read failed.</summary>
    public async Task<string?> MinerOwnerAsync(string minerChainId, CancellationToken cancellationToken = default)
        => await ChainAsync(cancellationToken) is { } chain
            ? ContractCalls.AddressWord(await CallAsync(chain.Contracts.MinerStaking, ContractCalls.MinerOwner(minerChainId), cancellationToken))
            : null;

    /// <summary>The HEU and esHEU staked on the miner, in wei.</summary>
    public async Task<(BigInteger Heu, BigInteger EsHeu)?> MinerStakeAsync(string minerChainId, CancellationToken cancellationToken = default)
    {
        if (await ChainAsync(cancellationToken) is not { } chain)
        {
            return null;
        }
        var words = ContractCalls.Words(await CallAsync(chain.Contracts.MinerStaking, ContractCalls.MinerStake(minerChainId), cancellationToken));
        return words is [var heu, var esHeu] ? (heu, esHeu) : null;
    }

    /// <summary>MinerStaking's epoch clock: the current epoch, its length in seconds and epoch 0's start.</summary>
    public async Task<EpochClock?> EpochClockAsync(CancellationToken cancellationToken = default)
    {
        if (await ChainAsync(cancellationToken) is not { } chain)
        {
            return null;
        }
        var staking = chain.Contracts.MinerStaking;
        var current = CallAsync(staking, ContractCalls.CurrentEpoch(), cancellationToken);
        var length = CallAsync(staking, ContractCalls.EpochLength(), cancellationToken);
        var genesis = CallAsync(staking, ContractCalls.Genesis(), cancellationToken);
        return (ContractCalls.Word(await current), ContractCalls.Word(await length), ContractCalls.Word(await genesis)) is ({ } e, { } l, { } g) && l > 0
            ? new EpochClock((long)e, (long)l, DateTimeOffset.FromUnixTimeSeconds((long)g))
            : null;
    }

    /// <summary>The latest block's time: the chain's own clock, which tests (and a stalled L2) move apart from the browser's.</summary>
    public async Task<DateTimeOffset?> LatestBlockTimeAsync(CancellationToken cancellationToken = default)
    {
        if (await ChainAsync(cancellationToken) is not { } chain)
        {
            return null;
        }
        var answer = await interop.RpcAsync(chain.RpcUrl, "eth_getBlockByNumber", ["latest", false], cancellationToken);
        return answer is { Ok: true, Result: { ValueKind: JsonValueKind.Object } block }
            && block.TryGetProperty("timestamp", out var timestamp) && timestamp.ValueKind == JsonValueKind.String
            && ChainReads.ParseUint(timestamp.GetString()) is { } seconds && seconds < long.MaxValue
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds)
            : null;
    }

    /// <summary>Every vesting position of <paramref name="holder"/>, oldest first; null when a read failed.</summary>
    public async Task<IReadOnlyList<VestingPosition>?> VestingPositionsAsync(string holder, CancellationToken cancellationToken = default)
    {
        if (await ChainAsync(cancellationToken) is not { } chain)
        {
            return null;
        }
        var esHeu = chain.Contracts.EscrowedHeurist;
        if (ContractCalls.Word(await CallAsync(esHeu, ContractCalls.VestingCount(holder), cancellationToken)) is not { } count || count > 1_000)
        {
            return null;
        }
        var positions = new List<VestingPosition>((int)count);
        for (var id = 0; id < (int)count; id++)
        {
            var position = CallAsync(esHeu, ContractCalls.VestingPosition(holder, id), cancellationToken);
            var claimable = CallAsync(esHeu, ContractCalls.Claimable(holder, id), cancellationToken);
            if (ContractCalls.Words(await position) is not [var amount, var claimed, var start, var end]
                || ContractCalls.Word(await claimable) is not { } now)
            {
                return null;
            }
            positions.Add(new VestingPosition(id, amount, claimed, now,
                DateTimeOffset.FromUnixTimeSeconds((long)start), DateTimeOffset.FromUnixTimeSeconds((long)end)));
        }
        return positions;
    }

    public static string TokenAddress(ChainInfo chain, TokenKind kind)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return kind == TokenKind.Heu ? chain.Contracts.HeuristToken : chain.Contracts.EscrowedHeurist;
    }
}

/// <summary>MinerStaking's epochs: epoch e runs from Genesis + e × Length to Genesis + (e + 1) × Length.</summary>
public sealed record EpochClock(long Current, long LengthSeconds, DateTimeOffset Genesis)
{
    public DateTimeOffset StartOf(long epoch) => Genesis.AddSeconds(epoch * LengthSeconds);
}

/// <summary>A vesting position as esHEU reports it: amounts in wei; Claimable is what claimVested would pay now.</summary>
public sealed record VestingPosition(int Id, BigInteger Amount, BigInteger Claimed, BigInteger Claimable, DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>Vested so far: claimed plus claimable.</summary>
    public BigInteger Vested => Claimed + Claimable;

    /// <summary>The share of the position's time that has passed, by the chain's clock, from 0 to 1.</summary>
    public double Progress(DateTimeOffset chainNow)
        => End <= Start ? 1 : Math.Clamp((chainNow - Start) / (End - Start), 0, 1);
}
