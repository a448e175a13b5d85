using System.Numerics;
using static Heurist.Contracts.Tests.ContractRules.ProtocolChain;

namespace Heurist.Contracts.Tests.ContractRules;

/// <summary>esHEU: backed 1:1 by HEU, moved only by protocol contracts, vested back into HEU linearly over 365 days.</summary>
[Collection(ContractRulesGroup.Name)]
public sealed class EscrowedHeuristTests(ProtocolChain chain)
{
    private const ulong VestingSeconds = 365 * Day;

    [Fact]
    public async Task The_deployer_makes_staking_and_the_distributor_protocol_contracts_and_nobody_else()
    {
        var ct = TestContext.Current.CancellationToken;
        var contracts = await chain.DeployAsync(ct);

        Assert.True(await contracts.EsHeu.IsProtocolContractAsync(contracts.Staking.Address));
        Assert.True(await contracts.EsHeu.IsProtocolContractAsync(contracts.Distributor.Address));
        Assert.False(await contracts.EsHeu.IsProtocolContractAsync(Owner.Address));
        Assert.False(await contracts.EsHeu.IsProtocolContractAsync(contracts.Nft.Address));
        Assert.Equal(contracts.Heu.Address, await contracts.EsHeu.HeuAsync());
        Assert.Equal(BigInteger.Zero, await contracts.EsHeu.TotalSupplyAsync());
        Assert.Equal(VestingSeconds, (ulong)await contracts.EsHeu.VestingDurationAsync());
    }

    [Fact]
    public async Task A_holder_cannot_transfer_esheu_nor_can_a_spender_it_approved_that_is_not_a_protocol_contract()
    {
        var ct = TestContext.Current.CancellationToken;
        var esHeu = chain.Contracts.EsHeu;
        var holder = await chain.NewAccountAsync(esHeu: Heu(50), ct: ct);
        var spender = await chain.NewAccountAsync(ct: ct);
        var receiver = EthECKey.GenerateKey().Address;

        await Revert.WithAsync("TransferNotAllowed", () => esHeu.TransferAsync(chain.Send(holder), receiver, Heu(1), ct));
        await esHeu.ApproveAsync(chain.Send(holder), spender.Address, Heu(10), ct);
        await Revert.WithAsync("TransferNotAllowed", () => esHeu.TransferFromAsync(chain.Send(spender), holder.Address, receiver, Heu(1), ct));

        Assert.Equal(Heu(50), await esHeu.BalanceOfAsync(holder.Address));
        Assert.Equal(BigInteger.Zero, await esHeu.BalanceOfAsync(receiver));
        Assert.Equal(Heu(10), await esHeu.AllowanceAsync(holder.Address, spender.Address));
    }

    [Fact]
    public async Task A_protocol_contract_moves_esheu_between_holders_within_the_allowance()
    {
        var ct = TestContext.Current.CancellationToken;
        var esHeu = chain.Contracts.EsHeu;
        var protocol = await chain.NewAccountAsync(ct: ct);
        await esHeu.SetProtocolContractAsync(chain.Send(Owner), protocol.Address, true, ct);
        var holder = await chain.NewAccountAsync(esHeu: Heu(50), ct: ct);
        var receiver = EthECKey.GenerateKey().Address;
        await esHeu.ApproveAsync(chain.Send(holder), protocol.Address, Heu(20), ct);

        var receipt = await esHeu.TransferFromAsync(chain.Send(protocol), holder.Address, receiver, Heu(20), ct);

        var transfer = Assert.Single(esHeu.TransferEvents(receipt));
        Assert.Equal((holder.Address, receiver, Heu(20)), (transfer.From, transfer.To, transfer.Value));
        Assert.Equal(Heu(30), await esHeu.BalanceOfAsync(holder.Address));
        Assert.Equal(Heu(20), await esHeu.BalanceOfAsync(receiver));

        var removed = await esHeu.SetProtocolContractAsync(chain.Send(Owner), protocol.Address, false, ct);
        var set = Assert.Single(esHeu.ProtocolContractSetEvents(removed));
        Assert.Equal((protocol.Address, false), (set.Account, set.Allowed));
        await esHeu.ApproveAsync(chain.Send(holder), protocol.Address, Heu(20), ct);
        await Revert.WithAsync("TransferNotAllowed", () => esHeu.TransferFromAsync(chain.Send(protocol), holder.Address, receiver, Heu(1), ct));
    }

