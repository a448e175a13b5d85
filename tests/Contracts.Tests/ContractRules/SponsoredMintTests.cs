using System.Numerics;
using Heurist.Contracts.AccountAbstraction;
using Heurist.Contracts.Bindings;
using static Heurist.Contracts.Tests.ContractRules.ProtocolChain;
using static Heurist.Contracts.Tests.ContractRules.SponsoredOperations;

namespace Heurist.Contracts.Tests.ContractRules;

/// <summary>
/// The gasless mint end to end: a SimpleAccount user operation sponsored by the paymaster, signed by a wallet that holds
/// no ETH, submitted by the bundler key through EntryPoint.handleOps.
/// </summary>
[Collection(ContractRulesGroup.Name)]
public sealed class SponsoredMintTests(ProtocolChain chain)
{
    private SponsoredMint Mint => chain.Contracts.SponsoredMint;

    private EntryPointContract EntryPoint => chain.Contracts.EntryPoint;

    private static BigInteger TokenId(byte[] imageHash) => new(imageHash, isUnsigned: true, isBigEndian: true);

    [Fact]
    public async Task The_first_sponsored_mint_deploys_the_wallets_account_and_mints_to_the_wallet_which_never_holds_eth()
    {
        var ct = TestContext.Current.CancellationToken;
        var wallet = EthECKey.GenerateKey();
        var account = await Mint.AccountAsync(wallet.Address);
        var (authorization, studioSignature) = await AuthorizeAsync(chain, wallet.Address, ct);
        Assert.Equal(account, await chain.Contracts.AccountFactory.GetAddressAsync(wallet.Address, SponsoredMint.AccountSalt));
        Assert.Empty(await chain.CodeAsync(account));
        Assert.Equal(BigInteger.Zero, await chain.BalanceAsync(wallet.Address));
        var deposit = await EntryPoint.BalanceOfAsync(chain.Contracts.Paymaster.Address);

        var sponsored = await Mint.PrepareAsync(authorization, studioSignature, SponsorSigner, await ValidUntilAsync(chain, ct));
        var operation = Mint.SignAsOwner(sponsored, wallet);
        var receipt = await Mint.SubmitAsync(chain.Send(Bundler), operation, ct);

        Assert.Equal(account, operation.Sender);
        Assert.Equal(UserOperations.InitCode(chain.Contracts.AccountFactory.Address, wallet.Address, SponsoredMint.AccountSalt), operation.InitCode);
        Assert.Equal(BigInteger.Zero, operation.Nonce);
        var userOpHash = Mint.Hash(operation);
        var deployed = Assert.Single(EntryPoint.AccountDeployedEvents(receipt));
        Assert.Equal((account, chain.Contracts.AccountFactory.Address, chain.Contracts.Paymaster.Address), (deployed.Sender, deployed.Factory, deployed.Paymaster));
        Assert.Equal(userOpHash, deployed.UserOpHash);
        var executed = Assert.Single(EntryPoint.UserOperationEventEvents(receipt));
        Assert.True(executed.Success);
        Assert.Equal((account, chain.Contracts.Paymaster.Address, BigInteger.Zero), (executed.Sender, executed.Paymaster, executed.Nonce));
        Assert.Equal(userOpHash, executed.UserOpHash);
        Assert.Empty(EntryPoint.UserOperationRevertReasonEvents(receipt));

        var tokenId = TokenId(authorization.ImageHash);
        Assert.Equal(wallet.Address, await chain.Contracts.Nft.OwnerOfAsync(tokenId));
        Assert.Equal(IpfsUri, await chain.Contracts.Nft.TokenURIAsync(tokenId));
        var minted = Assert.Single(chain.Contracts.Nft.ImageMintedEvents(receipt));
        Assert.Equal((wallet.Address, "sdxl"), (minted.To, minted.ModelId));
        Assert.NotEmpty(await chain.CodeAsync(account));
        Assert.Equal(wallet.Address, await new SimpleAccountContract(chain.Rpc, account).OwnerAsync());
        Assert.Equal(BigInteger.One, await EntryPoint.GetNonceAsync(account, 0));
        // The gas was the paymaster's: its deposit paid exactly what the EntryPoint charged, and nobody else paid a wei.
        Assert.True(executed.ActualGasCost > 0);
        Assert.Equal(deposit - executed.ActualGasCost, await EntryPoint.BalanceOfAsync(chain.Contracts.Paymaster.Address));
        Assert.Equal(BigInteger.Zero, await chain.BalanceAsync(wallet.Address));
        Assert.Equal(BigInteger.Zero, await chain.BalanceAsync(account));
        Assert.Equal(BigInteger.Zero, await EntryPoint.BalanceOfAsync(account));
    }

