using System.Globalization;
using System.Numerics;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Shared;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Chain;
using Heurist.Protocol.Rewards;

namespace Heurist.Portal.Client.Features.Staking;

/// <summary>
/// The stake dialog's what-if, from the miner's outlook (GET /api/miners/{id}): <see cref="ExpectedApr.WhatIf"/> for
/// the amount typed, on top of the connected account's own stake on the miner when the portal has it, else as a new
/// stake; the staker's part split into HEU and esHEU as settlement splits it. Registered transient, so each dialog
/// reads the miner and the account once and keeps them while it is open; a failed read gives no estimate and is
/// tried again on the next amount.
/// </summary>
public sealed class OutlookStakeEstimates(INetworkStatsClient stats, IStakingClient staking, WalletService wallet) : IStakeEstimates
{
    private const int BpsScale = 10_000;

    private readonly Dictionary<string, MinerDetails?> _miners = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Account, string Miner), BigInteger> _ownStakes = [];

    public async Task<StakeEstimate?> EstimateAsync(string minerId, TokenKind kind, BigInteger amountWei, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(minerId);
        if (amountWei.Sign < 0 || await MinerAsync(minerId, cancellationToken) is not { } miner || miner.Outlook.ToInput() is not { } input)
        {
            return null;
        }
        var own = await OwnStakeAsync(miner.MinerChainId, cancellationToken);
        // The account's stake and the miner's total come from the same indexed events, but never let one exceed the other.
        var ownStake = own is { } known ? BigInteger.Min(known, input.TotalStakeWei) : BigInteger.Zero;
        var whatIf = ExpectedApr.WhatIf(input, amountWei, ownStake);
        if (!whatIf.HasHistory)
        {
            return null;
        }
        var esHeu = whatIf.StakerRewardPerEpochWei * miner.Outlook.EsHeuShareBps / BpsScale;
        return new StakeEstimate(
            whatIf.StakerRewardPerEpochWei - esHeu,
            esHeu,
            Basis(whatIf, ExpectedApr.Estimate(input).EpochsUsed, input, own is null || ownStake.IsZero ? null : ownStake),
            whatIf.StakerApr);
    }

    /// <summary>The what-if in words: the efficiency change, the staker's reward and rate, and what the others get before and after.</summary>
    public static string Basis(StakeWhatIf whatIf, int epochsUsed, MinerOutlookInput input, BigInteger? ownStakeWei)
    {
        ArgumentNullException.ThrowIfNull(whatIf);
        ArgumentNullException.ThrowIfNull(input);
        var start = ownStakeWei is { } own ? $"On top of your {TokenAmounts.Format(own)} staked" : "As a new stake";
        var rate = whatIf.StakerApr is { } apr ? $" (APR {Formatting.Percent(apr)})" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{start}: the miner's efficiency goes from {Efficiency(whatIf.EfficiencyBefore)} to {Efficiency(whatIf.EfficiencyAfter)}; "
            + $"you can expect ≈ {TokenAmounts.Format(whatIf.StakerRewardPerEpochWei)} HEU per epoch{rate}, "
            + $"and its other stakers ≈ {TokenAmounts.Format(whatIf.OthersRewardBeforeWei)} → {TokenAmounts.Format(whatIf.OthersRewardAfterWei)} HEU per epoch. "
            + $"From its last {epochsUsed} settled epoch{(epochsUsed == 1 ? "" : "s")}, uptime {Formatting.Percent(input.UptimePpm / 1_000_000m)} "
            + $"and bribe {Formatting.BasisPoints(input.BribeBps)}.");
    }

    private static string Efficiency(BigInteger numerator) => Formatting.Percent(StakeEfficiencyWei.ToDecimal(numerator));

    private async Task<MinerDetails?> MinerAsync(string minerId, CancellationToken cancellationToken)
    {
        if (_miners.TryGetValue(minerId, out var cached))
        {
            return cached;
        }
        try
        {
            return _miners[minerId] = await stats.GetMinerAsync(minerId, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            return null;
        }
    }

    /// <summary>The connected account's HEU and esHEU on the miner; null without an account, or when it could not be read.</summary>
    private async Task<BigInteger?> OwnStakeAsync(string minerChainId, CancellationToken cancellationToken)
    {
        if (wallet.State != WalletState.Connected || wallet.Account is not { } account)
        {
            return null;
        }
        if (_ownStakes.TryGetValue((account, minerChainId), out var cached))
        {
            return cached;
        }
        try
        {
            var positions = (await staking.GetAccountAsync(account, cancellationToken)).Positions;
            var stake = positions
                .Where(p => string.Equals(p.MinerChainId, minerChainId, StringComparison.OrdinalIgnoreCase))
                .Aggregate(BigInteger.Zero, (sum, p) => sum + p.Amount);
            return _ownStakes[(account, minerChainId)] = stake;
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException)
        {
            return null;
        }
    }
}
