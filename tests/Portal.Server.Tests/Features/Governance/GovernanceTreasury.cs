using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.Portal.Server.Tests.Features.ChainIndexing;
using Heurist.Testing;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.Signer;

namespace Heurist.Portal.Server.Tests.Features.Governance;

/// <summary>
/// Funds the governance tests' accounts from a key of their own, one transaction at a time. Other test classes send
/// from the deployment's owner at the same time, and two senders from one account race for its nonce; so the owner is
/// asked once for this treasury (and, once, to make its esHEU minter a protocol contract of esHEU), and every account
/// after that comes from here.
/// </summary>
internal static class GovernanceTreasury
{
    private static readonly BigInteger Token = ChainActors.Heu;
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly EthECKey Treasury = EthECKey.GenerateKey();
    private static bool _funded;

    /// <summary>A new account with 100 ETH for gas, <paramref name="heu"/> HEU and <paramref name="esHeu"/> esHEU (in wei).</summary>
    public static async Task<EthECKey> NewAccountAsync(DeployedChainFixture chain, BigInteger heu, BigInteger esHeu = default)
    {
        var key = EthECKey.GenerateKey();
        await SetEthAsync(chain, key.Address);
        await FundAsync(chain, key.Address, heu, esHeu);
        return key;
    }

    /// <summary>Sends <paramref name="heu"/> HEU and deposits <paramref name="esHeu"/> esHEU (in wei) to <paramref name="address"/>.</summary>
    public static async Task FundAsync(DeployedChainFixture chain, string address, BigInteger heu, BigInteger esHeu = default)
    {
        var token = new HeuristTokenContract(chain.Rpc, chain.Manifest.Contracts.HeuristToken);
        var escrowed = new EscrowedHeuristContract(chain.Rpc, chain.Manifest.Contracts.EscrowedHeurist);
        var treasury = chain.Rpc.As(Treasury, chain.Manifest.ChainId, TimeSpan.FromMilliseconds(20));
        await Gate.WaitAsync();
        try
        {
            if (!_funded)
            {
                await SetEthAsync(chain, Treasury.Address);
                await FromOwnerAsync(chain, owner => token.TransferAsync(owner, Treasury.Address, 10_000_000 * Token));
                await FromOwnerAsync(chain, owner => escrowed.SetProtocolContractAsync(owner, Treasury.Address, true));
                await token.ApproveAsync(treasury, escrowed.Address, 1_000_000 * Token);
                _funded = true;
            }
            if (heu > 0)
            {
                await token.TransferAsync(treasury, address, heu);
            }
            if (esHeu > 0)
            {
                await escrowed.DepositAsync(treasury, address, esHeu);
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task SetEthAsync(DeployedChainFixture chain, string address)
        => await chain.Rpc.Client.SendRequestAsync<object>("anvil_setBalance", null, address, new HexBigInteger(100 * Token).HexValue);

    // Another test may have taken the owner's next nonce between our estimate and our send: then try again.
    private static async Task FromOwnerAsync(DeployedChainFixture chain, Func<Nethereum.Web3.IWeb3, Task> send)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await send(chain.Rpc.As(AnvilAccounts.Owner, chain.Manifest.ChainId, TimeSpan.FromMilliseconds(20)));
                return;
            }
            catch (RpcResponseException ex) when (attempt < 5 && ex.Message.Contains("nonce", StringComparison.OrdinalIgnoreCase))
            {
                await Task.Delay(50 * attempt);
            }
        }
    }
}