    [Fact]
    public async Task A_later_sponsored_mint_from_the_same_wallet_needs_no_init_code_uses_the_next_nonce_and_stays_within_the_gas_budget()
    {
        var ct = TestContext.Current.CancellationToken;
        var wallet = EthECKey.GenerateKey();
        var (first, firstSignature) = await AuthorizeAsync(chain, wallet.Address, ct);
        var firstReceipt = await Mint.SubmitAsync(chain.Send(Bundler),
            Mint.SignAsOwner(await Mint.PrepareAsync(first, firstSignature, SponsorSigner, await ValidUntilAsync(chain, ct)), wallet), ct);
        var (second, secondSignature) = await AuthorizeAsync(chain, wallet.Address, ct);
        var deposit = await EntryPoint.BalanceOfAsync(chain.Contracts.Paymaster.Address);

        var operation = Mint.SignAsOwner(await Mint.PrepareAsync(second, secondSignature, SponsorSigner, await ValidUntilAsync(chain, ct)), wallet);
        var receipt = await Mint.SubmitAsync(chain.Send(Bundler), operation, ct);

        Assert.Empty(operation.InitCode);
        Assert.Equal(BigInteger.One, operation.Nonce);
        Assert.Empty(EntryPoint.AccountDeployedEvents(receipt));
        var executed = Assert.Single(EntryPoint.UserOperationEventEvents(receipt));
        Assert.True(executed.Success);
        Assert.Equal(BigInteger.One, executed.Nonce);
        Assert.Equal(wallet.Address, await chain.Contracts.Nft.OwnerOfAsync(TokenId(second.ImageHash)));
        Assert.Equal(new BigInteger(2), await chain.Contracts.Nft.BalanceOfAsync(wallet.Address));
        Assert.Equal(deposit - executed.ActualGasCost, await EntryPoint.BalanceOfAsync(chain.Contracts.Paymaster.Address));
        Assert.Equal(BigInteger.Zero, await chain.BalanceAsync(wallet.Address));
        // The gas budget of a mint with an IPFS URI (bench/gas.sh measures the same on a fresh chain).
        Assert.InRange<BigInteger>(firstReceipt.GasUsed.Value, 0, 450_000);
        Assert.InRange<BigInteger>(receipt.GasUsed.Value, 0, 200_000);
    }

