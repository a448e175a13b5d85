using System.Numerics;
using System.Text.Json.Nodes;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;

namespace Heurist.Portal.Server.Tests.Features.ChainIndexing;

/// <summary>Does things on the chain the way users, miners and the settlement key would, for the indexer to read.</summary>
internal sealed class ChainActors(EthereumRpcClient rpc, DeploymentManifest manifest)
{
    public static readonly BigInteger Heu = BigInteger.Pow(10, 18);

    public HeuristTokenContract Token { get; } = new(rpc, EthereumAddress.Parse(manifest.Contracts.HeuristToken));

    public MinerStakingContract Staking { get; } = new(rpc, EthereumAddress.Parse(manifest.Contracts.MinerStaking));

    public ImaginariesNftContract Nft { get; } = new(rpc, EthereumAddress.Parse(manifest.Contracts.ImaginariesNft));

    public RewardsDistributorContract Distributor { get; } = new(rpc, EthereumAddress.Parse(manifest.Contracts.RewardsDistributor));

    public TransactionSender Owner { get; } = new(rpc, AnvilAccounts.Owner);

    /// <summary>A new account with ETH for gas and some HEU from the treasury.</summary>
    public async Task<TransactionSender> NewUserAsync(BigInteger heu)
    {
        var key = EthereumKey.Generate();
        await rpc.CallAsync("anvil_setBalance", new JsonArray(key.Address.ToString(), "0x56BC75E2D63100000"));
        if (heu > 0)
        {
            await Token.TransferAsync(Owner, key.Address, heu);
        }
        return new TransactionSender(rpc, key);
    }

    public static byte[] MinerId(string name) => Keccak256.Hash(System.Text.Encoding.UTF8.GetBytes(name));

    public static byte[] RandomHash() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
}
