using Heurist.Contracts.AccountAbstraction;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Bindings.ImaginariesNft;
using Nethereum.Contracts;

namespace Heurist.Contracts.Tests.AccountAbstraction;

/// <summary>The off-chain policy: the sponsor key signs only a mint to the signed-in wallet through its own account.</summary>
public sealed class SponsorshipPolicyTests
{
    private const string Nft = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
    private const string Factory = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
    private const string Owner = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    private const string Stranger = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";

    private readonly SponsorshipPolicy _policy = new(Nft, Factory);

    private static byte[] MintTo(string to) => new MintFunction
    {
        To = to, ImageHash = new byte[32], ModelId = "sd15", Uri = "https://portal.example/api/nft/1/metadata", Deadline = 1, Signature = new byte[65],
    }.GetCallData();

    private static PackedUserOperation Operation(byte[] callData, byte[]? initCode = null) => new()
    {
        Sender = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
        CallData = callData,
        InitCode = initCode ?? [],
        AccountGasLimits = new byte[32],
        GasFees = new byte[32],
    };

    [Fact]
    public void A_mint_to_the_owner_through_execute_is_sponsored_with_or_without_the_account_deployment()
    {
        var execute = UserOperations.Execute(Nft, 0, MintTo(Owner));
        _policy.Check(Operation(execute), Owner);
        _policy.Check(Operation(execute, UserOperations.InitCode(Factory, Owner, 0)), Owner.ToLowerInvariant());
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "another target", "Only calls to ImaginariesNft" },
        { "eth value", "sends no ETH" },
        { "another function", "Only ImaginariesNft.mint" },
        { "another recipient", "goes to the signed-in wallet" },
        { "not execute", "Only SimpleAccount.execute" },
        { "garbage", "Only SimpleAccount.execute" },
        { "truncated execute", "cannot be decoded" },
        { "other factory", "SimpleAccountFactory.createAccount" },
        { "stranger's account", "must be the SimpleAccount of" },
        { "other salt", "must be the SimpleAccount of" },
        { "truncated mint", "cannot be decoded" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Anything_else_is_refused_with_the_reason(string change, string reason)
    {
        var mint = MintTo(Owner);
        var execute = UserOperations.Execute(Nft, 0, mint);
        var operation = change switch
        {
            "another target" => Operation(UserOperations.Execute(Stranger, 0, mint)),
            "eth value" => Operation(UserOperations.Execute(Nft, 1, mint)),
            "another function" => Operation(UserOperations.Execute(Nft, 0, new Bindings.HeuristToken.TransferFunction { To = Stranger, Value = 1 }.GetCallData())),
            "another recipient" => Operation(UserOperations.Execute(Nft, 0, MintTo(Stranger))),
            "not execute" => Operation(new Bindings.HeuristToken.TransferFunction { To = Stranger, Value = 1 }.GetCallData()),
            "garbage" => Operation([1, 2]),
            "truncated execute" => Operation(execute[..40]),
            "other factory" => Operation(execute, UserOperations.InitCode(Stranger, Owner, 0)),
            "stranger's account" => Operation(execute, UserOperations.InitCode(Factory, Stranger, 0)),
            "other salt" => Operation(execute, UserOperations.InitCode(Factory, Owner, 1)),
            "truncated mint" => Operation(UserOperations.Execute(Nft, 0, mint[..40])),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        var refused = Assert.Throws<SponsorshipRefusedException>(() => _policy.Check(operation, Owner));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }
}
