using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Heurist.Contracts.AccountAbstraction;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Bindings.EntryPoint;
using Heurist.Contracts.Bindings.ImaginariesNft;
using Heurist.Contracts.Bindings.SimpleAccount;
using Nethereum.Contracts;
using static Heurist.Contracts.Tests.ContractRules.ProtocolChain;
using static Heurist.Contracts.Tests.ContractRules.SponsoredOperations;

namespace Heurist.Contracts.Tests.ContractRules;

/// <summary>
/// HeuristPaymaster under the ERC-4337 v0.8 EntryPoint: it sponsors a SimpleAccount's execute(nft, 0, mint(...)),
/// approved by the sponsor signer for a time window, and nothing else.
/// </summary>
[Collection(ContractRulesGroup.Name)]
public sealed class HeuristPaymasterTests(ProtocolChain chain)
{
    private SponsoredMint Mint => chain.Contracts.SponsoredMint;

    /// <summary>A user operation from a new wallet's (not yet deployed) account running <paramref name="callData"/>, not yet sponsored.</summary>
    private async Task<(PackedUserOperation Operation, EthECKey Wallet)> OperationAsync(byte[] callData, CancellationToken ct)
    {
        var wallet = EthECKey.GenerateKey();
        return (await Mint.BuildAsync(wallet.Address, callData, 300_000), wallet);
    }

    /// <summary>The callData of a real sponsored mint for a new wallet.</summary>
    private async Task<(byte[] CallData, EthECKey Wallet)> MintCallAsync(CancellationToken ct)
    {
        var wallet = EthECKey.GenerateKey();
        var (a, signature) = await AuthorizeAsync(chain, wallet.Address, ct);
        var mint = new MintFunction { To = a.To, ImageHash = a.ImageHash, ModelId = a.ModelId, Uri = a.Uri, Deadline = a.Deadline, Signature = signature }.GetCallData();
        return (UserOperations.Execute(chain.Contracts.Nft.Address, 0, mint), wallet);
    }

    /// <summary>Nothing happened to the wallet's account: still no code, and its nonce unused.</summary>
    private async Task AssertUntouchedAsync(PackedUserOperation operation, CancellationToken ct)
    {
        Assert.Empty(await chain.CodeAsync(operation.Sender));
        Assert.Equal(BigInteger.Zero, await chain.Contracts.EntryPoint.GetNonceAsync(operation.Sender, 0));
    }