    [Fact]
    public async Task Only_the_owner_names_protocol_contracts()
    {
        var ct = TestContext.Current.CancellationToken;
        var stranger = await chain.NewAccountAsync(ct: ct);

        var refused = await Revert.WithAsync("OwnableUnauthorizedAccount",
            () => chain.Contracts.EsHeu.SetProtocolContractAsync(chain.Send(stranger), stranger.Address, true, ct));

        Assert.Equal(stranger.Address, refused["account"]);
        Assert.False(await chain.Contracts.EsHeu.IsProtocolContractAsync(stranger.Address));
    }

    [Fact]
    public async Task Only_a_protocol_contract_deposits_heu_for_esheu_and_never_zero()
    {
        var ct = TestContext.Current.CancellationToken;
        var contracts = chain.Contracts;
        var stranger = await chain.NewAccountAsync(heu: Heu(10), ct: ct);
        await contracts.Heu.ApproveAsync(chain.Send(stranger), contracts.EsHeu.Address, Heu(10), ct);

        var refused = await Revert.WithAsync("NotProtocolContract", () => contracts.EsHeu.DepositAsync(chain.Send(stranger), stranger.Address, Heu(10), ct));
        Assert.Equal(stranger.Address, refused["caller"]);
        Assert.Equal(Heu(10), await contracts.Heu.BalanceOfAsync(stranger.Address));

        var protocol = await chain.NewAccountAsync(heu: Heu(10), ct: ct);
        await contracts.EsHeu.SetProtocolContractAsync(chain.Send(Owner), protocol.Address, true, ct);
        await contracts.Heu.ApproveAsync(chain.Send(protocol), contracts.EsHeu.Address, Heu(10), ct);
        await Revert.WithAsync("ZeroAmount", () => contracts.EsHeu.DepositAsync(chain.Send(protocol), stranger.Address, BigInteger.Zero, ct));
        var backing = await contracts.Heu.BalanceOfAsync(contracts.EsHeu.Address);
        var supply = await contracts.EsHeu.TotalSupplyAsync();

        var receipt = await contracts.EsHeu.DepositAsync(chain.Send(protocol), stranger.Address, Heu(10), ct);

        var deposited = Assert.Single(contracts.EsHeu.DepositedEvents(receipt));
        Assert.Equal((protocol.Address, stranger.Address, Heu(10)), (deposited.From, deposited.To, deposited.Amount));
        var minted = Assert.Single(contracts.EsHeu.TransferEvents(receipt));
        Assert.Equal((AddressUtil.ZERO_ADDRESS, stranger.Address, Heu(10)), (minted.From, minted.To, minted.Value));
        Assert.Equal(Heu(10), await contracts.EsHeu.BalanceOfAsync(stranger.Address));
        Assert.Equal(BigInteger.Zero, await contracts.Heu.BalanceOfAsync(protocol.Address));
        Assert.Equal(backing + Heu(10), await contracts.Heu.BalanceOfAsync(contracts.EsHeu.Address));
        Assert.Equal(supply + Heu(10), await contracts.EsHeu.TotalSupplyAsync());
    }

