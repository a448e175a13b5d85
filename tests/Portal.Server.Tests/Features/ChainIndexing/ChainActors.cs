using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Nethereum.Hex.HexTypes;
using Nethereum.Signer;
using Nethereum.Util;
using Nethereum.Web3;

namespace Heurist.Portal.Server.Tests.Features.ChainIndexing;

/// <summary>Does things on the chain the way users, miners and the settlement key would, for the indexer to read.</summary>
internal sealed class ChainActors(IWeb3 rpc, DeploymentManifest manifest)
{
    public static readonly BigInteger Heu = BigInteger.Pow(10, 18);

    public HeuristTokenContract Token { get; } = new(rpc, manifest.Contracts.HeuristToken);

    public MinerStakingContract Staking { get; } = new(rpc, manifest.Contracts.MinerStaking);

    public ImaginariesNftContract Nft { get; } = new(rpc, manifest.Contracts.ImaginariesNft);

    public RewardsDistributorContract Distributor { get; } = new(rpc, manifest.Contracts.RewardsDistributor);

    /// <summary>The chain as <paramref name="key"/>'s account sends to it.</summary>
    public IWeb3 Send(EthECKey key) => rpc.As(key, manifest.ChainId, TimeSpan.FromMilliseconds(20));

    /// <summary>A new account with ETH for gas and some HEU from the treasury.</summary>
    public async Task<EthECKey> NewUserAsync(BigInteger heu)
    {
        var key = EthECKey.GenerateKey();
        await rpc.Client.SendRequestAsync<object>("anvil_setBalance", null, key.Address, new HexBigInteger(100 * Heu).HexValue);
        if (heu > 0)
        {
            await Token.TransferAsync(Send(AnvilAccounts.Owner), key.Address, heu);
        }
        return key;
    }

    public static byte[] MinerId(string name) => Sha3Keccack.Current.CalculateHash(System.Text.Encoding.UTF8.GetBytes(name));

    public static byte[] RandomHash() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
}
