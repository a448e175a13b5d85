using System.Numerics;
using Heurist.Contracts.AccountAbstraction;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Testing;
using Nethereum.Contracts;
using static Heurist.Contracts.Tests.ContractRules.ProtocolChain;
using static Heurist.Contracts.Tests.ContractRules.SponsoredOperations;

namespace Heurist.Contracts.Tests.ContractRules;

/// <summary>Alto on the assembly's anvil, shared by the bundler tests.</summary>
public sealed class AltoOnTheChain(AnvilFixture anvil) : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private LocalAltoBundler? _alto;

    public BundlerClient Client { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        _alto = await TestBundler.StartAsync(anvil.RpcUrl);
        Client = new BundlerClient(_http, _alto.Url);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_alto is not null)
        {
            await _alto.DisposeAsync();
        }
    }
}

/// <summary>
/// Sponsored mints through a real ERC-4337 bundler over its standard JSON-RPC: estimated, sent and followed to the
/// receipt, with the EntryPoint v0.8 at its canonical address (which is how Alto knows its version).
/// </summary>
[Collection(ContractRulesGroup.Name)]
public sealed class BundlerMintTests(ProtocolChain chain, AltoOnTheChain alto) : IClassFixture<AltoOnTheChain>
{
    private static readonly TimeSpan ReceiptTimeout = TimeSpan.FromSeconds(60);

    private SponsoredMint Mint => chain.Contracts.SponsoredMint;

    private BundlerClient Bundler => alto.Client;

    private async Task<(PackedUserOperation Operation, string Hash, UserOperationReceipt Receipt)> MintThroughBundlerAsync(EthECKey wallet, CancellationToken ct)
    {
        var (authorization, studioSignature) = await AuthorizeAsync(chain, wallet.Address, ct);
        var prepared = await Mint.PrepareAsync(authorization, studioSignature, SponsorSigner, await ValidUntilAsync(chain, ct), 0, Bundler, ct);
        var signed = Mint.SignAsOwner(prepared, wallet);
        var hash = await Mint.SendAsync(Bundler, signed, ct);
        return (signed, hash, await Bundler.WaitForReceiptAsync(hash, ReceiptTimeout, ct));
    }

    [Fact]
    public async Task The_entry_point_is_deployed_at_its_canonical_address_which_the_bundler_serves()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(CanonicalEntryPoint.Address, CanonicalEntryPoint.ComputeAddress());
        Assert.Equal(CanonicalEntryPoint.Address, chain.Contracts.Manifest.Contracts.EntryPoint);
        Assert.Contains(CanonicalEntryPoint.Address, await Bundler.SupportedEntryPointsAsync(ct), StringComparer.OrdinalIgnoreCase);
        // A second deployment on the same chain finds the EntryPoint there and shares it.
        var again = await chain.DeployAsync(ct);
        Assert.Equal(CanonicalEntryPoint.Address, again.EntryPoint.Address);
        Assert.NotEqual(chain.Contracts.Paymaster.Address, again.Paymaster.Address);
    }

    [Fact]
    public async Task A_first_mint_through_the_bundler_deploys_the_account_and_a_later_one_reuses_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var wallet = EthECKey.GenerateKey();

        var (first, firstHash, firstReceipt) = await MintThroughBundlerAsync(wallet, ct);
        var (later, laterHash, laterReceipt) = await MintThroughBundlerAsync(wallet, ct);

        Assert.NotEmpty(first.InitCode);
        Assert.Empty(later.InitCode);
        Assert.Equal(BigInteger.One, later.Nonce);
        // The bundler computes the same userOpHash as the library (and so as the wallet's typed data).
        Assert.Equal(Mint.Hash(first).ToHex(true), firstHash, ignoreCase: true);
        Assert.Equal(Mint.Hash(later).ToHex(true), laterHash, ignoreCase: true);
        foreach (var receipt in new[] { firstReceipt, laterReceipt })
        {
            Assert.True(receipt.Success, receipt.Reason);
            Assert.Equal(first.Sender, receipt.Sender, ignoreCase: true);
            Assert.True(receipt.ActualGasCost > 0);
            Assert.NotEmpty(receipt.TransactionHash);
        }
        Assert.Equal(BigInteger.Zero, laterReceipt.Nonce - BigInteger.One);
        Assert.Equal(2, (int)await chain.Contracts.Nft.BalanceOfAsync(wallet.Address));
        Assert.Equal(BigInteger.Zero, await chain.BalanceAsync(wallet.Address));
        // The bundler's estimate replaced the defaults, and the sponsor signed over it.
        var (verification, _) = UserOperationRpc.UnpackUInt128Pair(later.AccountGasLimits);
        Assert.NotEqual(Mint.Gas.VerificationGasLimit, verification);
    }

    [Fact]
    public async Task The_bundler_refuses_a_sponsored_operation_that_is_not_a_mint_and_nothing_happens_to_the_account()
    {
        var ct = TestContext.Current.CancellationToken;
        var wallet = EthECKey.GenerateKey();
        var transfer = UserOperations.Execute(chain.Contracts.Heu.Address, 0, new Bindings.HeuristToken.TransferFunction { To = wallet.Address, Value = 1 }.GetCallData());
        var operation = Mint.SignAsOwner(Mint.Sponsor(await Mint.BuildAsync(wallet.Address, transfer, 300_000), SponsorSigner, await ValidUntilAsync(chain, ct)), wallet);

        var refused = await Assert.ThrowsAsync<BundlerRejectedException>(() => Mint.SendAsync(Bundler, operation, ct));

        // AA33: the paymaster's validation reverted (NotASponsoredMint), as the off-chain policy refuses it first in the portal.
        Assert.Contains("AA33", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await chain.CodeAsync(operation.Sender));
        Assert.Equal(BigInteger.Zero, await chain.Contracts.EntryPoint.GetNonceAsync(operation.Sender, 0));
    }

    [Fact]
    public async Task The_bundler_refuses_an_operation_signed_by_someone_other_than_the_wallet()
    {
        var ct = TestContext.Current.CancellationToken;
        var wallet = EthECKey.GenerateKey();
        var (authorization, studioSignature) = await AuthorizeAsync(chain, wallet.Address, ct);
        var prepared = await Mint.PrepareAsync(authorization, studioSignature, SponsorSigner, await ValidUntilAsync(chain, ct), 0, Bundler, ct);

        var refused = await Assert.ThrowsAsync<BundlerRejectedException>(() => Mint.SendAsync(Bundler, Mint.SignAsOwner(prepared, EthECKey.GenerateKey()), ct));

        Assert.Contains("AA24", refused.Message, StringComparison.Ordinal);
        Assert.False(await chain.Contracts.Nft.IsMintedAsync(authorization.ImageHash));
    }

    [Fact]
    public async Task A_bundler_that_is_not_there_is_unavailable_not_a_refusal()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient();
        var nowhere = new BundlerClient(http, new Uri($"http://127.0.0.1:{FreePort.Next()}/"));

        var unavailable = await Assert.ThrowsAsync<BundlerUnavailableException>(() => nowhere.SupportedEntryPointsAsync(ct));

        Assert.Contains("cannot be reached", unavailable.Message, StringComparison.Ordinal);
        Assert.Null(await Bundler.GetUserOperationReceiptAsync("0x" + new string('1', 64), ct));
    }
}