    [Fact]
    public async Task Vesting_burns_the_esheu_and_opens_one_365_day_position_per_call()
    {
        var ct = TestContext.Current.CancellationToken;
        var esHeu = chain.Contracts.EsHeu;
        var holder = await chain.NewAccountAsync(esHeu: Heu(100), ct: ct);
        var supply = await esHeu.TotalSupplyAsync();

        var first = await esHeu.VestAsync(chain.Send(holder), Heu(60), ct);
        var second = await esHeu.VestAsync(chain.Send(holder), Heu(15), ct);

        var started = Assert.Single(esHeu.VestingStartedEvents(first));
        var start = await chain.TimestampOfAsync(first, ct);
        Assert.Equal((holder.Address, BigInteger.Zero, Heu(60), start, start + VestingSeconds),
            (started.Holder, started.PositionId, started.Amount, started.Start, started.End));
        var burned = Assert.Single(esHeu.TransferEvents(first));
        Assert.Equal((holder.Address, AddressUtil.ZERO_ADDRESS, Heu(60)), (burned.From, burned.To, burned.Value));
        Assert.Equal(BigInteger.One, Assert.Single(esHeu.VestingStartedEvents(second)).PositionId);
        Assert.Equal(new BigInteger(2), await esHeu.VestingCountAsync(holder.Address));
        var position = await esHeu.VestingPositionAsync(holder.Address, BigInteger.Zero);
        Assert.Equal((Heu(60), BigInteger.Zero, start, start + VestingSeconds), (position.Amount, position.Claimed, position.Start, position.End));
        Assert.Equal(Heu(15), (await esHeu.VestingPositionAsync(holder.Address, BigInteger.One)).Amount);
        Assert.Equal(Heu(25), await esHeu.BalanceOfAsync(holder.Address));
        Assert.Equal(supply - Heu(75), await esHeu.TotalSupplyAsync());
    }

    [Fact]
    public async Task Vesting_refuses_zero_and_more_than_the_balance()
    {
        var ct = TestContext.Current.CancellationToken;
        var esHeu = chain.Contracts.EsHeu;
        var holder = await chain.NewAccountAsync(esHeu: Heu(5), ct: ct);

        await Revert.WithAsync("ZeroAmount", () => esHeu.VestAsync(chain.Send(holder), BigInteger.Zero, ct));
        var tooMuch = await Revert.WithAsync("ERC20InsufficientBalance", () => esHeu.VestAsync(chain.Send(holder), Heu(6), ct));

        Assert.Equal((Heu(5), Heu(6)), (tooMuch["balance"], tooMuch["needed"]));
        Assert.Equal(BigInteger.Zero, await esHeu.VestingCountAsync(holder.Address));
    }

    [Fact]
    public async Task Claiming_pays_the_linearly_vested_heu_half_at_182_and_a_half_days_all_at_365_and_nothing_after()
    {
        var ct = TestContext.Current.CancellationToken;
        var contracts = chain.Contracts;
        var amount = Heu(1_000);
        var holder = await chain.NewAccountAsync(esHeu: amount, ct: ct);
        var start = await chain.TimestampOfAsync(await contracts.EsHeu.VestAsync(chain.Send(holder), amount, ct), ct);

        await chain.IncreaseTimeToAsync(start + VestingSeconds / 2, ct);
        var half = await contracts.EsHeu.ClaimVestedAsync(chain.Send(holder), BigInteger.Zero, ct);

        var elapsed = await chain.TimestampOfAsync(half, ct) - start;
        var firstClaim = amount * elapsed / VestingSeconds;
        var claimed = Assert.Single(contracts.EsHeu.VestedClaimedEvents(half));
        Assert.Equal((holder.Address, BigInteger.Zero, firstClaim), (claimed.Holder, claimed.PositionId, claimed.Amount));
        // Half, give or take the few seconds between the clock jump and the claim's block.
        Assert.InRange(firstClaim, amount / 2, amount / 2 + amount * 60 / VestingSeconds);
        Assert.Equal(firstClaim, await contracts.Heu.BalanceOfAsync(holder.Address));

        // A day before the end the position is still vesting linearly.
        await chain.IncreaseTimeToAsync(start + VestingSeconds - Day, ct);
        var almost = amount * (await chain.LatestTimestampAsync(ct) - start) / VestingSeconds;
        Assert.Equal(almost - firstClaim, await contracts.EsHeu.ClaimableAsync(holder.Address, BigInteger.Zero));
        Assert.True(almost < amount);

        await chain.IncreaseTimeToAsync(start + VestingSeconds, ct);
        var rest = await contracts.EsHeu.ClaimVestedAsync(chain.Send(holder), BigInteger.Zero, ct);

        Assert.Equal(amount - firstClaim, Assert.Single(contracts.EsHeu.VestedClaimedEvents(rest)).Amount);
        Assert.Equal(amount, await contracts.Heu.BalanceOfAsync(holder.Address));
        var position = await contracts.EsHeu.VestingPositionAsync(holder.Address, BigInteger.Zero);
        Assert.Equal(amount, position.Claimed);

        await chain.IncreaseTimeAsync(30 * Day, ct);
        Assert.Equal(BigInteger.Zero, await contracts.EsHeu.ClaimableAsync(holder.Address, BigInteger.Zero));
        await Revert.WithAsync("NothingToClaim", () => contracts.EsHeu.ClaimVestedAsync(chain.Send(holder), BigInteger.Zero, ct));
        Assert.Equal(amount, await contracts.Heu.BalanceOfAsync(holder.Address));
    }

