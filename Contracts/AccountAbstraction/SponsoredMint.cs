using System.Numerics;
using System.Text;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.Imaginaries;
using Heurist.Contracts.Rpc;

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
/// the HeuristPaymaster, signed by the wallet, and submitted by the portal's bundler key through <c>handleOps</c>.
/// </summary>
/// <remarks>
/// The order matters: <see cref="PrepareAsync"/> builds the operation and has the sponsor sign it (the sponsor's hash
/// covers everything but paymasterAndData and the signature); the wallet then signs <see cref="Hash"/> (it covers
/// paymasterAndData too) with eth_signTypedData_v4 of <see cref="TypedData"/>; <see cref="SubmitAsync"/> sends it.
/// </remarks>
public sealed class SponsoredMint
{
    /// <summary>The salt of every creator's account: one SimpleAccount per wallet.</summary>
    public static readonly BigInteger AccountSalt = BigInteger.Zero;

    private readonly EthereumRpcClient _rpc;
    private readonly EntryPointContract _entryPoint;
    private readonly SimpleAccountFactoryContract _factory;

    public SponsoredMint(EthereumRpcClient rpc, ulong chainId, EthereumAddress entryPoint, EthereumAddress accountFactory, EthereumAddress nft, EthereumAddress paymaster)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        _rpc = rpc;
        ChainId = chainId;
        _entryPoint = new EntryPointContract(rpc, entryPoint);
        _factory = new SimpleAccountFactoryContract(rpc, accountFactory);
        Nft = nft;
        Paymaster = paymaster;
    }

    /// <summary>The contracts of a deployment.</summary>
    public static SponsoredMint ForDeployment(EthereumRpcClient rpc, DeploymentManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var contracts = manifest.Contracts;
        return new SponsoredMint(rpc, manifest.ChainId,
            EthereumAddress.Parse(contracts.EntryPoint), EthereumAddress.Parse(contracts.SimpleAccountFactory),
            EthereumAddress.Parse(contracts.ImaginariesNft), EthereumAddress.Parse(contracts.HeuristPaymaster));
    }

    public ulong ChainId { get; }

    public EthereumAddress EntryPoint => _entryPoint.Address;

    public EthereumAddress Nft { get; }

    public EthereumAddress Paymaster { get; }

    public SponsoredMintGas Gas { get; init; } = new();

    /// <summary>The SimpleAccount of <paramref name="wallet"/>; it has no code until its first operation.</summary>
    public Task<EthereumAddress> AccountAsync(EthereumAddress wallet, CancellationToken cancellationToken = default)
        => _factory.GetAddressAsync(wallet, AccountSalt, BlockTag.Latest, cancellationToken);

    /// <summary>
    /// The unsponsored, unsigned operation from <paramref name="wallet"/>'s account that runs <paramref name="callData"/>:
    /// with the init code while the account has no code, the EntryPoint's next nonce, and the chain's current fees.
    /// </summary>
    public async Task<PackedUserOperation> BuildAsync(EthereumAddress wallet, byte[] callData, BigInteger callGasLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callData);
        var account = await AccountAsync(wallet, cancellationToken).ConfigureAwait(false);
        var deployed = (await _rpc.GetCodeAsync(account, BlockTag.Latest, cancellationToken).ConfigureAwait(false)).Length > 0;
        var nonce = await _entryPoint.GetNonceAsync(account, BigInteger.Zero, BlockTag.Latest, cancellationToken).ConfigureAwait(false);
        var priorityFee = await _rpc.MaxPriorityFeePerGasAsync(cancellationToken).ConfigureAwait(false);
        var latest = await _rpc.GetBlockAsync(BlockTag.Latest, cancellationToken).ConfigureAwait(false);
        // As for the bundler's own transactions: twice the base fee keeps the operation valid through rising base fees.
        var maxFee = latest?.BaseFeePerGas is { } baseFee ? 2 * baseFee + priorityFee : await _rpc.GasPriceAsync(cancellationToken).ConfigureAwait(false);
        return new PackedUserOperation(
            account,
            nonce,
            deployed ? [] : UserOperations.InitCode(_factory.Address, wallet, AccountSalt),
            callData,
            UserOperations.PackUInt128Pair(deployed ? Gas.VerificationGasLimit : Gas.FirstVerificationGasLimit, callGasLimit),
            Gas.PreVerificationGas,
            UserOperations.PackUInt128Pair(priorityFee, BigInteger.Max(maxFee, priorityFee)),
            [],
            []);
    }

    /// <summary>
    /// The operation that mints the authorized image to <see cref="MintAuthorization.To"/> from that wallet's account,
    /// sponsored by <paramref name="sponsor"/> between <paramref name="validAfter"/> and <paramref name="validUntil"/>
    /// (unix seconds). It still needs the wallet's signature over <see cref="Hash"/>.
    /// </summary>
    public async Task<PackedUserOperation> PrepareAsync(
        MintAuthorization authorization, byte[] studioSignature, EthereumKey sponsor, ulong validUntil, ulong validAfter = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        ArgumentNullException.ThrowIfNull(studioSignature);
        var mint = ImaginariesNftContract.EncodeMint(
            authorization.To, authorization.ImageHash, authorization.ModelId, authorization.Uri, authorization.Deadline, studioSignature);
        var operation = await BuildAsync(authorization.To, UserOperations.Execute(Nft, BigInteger.Zero, mint), Gas.CallGasLimit(authorization.Uri), cancellationToken).ConfigureAwait(false);
        return Sponsor(operation, sponsor, validUntil, validAfter);
    }

    /// <summary>Fills in paymasterAndData with the sponsor's signature for the window; call before the wallet signs.</summary>
    public PackedUserOperation Sponsor(PackedUserOperation operation, EthereumKey sponsor, ulong validUntil, ulong validAfter = 0)
        => PaymasterSponsorship.Sponsor(operation, sponsor, ChainId, Paymaster,
            new SponsorshipTerms(Gas.PaymasterVerificationGasLimit, BigInteger.Zero, validUntil, validAfter));

    /// <summary>The userOpHash the wallet signs: the digest of <see cref="TypedData"/>.</summary>
    public byte[] Hash(PackedUserOperation operation) => UserOperations.Hash(operation, EntryPoint, ChainId);

    /// <summary>What the wallet is asked to sign with eth_signTypedData_v4.</summary>
    public TypedData TypedData(PackedUserOperation operation) => UserOperations.ToTypedData(operation, EntryPoint, ChainId);

    /// <summary>The operation signed with a key held here (tests and tools); in the portal the wallet signs <see cref="TypedData"/>.</summary>
    public PackedUserOperation SignAsOwner(PackedUserOperation operation, EthereumKey owner)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(owner);
        return operation with { Signature = owner.Sign(Hash(operation)).ToBytes() };
    }

    /// <summary>Submits the signed operation alone in a bundle, paying the refund to the bundler; a refused operation throws <see cref="ContractRevertedException"/> (FailedOp).</summary>
    public Task<TransactionReceipt> SubmitAsync(TransactionSender bundler, PackedUserOperation operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bundler);
        return _entryPoint.HandleOpsAsync(bundler, [operation], bundler.Address, cancellationToken);
    }
}
