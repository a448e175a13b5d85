using System.Numerics;
using Heurist.Contracts.Bindings;
using static Heurist.Contracts.Tests.ContractRules.ProtocolChain;

namespace Heurist.Contracts.Tests.ContractRules;

/// <summary>MinerStaking: miners, HEU and esHEU stake, the 30-day HEU cooldown, instant stake moves, and bribes per epoch.</summary>
[Collection(ContractRulesGroup.Name)]
public sealed class MinerStakingTests(ProtocolChain chain)
{
    private const byte HeuKind = 0;
    private const byte EsHeuKind = 1;
    private const ulong Cooldown = 30 * Day;

    private MinerStakingContract Staking => chain.Contracts.Staking;

    /// <summary>A miner registered by a fresh owner.</summary>
    private async Task<(byte[] MinerId, EthECKey Owner)> RegisterMinerAsync(string label, CancellationToken ct)
    {
        var owner = await chain.NewAccountAsync(ct: ct);
        var minerId = UniqueId(label);
        await Staking.RegisterMinerAsync(chain.Send(owner), minerId, ct);
        return (minerId, owner);
    }

    /// <summary>A staker holding <paramref name="heu"/> HEU and <paramref name="esHeu"/> esHEU, both approved to the staking contract.</summary>
    private async Task<EthECKey> StakerAsync(BigInteger heu, BigInteger esHeu, CancellationToken ct)
    {
        var staker = await chain.NewAccountAsync(heu, esHeu, ct);
        await chain.Contracts.Heu.ApproveAsync(chain.Send(staker), Staking.Address, heu, ct);
        await chain.Contracts.EsHeu.ApproveAsync(chain.Send(staker), Staking.Address, esHeu, ct);
        return staker;
    }

    [Fact]
    public async Task Registering_a_miner_makes_the_caller_its_owner_and_the_id_cannot_be_registered_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await chain.NewAccountAsync(ct: ct);
        var other = await chain.NewAccountAsync(ct: ct);
        var minerId = UniqueId("rig-4090-01");
        Assert.Equal(AddressUtil.ZERO_ADDRESS, await Staking.MinerOwnerAsync(minerId));

        var receipt = await Staking.RegisterMinerAsync(chain.Send(owner), minerId, ct);

