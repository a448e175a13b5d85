using System.Numerics;
using Heurist.Contracts.Bindings;
using static Heurist.Contracts.Tests.ContractRules.ProtocolChain;

namespace Heurist.Contracts.Tests.ContractRules;

/// <summary>HEU: capped at 1e9, burnable, half minted to the treasury, the rest only by the minter that is set once.</summary>
[Collection(ContractRulesGroup.Name)]
public sealed class HeuristTokenTests(ProtocolChain chain)
{
    private static readonly BigInteger Cap = Heu(1_000_000_000);
    private static readonly BigInteger TreasurySupply = Heu(500_000_000);

    /// <summary>A token of its own, owned by a fresh key, so its supply and minter are this test's alone.</summary>
    private async Task<(HeuristTokenContract Token, EthECKey Owner, string Treasury)> DeployTokenAsync(CancellationToken ct)
    {
        var owner = await chain.NewAccountAsync(ct: ct);
        var treasury = EthECKey.GenerateKey().Address;
        var token = await HeuristTokenContract.DeployAsync(chain.Send(owner), treasury, owner.Address, ct);
        return (token, owner, treasury);
    }

    [Fact]
    public async Task A_deployment_mints_half_of_the_one_billion_cap_to_the_treasury_and_nothing_else()
    {
        var ct = TestContext.Current.CancellationToken;
        var (token, owner, treasury) = await DeployTokenAsync(ct);

        Assert.Equal(Cap, await token.CapAsync());
        Assert.Equal(TreasurySupply, await token.TotalSupplyAsync());
        Assert.Equal(TreasurySupply, await token.BalanceOfAsync(treasury));
        Assert.Equal(BigInteger.Zero, await token.BalanceOfAsync(owner.Address));
        Assert.Equal(AddressUtil.ZERO_ADDRESS, await token.MinterAsync());
        Assert.Equal("HEU", await token.SymbolAsync());
        Assert.Equal((byte)18, await token.DecimalsAsync());
    }

    [Fact]
    public async Task The_deployer_makes_the_rewards_distributor_the_minter_and_gives_the_treasury_to_the_owner()
    {
        var ct = TestContext.Current.CancellationToken;
        var contracts = await chain.DeployAsync(ct);

        Assert.Equal(contracts.Distributor.Address, await contracts.Heu.MinterAsync());
        Assert.Equal(TreasurySupply, await contracts.Heu.BalanceOfAsync(Owner.Address));
        Assert.Equal(TreasurySupply, await contracts.Heu.TotalSupplyAsync());
        Assert.Equal(Owner.Address, await contracts.Heu.OwnerAsync());
    }

    [Fact]
    public async Task Nobody_but_the_minter_mints_not_even_the_owner()
    {
        var ct = TestContext.Current.CancellationToken;
        var heu = chain.Contracts.Heu;
        var stranger = await chain.NewAccountAsync(ct: ct);
        var supply = await heu.TotalSupplyAsync();

        var byOwner = await Revert.WithAsync("NotMinter", () => heu.MintAsync(chain.Send(Owner), Owner.Address, OneHeu, ct));
        var byStranger = await Revert.WithAsync("NotMinter", () => heu.MintAsync(chain.Send(stranger), stranger.Address, OneHeu, ct));

        Assert.Equal(Owner.Address, byOwner["caller"]);
        Assert.Equal(stranger.Address, byStranger["caller"]);
        Assert.Equal(supply, await heu.TotalSupplyAsync());
    }

