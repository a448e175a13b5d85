using System.Numerics;
using System.Text;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Bindings.ImaginariesNft;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.Imaginaries;
using Nethereum.Contracts;
using Nethereum.RPC.Eth;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Web3;

namespace Heurist.Contracts.AccountAbstraction;

/// <summary>The gas a sponsored mint asks for. The defaults cover a mint with a URI of any length.</summary>
public sealed record SponsoredMintGas
{
    /// <summary>Account validation when the account exists: the owner's signature and the nonce.</summary>
    public BigInteger VerificationGasLimit { get; init; } = 100_000;

    /// <summary>Account validation on the first operation, which also deploys the account (an ERC-1967 proxy) through the factory.</summary>
    public BigInteger FirstVerificationGasLimit { get; init; } = 400_000;

    /// <summary>The paymaster's validation: decoding its data and recovering the sponsor's signature.</summary>
    public BigInteger PaymasterVerificationGasLimit { get; init; } = 60_000;

    /// <summary>Paid to the bundler for what the EntryPoint does not meter: the transaction's base cost and calldata.</summary>
    public BigInteger PreVerificationGas { get; init; } = 50_000;

    /// <summary>The mint itself, whatever its URI.</summary>
    public BigInteger CallGasBase { get; init; } = 180_000;

    /// <summary>
    /// Added per byte of the token URI: a URI longer than 60 bytes is kept as contract code (200 gas per byte deposited,
    /// plus copying it through transient storage), and every byte is calldata on the way.
    /// </summary>
    public BigInteger CallGasPerUriByte { get; init; } = 300;

    /// <summary>callGasLimit for a mint of <paramref name="uri"/>.</summary>
    public BigInteger CallGasLimit(string uri) => CallGasBase + CallGasPerUriByte * Encoding.UTF8.GetByteCount(uri ?? "");
}

/// <summary>
/// The gasless mint of an Imaginaries NFT: an ERC-4337 v0.8 user operation from the creator's SimpleAccount (owned by
/// the creator's wallet, deployed by its first operation) that calls <c>execute(nft, 0, mint(...))</c>, sponsored by
/// the HeuristPaymaster, signed by the wallet, and submitted through an ERC-4337 bundler (or, in tests and benchmarks,
/// straight to <c>handleOps</c> from a bundler key).
/// </summary>
/// <remarks>
/// The order matters: PrepareAsync builds the operation and has the sponsor sign it (the sponsor's hash
/// covers everything but paymasterAndData and the signature); the wallet then signs <see cref="Hash"/> (it covers
/// paymasterAndData too) with eth_signTypedData_v4 of <see cref="TypedDataJson"/>; <see cref="SendAsync"/> or <see cref="SubmitAsync"/> sends it.
/// </remarks>
public sealed class SponsoredMint
{
    /// <summary>The salt of every creator's account: one SimpleAccount per wallet.</summary>
    public static readonly BigInteger AccountSalt = BigInteger.Zero;

    private readonly IWeb3 _web3;
    private readonly EntryPointContract _entryPoint;
    private readonly SimpleAccountFactoryContract _factory;

    public SponsoredMint(IWeb3 web3, ulong chainId, string entryPoint, string accountFactory, string nft, string paymaster)
    {
        ArgumentNullException.ThrowIfNull(web3);
        _web3 = web3;
        ChainId = chainId;
        _entryPoint = new EntryPointContract(web3, entryPoint);
        _factory = new SimpleAccountFactoryContract(web3, accountFactory);
        Nft = nft;
        Paymaster = paymaster;
    }

    /// <summary>The contracts of a deployment.</summary>
    public static SponsoredMint ForDeployment(IWeb3 web3, DeploymentManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var contracts = manifest.Contracts;
        return new SponsoredMint(web3, manifest.ChainId, contracts.EntryPoint, contracts.SimpleAccountFactory, contracts.ImaginariesNft, contracts.HeuristPaymaster);
    }

    public ulong ChainId { get; }

    public string EntryPoint => _entryPoint.Address;

    public string Nft { get; }

    public string Paymaster { get; }

    public SponsoredMintGas Gas { get; init; } = new();

    /// <summary>The SimpleAccount of <paramref name="wallet"/>; it has no code until its first operation.</summary>
    public Task<string> AccountAsync(string wallet) => _factory.GetAddressAsync(wallet, AccountSalt);

