using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Bindings.ImaginariesNft;
using Heurist.Contracts.Bindings.SimpleAccount;
using Heurist.Contracts.Bindings.SimpleAccountFactory;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Heurist.Contracts.AccountAbstraction;

/// <summary>
/// What the portal's sponsor key signs for, checked off chain before it signs: only <c>ImaginariesNft.mint</c>,
/// reached through the creator's own <c>SimpleAccount.execute</c> with no ETH, and at most the factory call that
/// deploys that account. HeuristPaymaster checks the same on chain; this refuses early, with a reason in words.
/// </summary>
public sealed class SponsorshipPolicy(string nft, string accountFactory)
{
    private static readonly byte[] ExecuteSelector = new ExecuteFunction().GetCallData()[..4];
    private static readonly byte[] MintSelector = new MintFunction().GetCallData()[..4];
    private static readonly byte[] CreateAccountSelector = new CreateAccountFunction().GetCallData()[..4];

    /// <summary>Throws <see cref="SponsorshipRefusedException"/> unless <paramref name="operation"/> only mints to <paramref name="owner"/>.</summary>
    public void Check(PackedUserOperation operation, string owner)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        CheckInitCode(operation.InitCode, owner);

        if (!HasSelector(operation.CallData, ExecuteSelector))
        {
            throw new SponsorshipRefusedException("Only SimpleAccount.execute is sponsored: the operation calls something else.");
        }
        ExecuteFunction execute;
        try
        {
            execute = new ExecuteFunction().DecodeInput(operation.CallData.ToHex(true));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IndexOutOfRangeException or InvalidOperationException or OverflowException)
        {
            throw new SponsorshipRefusedException("The operation's execute call cannot be decoded.");
        }
        if (!string.Equals(execute.Target, nft, StringComparison.OrdinalIgnoreCase))
        {
            throw new SponsorshipRefusedException($"Only calls to ImaginariesNft {nft} are sponsored, not to {execute.Target}.");
        }
        if (execute.Value != BigInteger.Zero)
        {
            throw new SponsorshipRefusedException("A sponsored mint sends no ETH: execute's value must be 0.");
        }
        if (!HasSelector(execute.Data, MintSelector))
        {
            throw new SponsorshipRefusedException("Only ImaginariesNft.mint is sponsored: the call is another function of the NFT.");
        }
        MintFunction mint;
        try
        {
            mint = new MintFunction().DecodeInput(execute.Data.ToHex(true));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IndexOutOfRangeException or InvalidOperationException or OverflowException)
        {
            throw new SponsorshipRefusedException("The mint call inside execute cannot be decoded.");
        }
        if (!string.Equals(mint.To, owner, StringComparison.OrdinalIgnoreCase))
        {
            throw new SponsorshipRefusedException($"A sponsored mint goes to the signed-in wallet {owner}, not to {mint.To}.");
        }
    }

    private void CheckInitCode(byte[] initCode, string owner)
    {
        if (initCode is not { Length: > 0 })
        {
            return;
        }
        if (initCode.Length < 24 || !string.Equals(initCode[..20].ToHex(true), accountFactory, StringComparison.OrdinalIgnoreCase)
            || !HasSelector(initCode[20..], CreateAccountSelector))
        {
            throw new SponsorshipRefusedException("The only account deployment sponsored is SimpleAccountFactory.createAccount.");
        }
        var create = new CreateAccountFunction().DecodeInput(initCode[20..].ToHex(true));
        if (!string.Equals(create.Owner, owner, StringComparison.OrdinalIgnoreCase) || create.Salt != SponsoredMint.AccountSalt)
        {
            throw new SponsorshipRefusedException($"The account deployed must be the SimpleAccount of {owner} with salt 0.");
        }
    }

    private static bool HasSelector(byte[]? data, byte[] selector)
        => data is { Length: >= 4 } && data.AsSpan(0, 4).SequenceEqual(selector);
}

/// <summary>The portal will not sponsor an operation; the message says why.</summary>
public sealed class SponsorshipRefusedException(string message) : Exception(message);
