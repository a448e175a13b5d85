using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Imaginaries;
using static Heurist.Contracts.Tests.ContractRules.ProtocolChain;

namespace Heurist.Contracts.Tests.ContractRules;

/// <summary>What the paymaster and sponsored-mint tests share: authorizations, and reading the EntryPoint's refusals.</summary>
internal static class SponsoredOperations
{
    public const string IpfsUri = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/metadata.json";

    /// <summary>A studio-signed authorization to mint a new image to <paramref name="wallet"/>, valid for a day.</summary>
    public static async Task<(MintAuthorization Authorization, byte[] Signature)> AuthorizeAsync(ProtocolChain chain, string wallet, CancellationToken ct)
    {
        var authorization = new MintAuthorization(wallet, UniqueId("image"), "sdxl", IpfsUri, await chain.LatestTimestampAsync(ct) + Day);
        return (authorization, authorization.Sign(StudioSigner, chain.Contracts.ChainId, chain.Contracts.Nft.Address));
    }

    /// <summary>The end of a sponsorship window a day from now.</summary>
    public static async Task<ulong> ValidUntilAsync(ProtocolChain chain, CancellationToken ct) => await chain.LatestTimestampAsync(ct) + Day;

    /// <summary>
    /// Submits <paramref name="operation"/>, which the EntryPoint must refuse for op 0 with <paramref name="reason"/>;
    /// returns the error the account or paymaster reverted with, when the EntryPoint passed one on (FailedOpWithRevert).
    /// </summary>
    public static async Task<DecodedError?> RefusedAsync(ProtocolChain chain, PackedUserOperation operation, string reason, CancellationToken ct)
    {
        var revert = await Assert.ThrowsAsync<ContractRevertedException>(
            () => chain.Contracts.SponsoredMint.SubmitAsync(chain.Send(Bundler), operation, ct));
        Assert.True(revert.ErrorName is "FailedOp" or "FailedOpWithRevert", revert.Message);
        Assert.Equal(BigInteger.Zero, revert.Error.Arguments["opIndex"]);
        Assert.Equal(reason, revert.Error.Arguments["reason"]);
        return revert.ErrorName == "FailedOpWithRevert" ? ContractArtifacts.DecodeError((byte[])revert.Error.Arguments["inner"]!) : null;
    }
}