    /// <summary>
    /// The unsponsored, unsigned operation from <paramref name="wallet"/>'s account that runs <paramref name="callData"/>:
    /// with the init code while the account has no code, the EntryPoint's next nonce, and the chain's current fees.
    /// </summary>
    public async Task<PackedUserOperation> BuildAsync(string wallet, byte[] callData, BigInteger callGasLimit)
    {
        ArgumentNullException.ThrowIfNull(callData);
        var account = await AccountAsync(wallet).ConfigureAwait(false);
        var deployed = (await _web3.Eth.GetCode.SendRequestAsync(account).ConfigureAwait(false)) is { Length: > 2 };
        var nonce = await _entryPoint.GetNonceAsync(account, BigInteger.Zero).ConfigureAwait(false);
        var priorityFee = (await new EthMaxPriorityFeePerGas(_web3.Client).SendRequestAsync().ConfigureAwait(false)).Value;
        var latest = await _web3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest()).ConfigureAwait(false);
        // As for the bundler's own transactions: twice the base fee keeps the operation valid through rising base fees.
        var maxFee = latest?.BaseFeePerGas is { } baseFee ? 2 * baseFee.Value + priorityFee : (await _web3.Eth.GasPrice.SendRequestAsync().ConfigureAwait(false)).Value;
        return new PackedUserOperation
        {
            Sender = account,
            Nonce = nonce,
            InitCode = deployed ? [] : UserOperations.InitCode(_factory.Address, wallet, AccountSalt),
            CallData = callData,
            AccountGasLimits = UserOperations.PackUInt128Pair(deployed ? Gas.VerificationGasLimit : Gas.FirstVerificationGasLimit, callGasLimit),
            PreVerificationGas = Gas.PreVerificationGas,
            GasFees = UserOperations.PackUInt128Pair(priorityFee, BigInteger.Max(maxFee, priorityFee)),
        };
    }

    /// <summary>
    /// The operation that mints the authorized image to <see cref="MintAuthorization.To"/> from that wallet's account,
    /// sponsored by <paramref name="sponsor"/> between <paramref name="validAfter"/> and <paramref name="validUntil"/>
    /// (unix seconds). It still needs the wallet's signature over <see cref="Hash"/>.
    /// </summary>
    public async Task<PackedUserOperation> PrepareAsync(
        MintAuthorization authorization, byte[] studioSignature, EthECKey sponsor, ulong validUntil, ulong validAfter = 0)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(studioSignature);
        var mint = new MintFunction
        {
            To = authorization.To,
            ImageHash = authorization.ImageHash,
            ModelId = authorization.ModelId,
            Uri = authorization.Uri,
            Deadline = authorization.Deadline,
            Signature = studioSignature,
        }.GetCallData();
        var operation = await BuildAsync(authorization.To, UserOperations.Execute(Nft, BigInteger.Zero, mint), Gas.CallGasLimit(authorization.Uri)).ConfigureAwait(false);
        return Sponsor(operation, sponsor, validUntil, validAfter);
    }

    /// <summary>
    /// As <see cref="PrepareAsync(MintAuthorization, byte[], EthECKey, ulong, ulong)"/>, with the gas limits that
    /// <paramref name="bundler"/> estimates instead of the defaults, and the sponsor's signature made over them.
    /// </summary>
    public async Task<PackedUserOperation> PrepareAsync(
        MintAuthorization authorization, byte[] studioSignature, EthECKey sponsor, ulong validUntil, ulong validAfter,
        BundlerClient bundler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundler);
        var guess = await PrepareAsync(authorization, studioSignature, sponsor, validUntil, validAfter).ConfigureAwait(false);
        // A throwaway key's signature has the wallet's shape: the account reports a signature failure instead of
        // reverting, and estimation ignores that failure.
        var probe = SignAsOwner(guess, EthECKey.GenerateKey());
        var estimate = await bundler.EstimateUserOperationGasAsync(probe, EntryPoint, cancellationToken).ConfigureAwait(false);
        var estimated = guess with
        {
            AccountGasLimits = UserOperations.PackUInt128Pair(estimate.VerificationGasLimit, estimate.CallGasLimit),
            PreVerificationGas = estimate.PreVerificationGas,
        };
        return Sponsor(estimated, sponsor, validUntil, validAfter, estimate.PaymasterVerificationGasLimit);
    }

    /// <summary>
    /// Fills in paymasterAndData with the sponsor's signature for the window; call before the wallet signs. The
    /// paymaster has no postOp, so it asks for no postOp gas.
    /// </summary>
    public PackedUserOperation Sponsor(PackedUserOperation operation, EthECKey sponsor, ulong validUntil, ulong validAfter = 0, BigInteger? paymasterVerificationGasLimit = null)
        => PaymasterSponsorship.Sponsor(operation, sponsor, ChainId, Paymaster,
            new SponsorshipTerms(paymasterVerificationGasLimit ?? Gas.PaymasterVerificationGasLimit, BigInteger.Zero, validUntil, validAfter));

    /// <summary>Hands the signed operation to <paramref name="bundler"/>; returns the userOpHash it answered.</summary>
    public Task<string> SendAsync(BundlerClient bundler, PackedUserOperation operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundler);
        return bundler.SendUserOperationAsync(operation, EntryPoint, cancellationToken);
    }

    /// <summary>The userOpHash the wallet signs: the digest of <see cref="TypedDataJson"/>.</summary>
    public byte[] Hash(PackedUserOperation operation) => UserOperations.Hash(operation, EntryPoint, ChainId);

    /// <summary>What the wallet is asked to sign with eth_signTypedData_v4.</summary>
    public string TypedDataJson(PackedUserOperation operation) => UserOperations.ToTypedDataJson(operation, EntryPoint, ChainId);

    /// <summary>The operation signed with a key held here (tests and tools); in the portal the wallet signs <see cref="TypedDataJson"/>.</summary>
    public PackedUserOperation SignAsOwner(PackedUserOperation operation, EthECKey owner)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return operation with { Signature = Signatures.Sign(owner, Hash(operation)) };
    }

    /// <summary>Submits the signed operation alone in a bundle, paying the refund to the bundler; a refused operation throws <see cref="ContractRevertedException"/> (FailedOp).</summary>
    public Task<TransactionReceipt> SubmitAsync(IWeb3 bundler, PackedUserOperation operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundler);
        return _entryPoint.HandleOpsAsync(bundler, [operation], bundler.TransactionManager.Account.Address, cancellationToken);
    }
}
