using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Rpc;
using Nethereum.Signer;
using Nethereum.Util;
using Nethereum.Web3;

namespace Heurist.Contracts.Deployment;

/// <summary>Who holds each role, and the few numbers a deployment chooses.</summary>
public sealed record DeploymentOptions
{
    /// <summary>Deploys everything, owns every contract, and receives the 500M non-mining HEU as treasury.</summary>
    public required EthECKey Owner { get; init; }

    public required string SettlementKey { get; init; }

    public required string StudioSigner { get; init; }

    public required string SponsorSigner { get; init; }

    /// <summary>Length of a staking epoch; a bribe change takes effect from the next one.</summary>
    public ulong EpochLengthSeconds { get; init; } = 24 * 60 * 60;

    /// <summary>ETH deposited at the EntryPoint for the paymaster, which pays the gas of sponsored mints.</summary>
    public BigInteger PaymasterDeposit { get; init; } = BigInteger.Pow(10, 18) * 10;
}

/// <summary>
/// Deploys the whole chain layer: the ERC-4337 EntryPoint (at its canonical address) and SimpleAccountFactory (from the published artifacts),
/// HEU, esHEU, MinerStaking, RewardsDistributor, ImaginariesNft and HeuristPaymaster; wires their roles; funds the paymaster.
/// </summary>
public static class ContractDeployer
{
    public static async Task<DeploymentManifest> DeployAsync(IWeb3 web3, DeploymentOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(options);
        var chainId = (ulong)(await web3.Eth.ChainId.SendRequestAsync().ConfigureAwait(false)).Value;
        var owner = web3.As(options.Owner, chainId);
        var ownerAddress = options.Owner.GetPublicAddress();
        var startBlock = (ulong)(await web3.Eth.Blocks.GetBlockNumber.SendRequestAsync().ConfigureAwait(false)).Value + 1;

        var entryPoint = await CanonicalEntryPoint.EnsureAsync(owner, cancellationToken).ConfigureAwait(false);
        var factory = await SimpleAccountFactoryContract.DeployAsync(owner, entryPoint.Address, cancellationToken).ConfigureAwait(false);
        var heu = await HeuristTokenContract.DeployAsync(owner, ownerAddress, ownerAddress, cancellationToken).ConfigureAwait(false);
        var esHeu = await EscrowedHeuristContract.DeployAsync(owner, heu.Address, ownerAddress, cancellationToken).ConfigureAwait(false);
        var staking = await MinerStakingContract.DeployAsync(owner, heu.Address, esHeu.Address, options.EpochLengthSeconds, cancellationToken).ConfigureAwait(false);
        var distributor = await RewardsDistributorContract.DeployAsync(owner, heu.Address, esHeu.Address, options.SettlementKey, ownerAddress, cancellationToken).ConfigureAwait(false);
        var nft = await ImaginariesNftContract.DeployAsync(owner, options.StudioSigner, ownerAddress, cancellationToken).ConfigureAwait(false);
        var paymaster = await HeuristPaymasterContract.DeployAsync(owner, entryPoint.Address, nft.Address, options.SponsorSigner, ownerAddress, cancellationToken).ConfigureAwait(false);

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
                EntryPoint = entryPoint.Address,
                SimpleAccountFactory = factory.Address,
                HeuristToken = heu.Address,
                EscrowedHeurist = esHeu.Address,
                MinerStaking = staking.Address,
                RewardsDistributor = distributor.Address,
                ImaginariesNft = nft.Address,
                HeuristPaymaster = paymaster.Address,
            },
            Roles = new DeploymentRoles
            {
                Owner = ownerAddress,
                SettlementKey = AddressUtil.Current.ConvertToChecksumAddress(options.SettlementKey),
                StudioSigner = AddressUtil.Current.ConvertToChecksumAddress(options.StudioSigner),
                SponsorSigner = AddressUtil.Current.ConvertToChecksumAddress(options.SponsorSigner),
            },
        };
    }

    /// <summary>
    /// Checks a manifest against the chain at <paramref name="endpoint"/>: same chain id, and code at every address.
    /// Throws <see cref="DeploymentMismatchException"/> saying what differs.
    /// </summary>
    public static async Task VerifyAsync(IWeb3 web3, Uri endpoint, DeploymentManifest manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(web3);
        ArgumentNullException.ThrowIfNull(manifest);
        var chainId = (await web3.Eth.ChainId.SendRequestAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).Value;
        if (chainId != manifest.ChainId)
        {
            throw new DeploymentMismatchException($"the manifest is for chain {manifest.ChainId}, but {endpoint} serves chain {chainId}");
        }
        foreach (var (name, address) in manifest.Contracts.All())
        {
            if (!IsValidAddress(address))
            {
                throw new DeploymentMismatchException($"{name} has no valid address ('{address}')");
            }
            var code = await web3.Eth.GetCode.SendRequestAsync(address).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (code is null or { Length: <= 2 })
            {
                throw new DeploymentMismatchException($"{name} at {address} has no code on chain {chainId}");
            }
        }
    }

    // A manifest is edited by hand at times: mixed-case hex must carry a valid EIP-55 checksum, as a typo is likely otherwise.
    private static bool IsValidAddress(string address)
    {
        var addresses = AddressUtil.Current;
        if (!addresses.IsValidEthereumAddressHexFormat(address))
        {
            return false;
        }
        var digits = address[2..];
        var mixedCase = digits.Any(char.IsAsciiLetterLower) && digits.Any(char.IsAsciiLetterUpper);
        return !mixedCase || addresses.IsChecksumAddress(address);
    }
}

/// <summary>A deployment manifest that does not describe the chain it is used with.</summary>
public sealed class DeploymentMismatchException(string message) : Exception(message);