    [Fact]
    public async Task Each_position_vests_on_its_own_clock()
    {
        var ct = TestContext.Current.CancellationToken;
        var esHeu = chain.Contracts.EsHeu;
        var holder = await chain.NewAccountAsync(esHeu: Heu(300), ct: ct);
        var firstStart = await chain.TimestampOfAsync(await esHeu.VestAsync(chain.Send(holder), Heu(100), ct), ct);
        await chain.IncreaseTimeAsync(100 * Day, ct);
        var secondStart = await chain.TimestampOfAsync(await esHeu.VestAsync(chain.Send(holder), Heu(200), ct), ct);

        await chain.IncreaseTimeToAsync(firstStart + VestingSeconds, ct);
        var now = await chain.LatestTimestampAsync(ct);

        Assert.Equal(Heu(100), await esHeu.ClaimableAsync(holder.Address, BigInteger.Zero));
        Assert.Equal(Heu(200) * (now - secondStart) / VestingSeconds, await esHeu.ClaimableAsync(holder.Address, BigInteger.One));
        Assert.True(await esHeu.ClaimableAsync(holder.Address, BigInteger.One) < Heu(200));
    }

    [Fact]
    public async Task A_claim_right_after_vesting_a_wei_has_nothing_to_claim()
    {
        var ct = TestContext.Current.CancellationToken;
        var esHeu = chain.Contracts.EsHeu;
        var holder = await chain.NewAccountAsync(esHeu: Heu(1), ct: ct);
        await esHeu.VestAsync(chain.Send(holder), BigInteger.One, ct);

        await Revert.WithAsync("NothingToClaim", () => esHeu.ClaimVestedAsync(chain.Send(holder), BigInteger.Zero, ct));
    }

    [Fact]
    public async Task An_unknown_position_is_refused_by_claims_and_reads()
    {
        var ct = TestContext.Current.CancellationToken;
        var esHeu = chain.Contracts.EsHeu;
        var holder = await chain.NewAccountAsync(esHeu: Heu(2), ct: ct);
        await esHeu.VestAsync(chain.Send(holder), Heu(1), ct);

        var claim = await Revert.WithAsync("UnknownPosition", () => esHeu.ClaimVestedAsync(chain.Send(holder), BigInteger.One, ct));
        var read = await Revert.WithAsync("UnknownPosition", () => esHeu.VestingPositionAsync(holder.Address, new BigInteger(7)));
        var claimable = await Revert.WithAsync("UnknownPosition", () => esHeu.ClaimableAsync(EthECKey.GenerateKey().Address, BigInteger.Zero));

        Assert.Equal(BigInteger.One, claim["positionId"]);
        Assert.Equal(new BigInteger(7), read["positionId"]);
        Assert.Equal(BigInteger.Zero, claimable["positionId"]);
    }
}
