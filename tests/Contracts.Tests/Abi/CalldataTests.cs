using System.Numerics;
using Heurist.Contracts.AccountAbstraction;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Bindings.EscrowedHeurist;
using Heurist.Contracts.Bindings.ImaginariesNft;
using Heurist.Contracts.Bindings.MinerStaking;
using Heurist.Contracts.Bindings.SimpleAccount;
using Heurist.Contracts.LocalChain;
using Nethereum.Contracts;

namespace Heurist.Contracts.Tests.Abi;

/// <summary>
/// Calldata that users supply (the sponsored mint's execute(nft, 0, mint(...))) is decoded exactly or refused:
/// Nethereum alone reads short input as zeros and ignores trailing bytes.
/// </summary>
public sealed class CalldataTests
{
    private static readonly string Nft = AnvilAccounts.Address(7);

    private static byte[] SponsoredMintCall() => UserOperations.Execute(Nft, BigInteger.Zero, new MintFunction
    {
        To = AnvilAccounts.Address(1),
        ImageHash = Enumerable.Repeat((byte)0xab, 32).ToArray(),
        ModelId = "sdxl",
        Uri = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/metadata.json",
        Deadline = 1_900_000_000,
        Signature = Enumerable.Repeat((byte)0x1b, 65).ToArray(),
    }.GetCallData());

    [Fact]
    public void The_sponsored_mint_calldata_decodes_to_its_execute_and_mint_calls()
    {
        var execute = Calldata.Decode<ExecuteFunction>(SponsoredMintCall());
        var mint = Calldata.Decode<MintFunction>(execute.Data);

        Assert.Equal(Nft, execute.Target);
        Assert.Equal(BigInteger.Zero, execute.Value);
        Assert.Equal(AnvilAccounts.Address(1), mint.To);
        Assert.Equal("sdxl", mint.ModelId);
        Assert.Equal(new BigInteger(1_900_000_000), mint.Deadline);
        Assert.Equal(65, mint.Signature.Length);
    }

    public static TheoryData<string, string> Malformed()
    {
        var call = SponsoredMintCall().ToHex();
        var word = new string('0', 64);
        return new TheoryData<string, string>
        {
            { call + "00", "trailing" },
            { call + word, "trailing" },
            { call[..^64], "encode to" },
            { call[..(8 + 64)], "" },
            // The target address word with a dirty upper byte.
            { call[..8] + "01" + call[10..], "encode to" },
            // The bytes offset pointing past the end of the input.
            { call[..(8 + 128)] + "00000000000000000000000000000000000000000000000000000000000fffff" + call[(8 + 192)..], "" },
            { "12345678" + call[8..], "selector" },
            { "", "selector" },
        };
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Short_padded_or_dirty_calldata_is_refused_with_a_clear_error(string hex, string reason)
    {
        var error = Assert.Throws<CalldataException>(() => Calldata.Decode<ExecuteFunction>(hex.HexToByteArray()));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains("execute(address,uint256,bytes)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bool_that_is_neither_0_nor_1_is_refused()
    {
        var call = new SetProtocolContractFunction { Account = AnvilAccounts.Address(2), Allowed = true }.GetCallData();
        call[^1] = 2;

        Assert.Throws<CalldataException>(() => Calldata.Decode<SetProtocolContractFunction>(call));
    }

    [Fact]
    public void An_integer_above_its_width_is_refused()
    {
        var call = new StakeFunction { MinerId = new byte[32], Kind = 1, Amount = 5 }.GetCallData();
        call[4 + 32 + 30] = 1;

        Assert.Throws<CalldataException>(() => Calldata.Decode<StakeFunction>(call));
    }
}