    [Fact]
    public async Task The_library_hashes_a_user_operation_as_the_v08_entry_point_does()
    {
        var ct = TestContext.Current.CancellationToken;
        var (callData, wallet) = await MintCallAsync(ct);
        var first = Mint.Sponsor(await Mint.BuildAsync(wallet.Address, callData, 250_000), SponsorSigner, 1_900_000_000, 1_700_000_000);
        var later = first with { InitCode = [], Nonce = 7, Signature = [1, 2, 3] };
        var bare = later with { PaymasterAndData = [] };

        foreach (var operation in new[] { first, later, bare })
        {
            Assert.Equal(await chain.Contracts.EntryPoint.GetUserOpHashAsync(operation),
                UserOperations.Hash(operation, chain.Contracts.EntryPoint.Address, chain.Contracts.ChainId));
        }
        Assert.NotEmpty(first.InitCode);
        var domain = await chain.Contracts.EntryPoint.Eip712DomainAsync();
        Assert.Equal((UserOperations.DomainName, UserOperations.DomainVersion), (domain.Name, domain.Version));
        var encodeType = ((JsonObject)Vectors.Vectors.Section("eip712").Single(c => c!["name"].Text().StartsWith("ERC-4337", StringComparison.Ordinal))!)["encodeType"].Text();
        Assert.Equal(await chain.Contracts.EntryPoint.GetPackedUserOpTypeHashAsync(), Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes(encodeType)));
        Assert.Equal(Mint.Hash(first), TypedDataJson.Hash(Mint.TypedDataJson(first)));
    }

    [Fact]
    public async Task A_message_whose_only_argument_is_a_struct_or_an_array_encodes_that_one_argument()
    {
        var ct = TestContext.Current.CancellationToken;
        var (callData, wallet) = await MintCallAsync(ct);
        var operation = await Mint.BuildAsync(wallet.Address, callData, 250_000);
        List<Call> batch = [new() { Target = chain.Contracts.Nft.Address, Data = [1, 2] }, new() { Target = wallet.Address, Value = 5 }];

        var raw = await chain.Rpc.Eth.Transactions.Call.SendRequestAsync(new GetUserOpHashFunction { UserOp = operation }.CreateCallInput(chain.Contracts.EntryPoint.Address));
        var decoded = Calldata.Decode<ExecuteBatchFunction>(new ExecuteBatchFunction { Calls = batch }.GetCallData());

        Assert.Equal(await chain.Contracts.EntryPoint.GetUserOpHashAsync(operation), raw.HexToByteArray());
        Assert.Equal(batch, decoded.Calls, CallComparer.Instance);
    }

    private sealed class CallComparer : IEqualityComparer<Call>
    {
        public static readonly CallComparer Instance = new();

        public bool Equals(Call? x, Call? y) => AddressUtil.Current.AreAddressesTheSame(x!.Target, y!.Target) && x.Value == y.Value && x.Data.SequenceEqual(y.Data);

        public int GetHashCode(Call obj) => obj.Target.GetHashCode();
    }

    [Fact]
    public async Task The_library_hashes_a_sponsorship_as_the_paymaster_does()
    {
        var ct = TestContext.Current.CancellationToken;
        var (callData, wallet) = await MintCallAsync(ct);
        var operation = await Mint.BuildAsync(wallet.Address, callData, 250_000);

        foreach (var (validUntil, validAfter) in new[] { (0UL, 0UL), (1_900_000_000UL, 1_700_000_000UL), ((1UL << 48) - 1, 5UL) })
        {
            Assert.Equal(await chain.Contracts.Paymaster.GetHashAsync(operation, validUntil, validAfter),
                PaymasterSponsorship.Hash(operation, chain.Contracts.ChainId, chain.Contracts.Paymaster.Address, validUntil, validAfter));
        }
        // The sponsor vouches for the operation without its signatures: signing it afterwards changes nothing.
        Assert.Equal(PaymasterSponsorship.Hash(operation, chain.Contracts.ChainId, chain.Contracts.Paymaster.Address, 0, 0),
            PaymasterSponsorship.Hash(operation with { Signature = [9], PaymasterAndData = [8] }, chain.Contracts.ChainId, chain.Contracts.Paymaster.Address, 0, 0));
    }

    [Fact]
    public async Task The_deployer_funds_the_paymaster_at_the_entry_point_for_the_nft_and_the_sponsor_signer()
    {
        var ct = TestContext.Current.CancellationToken;
        var contracts = await chain.DeployAsync(ct);
        var tenEth = BigInteger.Pow(10, 19);

        Assert.Equal(tenEth, await contracts.EntryPoint.BalanceOfAsync(contracts.Paymaster.Address));
        Assert.Equal(tenEth, await contracts.Paymaster.GetDepositAsync());
        Assert.Equal(contracts.Nft.Address, await contracts.Paymaster.NftAsync());
        Assert.Equal(contracts.EntryPoint.Address, await contracts.Paymaster.EntryPointAsync());
        Assert.Equal(SponsorSigner.Address, await contracts.Paymaster.SponsorSignerAsync());
        Assert.Equal(Owner.Address, await contracts.Paymaster.OwnerAsync());
    }

    [Fact]
    public async Task A_paymaster_without_an_owner_cannot_be_deployed()
    {
        var ct = TestContext.Current.CancellationToken;
        var deployer = await chain.NewAccountAsync(ct: ct);

        var refused = await Assert.ThrowsAsync<ContractRevertedException>(() => HeuristPaymasterContract.DeployAsync(
            chain.Send(deployer), chain.Contracts.EntryPoint.Address, chain.Contracts.Nft.Address, SponsorSigner.Address, AddressUtil.ZERO_ADDRESS, ct));

        Assert.Equal("OwnableInvalidOwner", refused.ErrorName);
        Assert.Equal(AddressUtil.ZERO_ADDRESS, refused.Error.Arguments["owner"]);
    }

    public static TheoryData<string> NotMints => ["execute on another contract", "a value", "another nft function", "executeBatch", "no call", "a non-canonical offset"];

    [Theory]
    [MemberData(nameof(NotMints))]
    public async Task An_operation_that_is_not_exactly_an_nft_mint_is_refused_with_AA33_NotASponsoredMint(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        var (mintCall, wallet) = await MintCallAsync(ct);
        var nft = chain.Contracts.Nft.Address;
        var mint = Calldata.Decode<ExecuteFunction>(mintCall).Data;
        var callData = kind switch
        {
            "execute on another contract" => UserOperations.Execute(chain.Contracts.Heu.Address, 0, mint),
            "a value" => UserOperations.Execute(nft, 1, mint),
            "another nft function" => UserOperations.Execute(nft, 0, new SetApprovalForAllFunction { Operator = wallet.Address, Approved = true }.GetCallData()),
            "executeBatch" => new ExecuteBatchFunction { Calls = [new() { Target = nft, Data = mint }] }.GetCallData(),
            "no call" => [],
            // execute(nft, 0, mint) with its bytes argument placed one word further: the same call to a decoder, not to the paymaster.
            "a non-canonical offset" => [.. mintCall[..100].Select((b, i) => i == 99 ? (byte)0x80 : b), .. new byte[32], .. mintCall[100..]],
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var operation = Mint.SignAsOwner(Mint.Sponsor(await Mint.BuildAsync(wallet.Address, callData, 300_000), SponsorSigner, await ValidUntilAsync(chain, ct)), wallet);

        var inner = await RefusedAsync(chain, operation, "AA33 reverted", ct);

        Assert.Equal("NotASponsoredMint", inner?.Name);
        await AssertUntouchedAsync(operation, ct);
    }

    [Fact]
    public async Task A_sponsorship_signed_by_another_key_is_refused_with_AA34()
    {
        var ct = TestContext.Current.CancellationToken;
        var (callData, wallet) = await MintCallAsync(ct);
        var operation = Mint.SignAsOwner(Mint.Sponsor(await Mint.BuildAsync(wallet.Address, callData, 300_000), EthECKey.GenerateKey(), await ValidUntilAsync(chain, ct)), wallet);

        Assert.Null(await RefusedAsync(chain, operation, "AA34 signature error", ct));
        await AssertUntouchedAsync(operation, ct);
    }

    [Fact]
    public async Task A_sponsorship_of_different_fields_is_refused_with_AA34()
    {
        var ct = TestContext.Current.CancellationToken;
        var (callData, wallet) = await MintCallAsync(ct);
        var sponsored = Mint.Sponsor(await Mint.BuildAsync(wallet.Address, callData, 300_000), SponsorSigner, await ValidUntilAsync(chain, ct));
        // More gas than the sponsor agreed to pay for.
        var changed = sponsored with { AccountGasLimits = UserOperations.PackUInt128Pair(400_000, 3_000_000) };

        Assert.Null(await RefusedAsync(chain, Mint.SignAsOwner(changed, wallet), "AA34 signature error", ct));
        await AssertUntouchedAsync(changed, ct);
    }

    [Theory]
    [InlineData("v = 29")]
    [InlineData("v = 0")]
    [InlineData("high s")]
    public async Task A_malformed_sponsor_signature_is_refused_with_AA34(string malformation)
    {
        var ct = TestContext.Current.CancellationToken;
        var (callData, wallet) = await MintCallAsync(ct);
        var sponsored = Mint.Sponsor(await Mint.BuildAsync(wallet.Address, callData, 300_000), SponsorSigner, await ValidUntilAsync(chain, ct));
        var data = sponsored.PaymasterAndData;
        var malformed = sponsored with { PaymasterAndData = [.. data[..64], .. ImaginariesNftTests.Malform(data[64..], malformation)] };

        Assert.Null(await RefusedAsync(chain, Mint.SignAsOwner(malformed, wallet), "AA34 signature error", ct));
        await AssertUntouchedAsync(malformed, ct);
    }

    [Fact]
    public async Task A_sponsorship_outside_its_window_is_refused_with_AA32()
    {
        var ct = TestContext.Current.CancellationToken;
        var now = await chain.LatestTimestampAsync(ct);
        var (expiredCall, expiredWallet) = await MintCallAsync(ct);
        var (earlyCall, earlyWallet) = await MintCallAsync(ct);
        var expired = Mint.SignAsOwner(Mint.Sponsor(await Mint.BuildAsync(expiredWallet.Address, expiredCall, 300_000), SponsorSigner, validUntil: now - 1, validAfter: now - 600), expiredWallet);
        var notYet = Mint.SignAsOwner(Mint.Sponsor(await Mint.BuildAsync(earlyWallet.Address, earlyCall, 300_000), SponsorSigner, validUntil: now + 2 * Day, validAfter: now + Day), earlyWallet);

        Assert.Null(await RefusedAsync(chain, expired, "AA32 paymaster expired or not due", ct));
        Assert.Null(await RefusedAsync(chain, notYet, "AA32 paymaster expired or not due", ct));
        await AssertUntouchedAsync(expired, ct);
        await AssertUntouchedAsync(notYet, ct);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(-65)]
    public async Task Paymaster_data_that_is_not_129_bytes_is_refused_with_AA33_InvalidPaymasterData(int change)
    {
        var ct = TestContext.Current.CancellationToken;
        var (callData, wallet) = await MintCallAsync(ct);
        var sponsored = Mint.Sponsor(await Mint.BuildAsync(wallet.Address, callData, 300_000), SponsorSigner, await ValidUntilAsync(chain, ct));
        Assert.Equal(PaymasterSponsorship.PaymasterAndDataLength, sponsored.PaymasterAndData.Length);
        var data = change < 0 ? sponsored.PaymasterAndData[..^-change] : [.. sponsored.PaymasterAndData, .. new byte[change]];
        var operation = Mint.SignAsOwner(sponsored with { PaymasterAndData = data }, wallet);

        var inner = await RefusedAsync(chain, operation, "AA33 reverted", ct);

        Assert.Equal("InvalidPaymasterData", inner?.Name);
        await AssertUntouchedAsync(operation, ct);
    }

    [Fact]
    public async Task An_operation_not_signed_by_the_wallet_that_owns_the_account_is_refused_with_AA24()
    {
        var ct = TestContext.Current.CancellationToken;
        var (callData, wallet) = await MintCallAsync(ct);
        var sponsored = Mint.Sponsor(await Mint.BuildAsync(wallet.Address, callData, 300_000), SponsorSigner, await ValidUntilAsync(chain, ct));
        var operation = Mint.SignAsOwner(sponsored, EthECKey.GenerateKey());

        Assert.Null(await RefusedAsync(chain, operation, "AA24 signature error", ct));
        await AssertUntouchedAsync(operation, ct);
    }

    [Fact]
    public async Task Only_the_owner_changes_the_sponsor_signer_whose_sponsorships_then_hold()
    {
        var ct = TestContext.Current.CancellationToken;
        var contracts = await chain.DeployAsync(ct);
        var stranger = await chain.NewAccountAsync(ct: ct);
        var sponsor = EthECKey.GenerateKey();

        var refused = await Revert.WithAsync("OwnableUnauthorizedAccount", () => contracts.Paymaster.SetSponsorSignerAsync(chain.Send(stranger), stranger.Address, ct));
        var receipt = await contracts.Paymaster.SetSponsorSignerAsync(chain.Send(Owner), sponsor.Address, ct);

        Assert.Equal(stranger.Address, refused["account"]);
        Assert.Equal(sponsor.Address, Assert.Single(contracts.Paymaster.SponsorSignerSetEvents(receipt)).Signer);
        Assert.Equal(sponsor.Address, await contracts.Paymaster.SponsorSignerAsync());
    }
}
