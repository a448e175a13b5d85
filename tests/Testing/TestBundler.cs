using System.Numerics;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Nethereum.Hex.HexTypes;
using Nethereum.Signer;

namespace Heurist.Testing;

/// <summary>Alto for a test chain, with an executor and a utility account of its own so that no test's account nonce is touched.</summary>
public static class TestBundler
{
    public static async Task<LocalAltoBundler> StartAsync(Uri rpcUrl, string? logFile = null)
    {
        var executor = EthECKey.GenerateKey();
        var utility = EthECKey.GenerateKey();
        var rpc = ChainRpc.Connect(rpcUrl);
        foreach (var key in new[] { executor, utility })
        {
            await rpc.Client.SendRequestAsync<object>("anvil_setBalance", null, key.GetPublicAddress(), new HexBigInteger(BigInteger.Pow(10, 21)).HexValue);
        }
        return await LocalAltoBundler.StartAsync(new LocalAltoOptions
        {
            ScriptPath = LocalAltoBundler.FindScript(RepositoryPaths.Bundler),
            RpcUrl = rpcUrl,
            Port = FreePort.Next(),
            ExecutorPrivateKey = executor.GetPrivateKey(),
            UtilityPrivateKey = utility.GetPrivateKey(),
            LogFile = logFile,
        });
    }
}
