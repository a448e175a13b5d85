using Heurist.Contracts.Bindings;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;

namespace Heurist.Contracts.Deployment;

/// <summary>
/// EntryPoint v0.8 at its canonical address, 0x4337084D…, as on every public chain: the published bytecode sent
/// through the deterministic deployment proxy (which anvil has) with the published salt. Bundlers such as Alto tell
/// the EntryPoint's version by that address, so a copy anywhere else would not be served.
/// </summary>
public static class CanonicalEntryPoint
{
    public const string Address = "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108";

    /// <summary>Arachnid's deterministic deployment proxy: CREATE2 of calldata[32:] with salt calldata[0:32].</summary>
    public const string DeterministicDeployer = "0x4e59b44847b379578588920ca78fbf26c0b4956c";

    public const string Salt = "0x0a59dbff790c23c976a548690c27297883cc66b4c67024f9117b0238995e35e9";

    /// <summary>Where the proxy puts the published EntryPoint: checks that the artifact is the published one.</summary>
    public static string ComputeAddress()
    {
        var initCodeHash = Sha3Keccack.Current.CalculateHash(EntryPointContract.Artifact.Bytecode.HexToByteArray());
        var preimage = new byte[1 + 20 + 32 + 32];
        preimage[0] = 0xff;
        DeterministicDeployer.HexToByteArray().CopyTo(preimage, 1);
        Salt.HexToByteArray().CopyTo(preimage, 21);
        initCodeHash.CopyTo(preimage, 53);
        return AddressUtil.Current.ConvertToChecksumAddress(Sha3Keccack.Current.CalculateHash(preimage)[12..].ToHex(true));
    }

    /// <summary>Deploys the EntryPoint unless the chain has it already (a chain is shared by several deployments).</summary>
    public static async Task<EntryPointContract> EnsureAsync(IWeb3 sender, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sender);
        if (!await HasCodeAsync(sender, Address).ConfigureAwait(false))
        {
            if (!await HasCodeAsync(sender, DeterministicDeployer).ConfigureAwait(false))
            {
                throw new InvalidOperationException(
                    $"The chain has no EntryPoint v0.8 at {Address} and no deterministic deployment proxy at {DeterministicDeployer} to put it there.");
            }
            var input = new TransactionInput
            {
                From = sender.TransactionManager.Account.Address,
                To = DeterministicDeployer,
                Data = Salt + EntryPointContract.Artifact.Bytecode.RemoveHexPrefix(),
                // Measured at 5.03M; estimation through the proxy comes out short, as the proxy does not bubble a failure.
                Gas = new HexBigInteger(6_000_000),
            };
            var receipt = await sender.TransactionManager.SendTransactionAndWaitForReceiptAsync(input, cancellationToken).ConfigureAwait(false);
            // A deployment racing this one on the same chain makes this transaction fail, and the EntryPoint is there all the same.
            if (!await HasCodeAsync(sender, Address).ConfigureAwait(false))
            {
                throw new InvalidOperationException($"Deploying EntryPoint v0.8 through {DeterministicDeployer} did not put it at {Address} (transaction {receipt.TransactionHash}).");
            }
        }
        return new EntryPointContract(sender, Address);
    }

    private static async Task<bool> HasCodeAsync(IWeb3 web3, string address)
        => (await web3.Eth.GetCode.SendRequestAsync(address).ConfigureAwait(false)) is { Length: > 2 };
}