    [Fact]
    public async Task The_owner_sets_the_minter_once_refusing_the_zero_address_and_a_second_minter()
    {
        var ct = TestContext.Current.CancellationToken;
        var (token, owner, _) = await DeployTokenAsync(ct);
        var minter = EthECKey.GenerateKey().Address;
        var stranger = await chain.NewAccountAsync(ct: ct);

        var notOwner = await Revert.WithAsync("OwnableUnauthorizedAccount", () => token.SetMinterAsync(chain.Send(stranger), minter, ct));
        Assert.Equal(stranger.Address, notOwner["account"]);
        await Revert.WithAsync("ZeroAddress", () => token.SetMinterAsync(chain.Send(owner), AddressUtil.ZERO_ADDRESS, ct));

        var receipt = await token.SetMinterAsync(chain.Send(owner), minter, ct);

        Assert.Equal(minter, Assert.Single(token.MinterSetEvents(receipt)).Minter);
        Assert.Equal(minter, await token.MinterAsync());
        await Revert.WithAsync("MinterAlreadySet", () => token.SetMinterAsync(chain.Send(owner), stranger.Address, ct));
        await Revert.WithAsync("MinterAlreadySet", () => chain.Contracts.Heu.SetMinterAsync(chain.Send(Owner), stranger.Address, ct));
        Assert.Equal(minter, await token.MinterAsync());
    }

    [Fact]
    public async Task The_minter_mints_up_to_the_cap_and_not_one_wei_more()
    {
        var ct = TestContext.Current.CancellationToken;
        var (token, owner, _) = await DeployTokenAsync(ct);
        var minter = await chain.NewAccountAsync(ct: ct);
        var receiver = EthECKey.GenerateKey().Address;
        await token.SetMinterAsync(chain.Send(owner), minter.Address, ct);

        var receipt = await token.MintAsync(chain.Send(minter), receiver, Cap - TreasurySupply, ct);

        var transfer = Assert.Single(token.TransferEvents(receipt));
        Assert.Equal((AddressUtil.ZERO_ADDRESS, receiver, Cap - TreasurySupply), (transfer.From, transfer.To, transfer.Value));
        Assert.Equal(Cap, await token.TotalSupplyAsync());
        var exceeded = await Revert.WithAsync("ERC20ExceededCap", () => token.MintAsync(chain.Send(minter), receiver, BigInteger.One, ct));
        Assert.Equal(Cap + 1, exceeded["increasedSupply"]);
        Assert.Equal(Cap, exceeded["cap"]);
        Assert.Equal(Cap, await token.TotalSupplyAsync());
    }

    [Fact]
    public async Task A_holder_burns_its_own_heu_and_burns_anothers_only_within_an_allowance()
    {
        var ct = TestContext.Current.CancellationToken;
        var heu = chain.Contracts.Heu;
        var holder = await chain.NewAccountAsync(heu: Heu(100), ct: ct);
        var spender = await chain.NewAccountAsync(ct: ct);
        var supply = await heu.TotalSupplyAsync();

        var burn = await heu.BurnAsync(chain.Send(holder), Heu(30), ct);

        var burned = Assert.Single(heu.TransferEvents(burn));
        Assert.Equal((holder.Address, AddressUtil.ZERO_ADDRESS, Heu(30)), (burned.From, burned.To, burned.Value));
        Assert.Equal(Heu(70), await heu.BalanceOfAsync(holder.Address));
        Assert.Equal(supply - Heu(30), await heu.TotalSupplyAsync());

        var tooMuch = await Revert.WithAsync("ERC20InsufficientBalance", () => heu.BurnAsync(chain.Send(holder), Heu(71), ct));
        Assert.Equal(Heu(70), tooMuch["balance"]);
        var noAllowance = await Revert.WithAsync("ERC20InsufficientAllowance", () => heu.BurnFromAsync(chain.Send(spender), holder.Address, Heu(10), ct));
        Assert.Equal((spender.Address, BigInteger.Zero, Heu(10)), (noAllowance["spender"], noAllowance["allowance"], noAllowance["needed"]));

        await heu.ApproveAsync(chain.Send(holder), spender.Address, Heu(10), ct);
        await heu.BurnFromAsync(chain.Send(spender), holder.Address, Heu(10), ct);

        Assert.Equal(Heu(60), await heu.BalanceOfAsync(holder.Address));
        Assert.Equal(BigInteger.Zero, await heu.AllowanceAsync(holder.Address, spender.Address));
        Assert.Equal(supply - Heu(40), await heu.TotalSupplyAsync());
    }
}