    [Fact]
    public async Task A_sponsored_mint_of_an_image_minted_already_is_executed_as_a_failed_operation_naming_ImageAlreadyMinted()
    {
        var ct = TestContext.Current.CancellationToken;
        var wallet = EthECKey.GenerateKey();
        var (authorization, signature) = await AuthorizeAsync(chain, wallet.Address, ct);
        await chain.Contracts.Nft.MintAsync(chain.Send(await chain.NewAccountAsync(ct: ct)), authorization.To, authorization.ImageHash,
            authorization.ModelId, authorization.Uri, authorization.Deadline, signature, ct);
        var deposit = await EntryPoint.BalanceOfAsync(chain.Contracts.Paymaster.Address);

        var operation = Mint.SignAsOwner(await Mint.PrepareAsync(authorization, signature, SponsorSigner, await ValidUntilAsync(chain, ct)), wallet);
        var receipt = await Mint.SubmitAsync(chain.Send(Bundler), operation, ct);

        Assert.True(receipt.Succeeded());
        var executed = Assert.Single(EntryPoint.UserOperationEventEvents(receipt));
        Assert.False(executed.Success);
        var reverted = Assert.Single(EntryPoint.UserOperationRevertReasonEvents(receipt));
        Assert.Equal((operation.Sender, BigInteger.Zero), (reverted.Sender, reverted.Nonce));
        var reason = ContractArtifacts.DecodeError(reverted.RevertReason);
        Assert.Equal("ImageAlreadyMinted", reason.Name);
        Assert.Equal(authorization.ImageHash, reason.Arguments["imageHash"]);
        Assert.Empty(chain.Contracts.Nft.ImageMintedEvents(receipt));
        Assert.Equal(BigInteger.One, await chain.Contracts.Nft.BalanceOfAsync(wallet.Address));
        // The account was deployed and its nonce spent, and the paymaster paid for the failed operation.
        Assert.Single(EntryPoint.AccountDeployedEvents(receipt));
        Assert.Equal(BigInteger.One, await EntryPoint.GetNonceAsync(operation.Sender, 0));
        Assert.Equal(deposit - executed.ActualGasCost, await EntryPoint.BalanceOfAsync(chain.Contracts.Paymaster.Address));
    }

    [Fact]
    public async Task A_sponsored_mint_whose_authorization_expired_before_submission_fails_inside_naming_AuthorizationExpired()
    {
        var ct = TestContext.Current.CancellationToken;
        var wallet = EthECKey.GenerateKey();
        var (authorization, signature) = await AuthorizeAsync(chain, wallet.Address, ct);
        var operation = Mint.SignAsOwner(await Mint.PrepareAsync(authorization, signature, SponsorSigner, authorization.Deadline + 3 * Day), wallet);

        await chain.IncreaseTimeToAsync(authorization.Deadline + Day, ct);
        var receipt = await Mint.SubmitAsync(chain.Send(Bundler), operation, ct);

        Assert.False(Assert.Single(EntryPoint.UserOperationEventEvents(receipt)).Success);
        var reason = ContractArtifacts.DecodeError(Assert.Single(EntryPoint.UserOperationRevertReasonEvents(receipt)).RevertReason);
        Assert.Equal("AuthorizationExpired", reason.Name);
        Assert.Equal((BigInteger)authorization.Deadline, reason.Arguments["deadline"]);
        Assert.False(await chain.Contracts.Nft.IsMintedAsync(authorization.ImageHash));
    }

    [Fact]
    public async Task The_wallet_signs_typed_data_whose_digest_is_the_user_op_hash_over_the_sponsored_operation()
    {
        var ct = TestContext.Current.CancellationToken;
        var wallet = EthECKey.GenerateKey();
        var (authorization, signature) = await AuthorizeAsync(chain, wallet.Address, ct);

        var sponsored = await Mint.PrepareAsync(authorization, signature, SponsorSigner, await ValidUntilAsync(chain, ct));
        var typedData = Mint.TypedDataJson(sponsored);
        var hash = TypedDataJson.Hash(typedData);

        Assert.Equal(await EntryPoint.GetUserOpHashAsync(sponsored), hash);
        Assert.Equal(PaymasterSponsorship.PaymasterAndDataLength, sponsored.PaymasterAndData.Length);
        Assert.Equal("PackedUserOperation", System.Text.Json.Nodes.JsonNode.Parse(typedData)!["primaryType"].Text());
        var signed = Mint.SignAsOwner(sponsored, wallet);
        Assert.Equal(wallet.Address, Signatures.Recover(hash, signed.Signature));
        Assert.Equal(sponsored with { Signature = signed.Signature }, signed);
    }
}