        var registered = Assert.Single(Staking.MinerRegisteredEvents(receipt));
        Assert.Equal(minerId, registered.MinerId);
        Assert.Equal(owner.Address, registered.Owner);
        Assert.Equal(owner.Address, await Staking.MinerOwnerAsync(minerId));
        var again = await Revert.WithAsync("MinerAlreadyRegistered", () => Staking.RegisterMinerAsync(chain.Send(other), minerId, ct));
        Assert.Equal(minerId, again["minerId"]);
        await Revert.WithAsync("MinerAlreadyRegistered", () => Staking.RegisterMinerAsync(chain.Send(owner), minerId, ct));
        Assert.Equal(owner.Address, await Staking.MinerOwnerAsync(minerId));
    }

    [Fact]
    public async Task Staking_heu_pulls_the_tokens_and_counts_for_the_staker_the_miner_and_the_total()
    {
        var ct = TestContext.Current.CancellationToken;
        var (minerId, _) = await RegisterMinerAsync("stake-heu", ct);
        var staker = await StakerAsync(Heu(500), 0, ct);
        var total = await Staking.TotalStakedAsync();
        var held = await chain.Contracts.Heu.BalanceOfAsync(Staking.Address);

        var receipt = await Staking.StakeAsync(chain.Send(staker), minerId, HeuKind, Heu(200), ct);

        var staked = Assert.Single(Staking.StakedEvents(receipt));
        Assert.Equal((staker.Address, HeuKind, Heu(200)), (staked.Staker, staked.Kind, staked.Amount));
        Assert.Equal(minerId, staked.MinerId);
        Assert.Equal(Heu(200), await Staking.StakeOfAsync(staker.Address, minerId, HeuKind));
        Assert.Equal(BigInteger.Zero, await Staking.StakeOfAsync(staker.Address, minerId, EsHeuKind));
        var miner = await Staking.MinerStakeAsync(minerId);
        Assert.Equal((Heu(200), BigInteger.Zero), (miner.HeuStaked, miner.EsHeuStaked));
        var totalAfter = await Staking.TotalStakedAsync();
        Assert.Equal((total.HeuStaked + Heu(200), total.EsHeuStaked), (totalAfter.HeuStaked, totalAfter.EsHeuStaked));
        Assert.Equal(Heu(300), await chain.Contracts.Heu.BalanceOfAsync(staker.Address));
        Assert.Equal(held + Heu(200), await chain.Contracts.Heu.BalanceOfAsync(Staking.Address));
    }

    [Fact]
    public async Task Staking_esheu_moves_the_non_transferable_token_into_staking_and_counts_it_apart_from_heu()
    {
        var ct = TestContext.Current.CancellationToken;
        var (minerId, _) = await RegisterMinerAsync("stake-esheu", ct);
        var staker = await StakerAsync(0, Heu(80), ct);
        var total = await Staking.TotalStakedAsync();

        var receipt = await Staking.StakeAsync(chain.Send(staker), minerId, EsHeuKind, Heu(80), ct);

        var staked = Assert.Single(Staking.StakedEvents(receipt));
        Assert.Equal((staker.Address, EsHeuKind, Heu(80)), (staked.Staker, staked.Kind, staked.Amount));
        Assert.Equal(Heu(80), await Staking.StakeOfAsync(staker.Address, minerId, EsHeuKind));
        var miner = await Staking.MinerStakeAsync(minerId);
        Assert.Equal((BigInteger.Zero, Heu(80)), (miner.HeuStaked, miner.EsHeuStaked));
        Assert.Equal(total.EsHeuStaked + Heu(80), (await Staking.TotalStakedAsync()).EsHeuStaked);
        Assert.Equal(BigInteger.Zero, await chain.Contracts.EsHeu.BalanceOfAsync(staker.Address));
    }

    [Fact]
    public async Task Staking_refuses_an_invalid_kind_a_zero_amount_an_unknown_miner_and_a_missing_allowance()
    {
        var ct = TestContext.Current.CancellationToken;
        var (minerId, _) = await RegisterMinerAsync("stake-refusals", ct);
        var staker = await StakerAsync(Heu(10), 0, ct);
        var unknown = UniqueId("never-registered");

        var kind = await Revert.WithAsync("InvalidTokenKind", () => Staking.StakeAsync(chain.Send(staker), minerId, 2, Heu(1), ct));
        await Revert.WithAsync("ZeroAmount", () => Staking.StakeAsync(chain.Send(staker), minerId, HeuKind, BigInteger.Zero, ct));
        var miner = await Revert.WithAsync("UnknownMiner", () => Staking.StakeAsync(chain.Send(staker), unknown, HeuKind, Heu(1), ct));
        var allowance = await Revert.WithAsync("ERC20InsufficientAllowance", () => Staking.StakeAsync(chain.Send(staker), minerId, EsHeuKind, Heu(1), ct));
        var stakeOf = await Revert.WithAsync("InvalidTokenKind", () => Staking.StakeOfAsync(staker.Address, minerId, 7));

        Assert.Equal(new BigInteger(2), kind["kind"]);
        Assert.Equal(unknown, miner["minerId"]);
        Assert.Equal(Staking.Address, allowance["spender"]);
        Assert.Equal(new BigInteger(7), stakeOf["kind"]);
        var stake = await Staking.MinerStakeAsync(minerId);
        Assert.Equal((BigInteger.Zero, BigInteger.Zero), (stake.HeuStaked, stake.EsHeuStaked));
        Assert.Equal(Heu(10), await chain.Contracts.Heu.BalanceOfAsync(staker.Address));
    }

    [Fact]
    public async Task A_miner_is_active_from_10000_staked_in_heu_and_esheu_together_and_not_one_wei_below()
    {
        var ct = TestContext.Current.CancellationToken;
        var (minerId, _) = await RegisterMinerAsync("active-threshold", ct);
        var staker = await StakerAsync(Heu(6_000), Heu(4_000), ct);
        Assert.Equal(Heu(10_000), await Staking.MinActiveStakeAsync());

        await Staking.StakeAsync(chain.Send(staker), minerId, HeuKind, Heu(6_000) - 1, ct);
        await Staking.StakeAsync(chain.Send(staker), minerId, EsHeuKind, Heu(4_000), ct);
        Assert.False(await Staking.IsActiveAsync(minerId)); // 9,999.999999999999999999

        await Staking.StakeAsync(chain.Send(staker), minerId, HeuKind, BigInteger.One, ct);
        Assert.True(await Staking.IsActiveAsync(minerId)); // 10,000

        await Staking.UnstakeAsync(chain.Send(staker), minerId, EsHeuKind, BigInteger.One, ct);
        Assert.False(await Staking.IsActiveAsync(minerId));
        Assert.False(await Staking.IsActiveAsync(UniqueId("no-stake")));
    }

    [Fact]
    public async Task Unstaking_heu_opens_a_30_day_cooldown_and_withdraw_refuses_before_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var (minerId, _) = await RegisterMinerAsync("cooldown", ct);
        var staker = await StakerAsync(Heu(1_000), 0, ct);
        var stranger = await chain.NewAccountAsync(ct: ct);
        await Staking.StakeAsync(chain.Send(staker), minerId, HeuKind, Heu(1_000), ct);
        var total = await Staking.TotalStakedAsync();

        var receipt = await Staking.UnstakeAsync(chain.Send(staker), minerId, HeuKind, Heu(400), ct);

        var requested = Assert.Single(Staking.UnstakeRequestedEvents(receipt));
        var availableAt = await chain.TimestampOfAsync(receipt, ct) + Cooldown;
        Assert.Equal((staker.Address, Heu(400), availableAt), (requested.Staker, requested.Amount, requested.AvailableAt));
        Assert.Equal(minerId, requested.MinerId);
        Assert.Empty(Staking.UnstakedEvents(receipt));
        var requestId = requested.RequestId;
        var request = await Staking.UnstakeRequestAsync(requestId);
        Assert.Equal((staker.Address, Heu(400), availableAt, false), (request.Staker, request.Amount, request.AvailableAt, request.Withdrawn));
        Assert.Equal(minerId, request.MinerId);
        // The stake stops counting at once, but the HEU stays in the contract during the cooldown.
        Assert.Equal(Heu(600), await Staking.StakeOfAsync(staker.Address, minerId, HeuKind));
        Assert.Equal(Heu(600), (await Staking.MinerStakeAsync(minerId)).HeuStaked);
        Assert.Equal(total.HeuStaked - Heu(400), (await Staking.TotalStakedAsync()).HeuStaked);
        Assert.Equal(BigInteger.Zero, await chain.Contracts.Heu.BalanceOfAsync(staker.Address));

        var early = await Revert.WithAsync("CooldownNotOver", () => Staking.WithdrawAsync(chain.Send(staker), requestId, ct));
        Assert.Equal((requestId, (BigInteger)availableAt), (early["requestId"], early["availableAt"]));
        await chain.IncreaseTimeToAsync(availableAt - 3600, ct);
        await Revert.WithAsync("CooldownNotOver", () => Staking.WithdrawAsync(chain.Send(staker), requestId, ct));
        var notTheirs = await Revert.WithAsync("NotRequestOwner", () => Staking.WithdrawAsync(chain.Send(stranger), requestId, ct));
        Assert.Equal(requestId, notTheirs["requestId"]);

        await chain.IncreaseTimeToAsync(availableAt, ct);
        var withdrawal = await Staking.WithdrawAsync(chain.Send(staker), requestId, ct);

        var withdrawn = Assert.Single(Staking.WithdrawnEvents(withdrawal));
        Assert.Equal((staker.Address, requestId, Heu(400)), (withdrawn.Staker, withdrawn.RequestId, withdrawn.Amount));
        Assert.Equal(Heu(400), await chain.Contracts.Heu.BalanceOfAsync(staker.Address));
        Assert.True((await Staking.UnstakeRequestAsync(requestId)).Withdrawn);
        var twice = await Revert.WithAsync("AlreadyWithdrawn", () => Staking.WithdrawAsync(chain.Send(staker), requestId, ct));
        Assert.Equal(requestId, twice["requestId"]);
        Assert.Equal(Heu(400), await chain.Contracts.Heu.BalanceOfAsync(staker.Address));
    }

    [Fact]
    public async Task An_unknown_unstake_request_is_refused_by_withdraw_and_by_the_read()
    {
        var ct = TestContext.Current.CancellationToken;
        var staker = await chain.NewAccountAsync(ct: ct);
        var unknown = BigInteger.Pow(2, 200);

        var withdraw = await Revert.WithAsync("UnknownRequest", () => Staking.WithdrawAsync(chain.Send(staker), unknown, ct));
        var read = await Revert.WithAsync("UnknownRequest", () => Staking.UnstakeRequestAsync(BigInteger.Zero));

        Assert.Equal(unknown, withdraw["requestId"]);
        Assert.Equal(BigInteger.Zero, read["requestId"]);
    }

    [Fact]
    public async Task Unstaking_esheu_returns_it_at_once_without_a_request()
    {
        var ct = TestContext.Current.CancellationToken;
        var (minerId, _) = await RegisterMinerAsync("unstake-esheu", ct);
        var staker = await StakerAsync(0, Heu(50), ct);
        await Staking.StakeAsync(chain.Send(staker), minerId, EsHeuKind, Heu(50), ct);
        var total = await Staking.TotalStakedAsync();

        var receipt = await Staking.UnstakeAsync(chain.Send(staker), minerId, EsHeuKind, Heu(20), ct);

        var unstaked = Assert.Single(Staking.UnstakedEvents(receipt));
        Assert.Equal((staker.Address, EsHeuKind, Heu(20)), (unstaked.Staker, unstaked.Kind, unstaked.Amount));
        Assert.Equal(minerId, unstaked.MinerId);
        Assert.Empty(Staking.UnstakeRequestedEvents(receipt));
        Assert.Equal(Heu(20), await chain.Contracts.EsHeu.BalanceOfAsync(staker.Address));
        Assert.Equal(Heu(30), await Staking.StakeOfAsync(staker.Address, minerId, EsHeuKind));
        Assert.Equal(Heu(30), (await Staking.MinerStakeAsync(minerId)).EsHeuStaked);
        Assert.Equal(total.EsHeuStaked - Heu(20), (await Staking.TotalStakedAsync()).EsHeuStaked);
    }

    [Fact]
    public async Task Unstaking_refuses_more_than_the_stake_of_that_kind_zero_and_an_invalid_kind()
    {
        var ct = TestContext.Current.CancellationToken;
        var (minerId, _) = await RegisterMinerAsync("unstake-refusals", ct);
        var staker = await StakerAsync(Heu(10), 0, ct);
        await Staking.StakeAsync(chain.Send(staker), minerId, HeuKind, Heu(10), ct);

        var tooMuch = await Revert.WithAsync("InsufficientStake", () => Staking.UnstakeAsync(chain.Send(staker), minerId, HeuKind, Heu(11), ct));
        var otherKind = await Revert.WithAsync("InsufficientStake", () => Staking.UnstakeAsync(chain.Send(staker), minerId, EsHeuKind, Heu(1), ct));
        await Revert.WithAsync("ZeroAmount", () => Staking.UnstakeAsync(chain.Send(staker), minerId, HeuKind, BigInteger.Zero, ct));
        await Revert.WithAsync("InvalidTokenKind", () => Staking.UnstakeAsync(chain.Send(staker), minerId, 2, Heu(1), ct));

        Assert.Equal((Heu(10), Heu(11)), (tooMuch["available"], tooMuch["requested"]));
        Assert.Equal((BigInteger.Zero, Heu(1)), (otherKind["available"], otherKind["requested"]));
        Assert.Equal(Heu(10), await Staking.StakeOfAsync(staker.Address, minerId, HeuKind));
    }

    [Fact]
    public async Task Transferring_stake_moves_it_between_miners_instantly_keeping_its_kind_and_moving_no_tokens()
    {
        var ct = TestContext.Current.CancellationToken;
        var (from, _) = await RegisterMinerAsync("transfer-from", ct);
        var (to, _) = await RegisterMinerAsync("transfer-to", ct);
        var staker = await StakerAsync(Heu(100), Heu(50), ct);
        await Staking.StakeAsync(chain.Send(staker), from, HeuKind, Heu(100), ct);
        await Staking.StakeAsync(chain.Send(staker), from, EsHeuKind, Heu(50), ct);
        var total = await Staking.TotalStakedAsync();
        var heuHeld = await chain.Contracts.Heu.BalanceOfAsync(Staking.Address);

        var heuMove = await Staking.TransferStakeAsync(chain.Send(staker), from, to, HeuKind, Heu(60), ct);
        await Staking.TransferStakeAsync(chain.Send(staker), from, to, EsHeuKind, Heu(50), ct);

        var moved = Assert.Single(Staking.StakeTransferredEvents(heuMove));
        Assert.Equal((staker.Address, HeuKind, Heu(60)), (moved.Staker, moved.Kind, moved.Amount));
        Assert.Equal(from, moved.FromMiner);
        Assert.Equal(to, moved.ToMiner);
        Assert.Empty(chain.Contracts.Heu.TransferEvents(heuMove));
        Assert.Equal(Heu(40), await Staking.StakeOfAsync(staker.Address, from, HeuKind));
        Assert.Equal(BigInteger.Zero, await Staking.StakeOfAsync(staker.Address, from, EsHeuKind));
        Assert.Equal(Heu(60), await Staking.StakeOfAsync(staker.Address, to, HeuKind));
        Assert.Equal(Heu(50), await Staking.StakeOfAsync(staker.Address, to, EsHeuKind));
        var fromStake = await Staking.MinerStakeAsync(from);
        var toStake = await Staking.MinerStakeAsync(to);
        Assert.Equal((Heu(40), BigInteger.Zero), (fromStake.HeuStaked, fromStake.EsHeuStaked));
        Assert.Equal((Heu(60), Heu(50)), (toStake.HeuStaked, toStake.EsHeuStaked));
        var totalAfter = await Staking.TotalStakedAsync();
        Assert.Equal((total.HeuStaked, total.EsHeuStaked), (totalAfter.HeuStaked, totalAfter.EsHeuStaked));
        Assert.Equal(heuHeld, await chain.Contracts.Heu.BalanceOfAsync(Staking.Address));
    }

    [Fact]
    public async Task Transferring_stake_refuses_the_same_miner_an_unknown_miner_more_than_staked_zero_and_an_invalid_kind()
    {
        var ct = TestContext.Current.CancellationToken;
        var (from, _) = await RegisterMinerAsync("transfer-refusals-from", ct);
        var (to, _) = await RegisterMinerAsync("transfer-refusals-to", ct);
        var unknown = UniqueId("transfer-unknown");
        var staker = await StakerAsync(Heu(10), 0, ct);
        await Staking.StakeAsync(chain.Send(staker), from, HeuKind, Heu(10), ct);

        await Revert.WithAsync("SameMiner", () => Staking.TransferStakeAsync(chain.Send(staker), from, from, HeuKind, Heu(1), ct));
        var unknownMiner = await Revert.WithAsync("UnknownMiner", () => Staking.TransferStakeAsync(chain.Send(staker), from, unknown, HeuKind, Heu(1), ct));
        var tooMuch = await Revert.WithAsync("InsufficientStake", () => Staking.TransferStakeAsync(chain.Send(staker), from, to, HeuKind, Heu(11), ct));
        var otherKind = await Revert.WithAsync("InsufficientStake", () => Staking.TransferStakeAsync(chain.Send(staker), from, to, EsHeuKind, Heu(1), ct));
        await Revert.WithAsync("ZeroAmount", () => Staking.TransferStakeAsync(chain.Send(staker), from, to, HeuKind, BigInteger.Zero, ct));
        await Revert.WithAsync("InvalidTokenKind", () => Staking.TransferStakeAsync(chain.Send(staker), from, to, 3, Heu(1), ct));

        Assert.Equal(unknown, unknownMiner["minerId"]);
        Assert.Equal((Heu(10), Heu(11)), (tooMuch["available"], tooMuch["requested"]));
        Assert.Equal((BigInteger.Zero, Heu(1)), (otherKind["available"], otherKind["requested"]));
        Assert.Equal(Heu(10), await Staking.StakeOfAsync(staker.Address, from, HeuKind));
        Assert.Equal(BigInteger.Zero, await Staking.StakeOfAsync(staker.Address, to, HeuKind));
    }

    [Fact]
    public async Task A_bribe_takes_effect_from_the_next_epoch_and_a_second_change_in_the_same_epoch_replaces_the_pending_one()
    {
        var ct = TestContext.Current.CancellationToken;
        var (minerId, owner) = await RegisterMinerAsync("bribe", ct);
        await StartOfNextEpochAsync(ct);
        var epoch = await Staking.CurrentEpochAsync();

        var first = await Staking.SetBribeAsync(chain.Send(owner), minerId, 2_500, ct);
        var second = await Staking.SetBribeAsync(chain.Send(owner), minerId, 3_000, ct);

        var set = Assert.Single(Staking.BribeSetEvents(first));
        Assert.Equal(minerId, set.MinerId);
        Assert.Equal(((ushort)2_500, epoch + 1), (set.Bps, set.EffectiveEpoch));
        var replaced = Assert.Single(Staking.BribeSetEvents(second));
        Assert.Equal(((ushort)3_000, epoch + 1), (replaced.Bps, replaced.EffectiveEpoch));
        Assert.Equal(epoch, await Staking.CurrentEpochAsync());
        Assert.Equal((ushort)0, await Staking.BribeOfAsync(minerId, epoch));
        Assert.Equal((ushort)3_000, await Staking.BribeOfAsync(minerId, epoch + 1));
        Assert.Equal((ushort)3_000, await Staking.BribeOfAsync(minerId, ulong.MaxValue));

        await chain.IncreaseTimeAsync(EpochLengthSeconds, ct);
        Assert.Equal(epoch + 1, await Staking.CurrentEpochAsync());
        var third = await Staking.SetBribeAsync(chain.Send(owner), minerId, 10_000, ct);

        Assert.Equal(epoch + 2, Assert.Single(Staking.BribeSetEvents(third)).EffectiveEpoch);
        Assert.Equal((ushort)0, await Staking.BribeOfAsync(minerId, epoch));
        Assert.Equal((ushort)3_000, await Staking.BribeOfAsync(minerId, epoch + 1));
        Assert.Equal((ushort)10_000, await Staking.BribeOfAsync(minerId, epoch + 2));
    }

    [Fact]
    public async Task Only_the_miners_owner_sets_its_bribe_and_never_above_10000_bps()
    {
        var ct = TestContext.Current.CancellationToken;
        var (minerId, owner) = await RegisterMinerAsync("bribe-refusals", ct);
        var stranger = await chain.NewAccountAsync(ct: ct);
        var unknown = UniqueId("bribe-unknown");

        var notOwner = await Revert.WithAsync("NotMinerOwner", () => Staking.SetBribeAsync(chain.Send(stranger), minerId, 100, ct));
        var unregistered = await Revert.WithAsync("NotMinerOwner", () => Staking.SetBribeAsync(chain.Send(stranger), unknown, 100, ct));
        var tooHigh = await Revert.WithAsync("BribeTooHigh", () => Staking.SetBribeAsync(chain.Send(owner), minerId, 10_001, ct));

        Assert.Equal(minerId, notOwner["minerId"]);
        Assert.Equal(stranger.Address, notOwner["caller"]);
        Assert.Equal(unknown, unregistered["minerId"]);
        Assert.Equal(new BigInteger(10_001), tooHigh["bps"]);
        Assert.Equal((ushort)10_000, await Staking.MaxBribeBpsAsync());
        var epoch = await Staking.CurrentEpochAsync();
        Assert.Equal((ushort)0, await Staking.BribeOfAsync(minerId, epoch + 1));
    }

    [Fact]
    public async Task The_epoch_is_the_time_since_deployment_divided_by_the_epoch_length()
    {
        var ct = TestContext.Current.CancellationToken;
        var genesis = await Staking.GenesisAsync();
        var now = await chain.LatestTimestampAsync(ct);

        Assert.Equal(EpochLengthSeconds, await Staking.EpochLengthAsync());
        Assert.Equal((now - genesis) / EpochLengthSeconds, await Staking.CurrentEpochAsync());
        Assert.Equal(chain.Contracts.Heu.Address, await Staking.HeuAsync());
        Assert.Equal(chain.Contracts.EsHeu.Address, await Staking.EsHeuAsync());
        Assert.Equal(new BigInteger(Cooldown), await Staking.HeuCooldownAsync());
    }

    [Fact]
    public async Task A_staking_contract_with_epochs_of_zero_seconds_cannot_be_deployed()
    {
        var ct = TestContext.Current.CancellationToken;
        var deployer = await chain.NewAccountAsync(ct: ct);

        var refused = await Assert.ThrowsAsync<ContractRevertedException>(
            () => MinerStakingContract.DeployAsync(chain.Send(deployer), chain.Contracts.Heu.Address, chain.Contracts.EsHeu.Address, 0, ct));

        Assert.Equal(("InvalidEpochLength", "constructor"), (refused.ErrorName, refused.Function));
    }

    /// <summary>Moves the clock to the first second of the next epoch, so that a test has the whole epoch ahead of it.</summary>
    private async Task StartOfNextEpochAsync(CancellationToken ct)
    {
        var genesis = await Staking.GenesisAsync();
        var now = await chain.LatestTimestampAsync(ct);
        await chain.IncreaseTimeToAsync(genesis + ((now - genesis) / EpochLengthSeconds + 1) * EpochLengthSeconds, ct);
    }
}
