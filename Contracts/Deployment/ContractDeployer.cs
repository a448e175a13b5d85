using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Rpc;

namespace Heurist.Contracts.Deployment;

/// <summary>Who holds each role, and the few numbers a deployment chooses.</summary>
public sealed record DeploymentOptions
{
    /// <summary>Deploys everything, owns every contract, and receives the 500M non-mining HEU as treasury.</summary>
    public required EthereumKey Owner { get; init; }

    public required EthereumAddress SettlementKey { get; init; }

    public required EthereumAddress StudioSigner { get; init; }

    public required EthereumAddress SponsorSigner { get; init; }

    /// <summary>Length of a staking epoch; a bribe change takes effect from the next one.</summary>
    public ulong EpochLengthSeconds { get; init; } = 24 * 60 * 60;

    /// <summary>ETH deposited at the EntryPoint for the paymaster, which pays the gas of sponsored mints.</summary>
    public BigInteger PaymasterDeposit { get; init; } = BigInteger.Pow(10, 18) * 10;
}

/// <summary>
/// Deploys the whole chain layer: the ERC-4337 EntryPoint and SimpleAccountFactory (from the published artifacts),
/// HEU, esHEU, MinerStaking, RewardsDistributor, ImaginariesNft and HeuristPaymaster; wires their roles; funds the paymaster.
/// </summary>
public static class ContractDeployer
{
    public static async Task<DeploymentManifest> DeployAsync(EthereumRpcClient rpc, DeploymentOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(options);
        var chainId = await rpc.GetChainIdAsync(cancellationToken).ConfigureAwait(false);
        var owner = new TransactionSender(rpc, options.Owner);
        var startBlock = await rpc.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false) + 1;

        var entryPoint = await EntryPointContract.DeployAsync(rpc, owner, cancellationToken).ConfigureAwait(false);
        var factory = await SimpleAccountFactoryContract.DeployAsync(rpc, owner, entryPoint.Address, cancellationToken).ConfigureAwait(false);
        var heu = await HeuristTokenContract.DeployAsync(rpc, owner, owner.Address, owner.Address, cancellationToken).ConfigureAwait(false);
        var esHeu = await EscrowedHeuristContract.DeployAsync(rpc, owner, heu.Address, owner.Address, cancellationToken).ConfigureAwait(false);
        var staking = await MinerStakingContract.DeployAsync(rpc, owner, heu.Address, esHeu.Address, options.EpochLengthSeconds, cancellationToken).ConfigureAwait(false);
        var distributor = await RewardsDistributorContract.DeployAsync(rpc, owner, heu.Address, esHeu.Address, options.SettlementKey, owner.Address, cancellationToken).ConfigureAwait(false);
        var nft = await ImaginariesNftContract.DeployAsync(rpc, owner, options.StudioSigner, owner.Address, cancellationToken).ConfigureAwait(false);
        var paymaster = await HeuristPaymasterContract.DeployAsync(rpc, owner, entryPoint.Address, nft.Address, options.SponsorSigner, owner.Address, cancellationToken).ConfigureAwait(false);

        // Only the distributor mints HEU; only the protocol contracts move esHEU.
        await heu.SetMinterAsync(owner, distributor.Address, cancellationToken).ConfigureAwait(false);
        await esHeu.SetProtocolContractAsync(owner, staking.Address, true, cancellationToken).ConfigureAwait(false);
        await esHeu.SetProtocolContractAsync(owner, distributor.Address, true, cancellationToken).ConfigureAwait(false);
        if (options.PaymasterDeposit > 0)
        {
            await entryPoint.DepositToAsync(owner, paymaster.Address, options.PaymasterDeposit, cancellationToken).ConfigureAwait(false);
        }

        return new DeploymentManifest
        {
            ChainId = chainId,
            StartBlock = startBlock,
            DeployedAt = DateTimeOffset.UtcNow,
            Contracts = new DeployedContracts
            {
                EntryPoint = entryPoint.Address.ToString(),
                SimpleAccountFactory = factory.Address.ToString(),
                HeuristToken = heu.Address.ToString(),
                EscrowedHeurist = esHeu.Address.ToString(),
                MinerStaking = staking.Address.ToString(),
                RewardsDistributor = distributor.Address.ToString(),
                ImaginariesNft = nft.Address.ToString(),
                HeuristPaymaster = paymaster.Address.ToString(),
            },
            Roles = new DeploymentRoles
            {
                Owner = owner.Address.ToString(),
                SettlementKey = options.SettlementKey.ToString(),
                StudioSigner = options.StudioSigner.ToString(),
                SponsorSigner = options.SponsorSigner.ToString(),
            },
        };
    }

    /// <summary>
    /// Checks a manifest against the chain at <paramref name="rpc"/>: same chain id, and code at every address.
    /// Throws <see cref="DeploymentMismatchException"/> saying what differs.
    /// </summary>
    public static async Task VerifyAsync(EthereumRpcClient rpc, DeploymentManifest manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rpc);
        ArgumentNullException.ThrowIfNull(manifest);
        var chainId = await rpc.GetChainIdAsync(cancellationToken).ConfigureAwait(false);
        if (chainId != manifest.ChainId)
        {
            throw new DeploymentMismatchException($"the manifest is for chain {manifest.ChainId}, but {rpc.Endpoint} serves chain {chainId}");
        }
        foreach (var (name, text) in manifest.Contracts.All())
        {
            if (!EthereumAddress.TryParse(text, out var address))
            {
                throw new DeploymentMismatchException($"{name} has no valid address ('{text}')");
            }
            var code = await rpc.GetCodeAsync(address, BlockTag.Latest, cancellationToken).ConfigureAwait(false);
            if (code.Length == 0)
            {
                throw new DeploymentMismatchException($"{name} at {address} has no code on chain {chainId}");
            }
        }
    }
}

/// <summary>A deployment manifest that does not describe the chain it is used with.</summary>
public sealed class DeploymentMismatchException(string message) : Exception(message);
