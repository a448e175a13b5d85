using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Bindings.MinerStaking;
using Heurist.Contracts.Bindings.RewardsDistributor;
using Heurist.Contracts.LocalChain;
using Heurist.Protocol.Chain;
using Nethereum.Contracts;
using Es = Heurist.Contracts.Bindings.EscrowedHeurist;
using Token = Heurist.Contracts.Bindings.HeuristToken;

namespace Heurist.Contracts.Tests.Abi;

/// <summary>Protocol's hand-written calldata (what the browser sends) against keccak256, the compiled ABIs and Nethereum's encoder.</summary>
public sealed class ContractCallsTests
{
    private static readonly string Staker = AnvilAccounts.Address(3);

    private static readonly byte[] MinerA = Sha3Keccack.Current.CalculateHash("rig-a"u8.ToArray());

    private static readonly byte[] MinerB = Sha3Keccack.Current.CalculateHash("rig-b"u8.ToArray());

    private static readonly BigInteger Big = BigInteger.Parse("123456789012345678901234567", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Every_selector_is_keccak256_of_its_signature()
    {
        Assert.Equal(22, ContractCalls.Selectors.Count);
        foreach (var (signature, selector) in ContractCalls.Selectors)
        {
            var hash = Sha3Keccack.Current.CalculateHash(System.Text.Encoding.ASCII.GetBytes(signature));
            Assert.True(hash.AsSpan(0, 4).ToArray().ToHex(true) == selector, $"{signature}: {selector} is not its selector");
        }
    }

    [Fact]
    public void Every_signature_is_a_function_of_a_compiled_contract()
    {
        string[] contracts = ["HeuristToken", "EscrowedHeurist", "MinerStaking", "RewardsDistributor"];
        var functions = contracts
            .SelectMany(name => ContractArtifacts.Get(name).Abi.Functions.Select(f => $"{f.Name}({string.Join(",", f.InputParameters.Select(p => p.Type))})"))
            .ToHashSet(StringComparer.Ordinal);

        var missing = ContractCalls.Selectors.Keys.Where(signature => !functions.Contains(signature)).ToArray();

        Assert.Empty(missing);
    }

    public static TheoryData<string, string> Encodings()
    {
        var spender = AnvilAccounts.Address(5);
        var (a, b) = (MinerA.ToHex(true), MinerB.ToHex(true));
        return new TheoryData<string, string>
        {
            { ContractCalls.Approve(spender, Big), Hex(new Token.ApproveFunction { Spender = spender, Value = Big }) },
            { ContractCalls.Approve(spender, BigInteger.Pow(2, 256) - 1), Hex(new Token.ApproveFunction { Spender = spender, Value = BigInteger.Pow(2, 256) - 1 }) },
            { ContractCalls.Allowance(Staker, spender), Hex(new Es.AllowanceFunction { Owner = Staker, Spender = spender }) },
            { ContractCalls.Stake(a, TokenKind.EsHeu, Big), Hex(new StakeFunction { MinerId = MinerA, Kind = 1, Amount = Big }) },
            { ContractCalls.Unstake(a, TokenKind.Heu, 1), Hex(new UnstakeFunction { MinerId = MinerA, Kind = 0, Amount = 1 }) },
            { ContractCalls.Withdraw(7), Hex(new WithdrawFunction { RequestId = 7 }) },
            { ContractCalls.TransferStake(a, b, TokenKind.EsHeu, Big), Hex(new TransferStakeFunction { FromMiner = MinerA, ToMiner = MinerB, Kind = 1, Amount = Big }) },
            { ContractCalls.SetBribe(a, 10_000), Hex(new SetBribeFunction { MinerId = MinerA, Bps = 10_000 }) },
            { ContractCalls.RegisterMiner(a), Hex(new RegisterMinerFunction { MinerId = MinerA }) },
            { ContractCalls.StakeOf(Staker, b, TokenKind.Heu), Hex(new StakeOfFunction { Staker = Staker, MinerId = MinerB, Kind = 0 }) },
            { ContractCalls.Vest(Big), Hex(new Es.VestFunction { Amount = Big }) },
            { ContractCalls.ClaimVested(0), Hex(new Es.ClaimVestedFunction { PositionId = 0 }) },
            { ContractCalls.VestingPosition(Staker, 3), Hex(new Es.VestingPositionFunction { Holder = Staker, PositionId = 3 }) },
            { ContractCalls.Claimable(Staker, 3), Hex(new Es.ClaimableFunction { Holder = Staker, PositionId = 3 }) },
            { ContractCalls.Claim(42, Staker, Big, 5, []), Hex(new ClaimFunction { Epoch = 42, Account = Staker, HeuAmount = Big, EsHeuAmount = 5, Proof = [] }) },
            { ContractCalls.Claim(42, Staker, Big, 5, [a, b, a]), Hex(new ClaimFunction { Epoch = 42, Account = Staker, HeuAmount = Big, EsHeuAmount = 5, Proof = [MinerA, MinerB, MinerA] }) },
            { ContractCalls.IsClaimed(42, Staker), Hex(new IsClaimedFunction { Epoch = 42, Account = Staker }) },
            { ContractCalls.CurrentEpoch(), Hex(new CurrentEpochFunction()) },
        };
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Each_encoding_matches_nethereums(string ours, string nethereums) => Assert.Equal(nethereums, ours);

    [Fact]
    public void Mixed_case_addresses_and_ids_encode_as_their_lowercase_form()
    {
        var upper = "0x" + MinerA.ToHex().ToUpperInvariant();

        Assert.Equal(ContractCalls.Stake(MinerA.ToHex(true), TokenKind.Heu, 1), ContractCalls.Stake(upper, TokenKind.Heu, 1));
        Assert.Equal(Hex(new Token.BalanceOfFunction { Account = Staker }), ContractCalls.BalanceOf(Staker));
    }

    [Fact]
    public void Out_of_range_values_are_refused_before_encoding()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ContractCalls.Vest(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContractCalls.Vest(BigInteger.Pow(2, 256)));
        Assert.Throws<ArgumentException>(() => ContractCalls.MinerOwner("0x1234"));
        Assert.Throws<ArgumentException>(() => ContractCalls.BalanceOf("0xnot-an-address-at-all-but-42-chars-long!!"));
    }

    [Fact]
    public void Static_tuples_decode_word_by_word()
    {
        // vestingPosition's (uint256 amount, uint256 claimed, uint64 start, uint64 end), as Nethereum encodes it.
        var data = new Nethereum.ABI.ABIEncode().GetABIEncoded(
            new Nethereum.ABI.ABIValue("uint256", Big),
            new Nethereum.ABI.ABIValue("uint256", new BigInteger(5)),
            new Nethereum.ABI.ABIValue("uint64", 1_700_000_000UL),
            new Nethereum.ABI.ABIValue("uint64", 1_731_536_000UL)).ToHex(true);

        var words = ContractCalls.Words(data);

        Assert.Equal([Big, 5, 1_700_000_000, 1_731_536_000], words);
        Assert.Equal((BigInteger)5, ContractCalls.Word(data, 1));
        Assert.Null(ContractCalls.Word(data, 4));
        Assert.Null(ContractCalls.Words("0x1234"));
        Assert.Equal(Staker.ToLowerInvariant(), ContractCalls.AddressWord("0x" + new string('0', 24) + Staker[2..]));
        Assert.Null(ContractCalls.Word("0x"));
    }

    private static string Hex<T>(T function) where T : FunctionMessage, new() => function.GetCallData().ToHex(true);
}
