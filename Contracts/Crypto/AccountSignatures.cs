using System.Diagnostics.CodeAnalysis;
using Heurist.Contracts.Rpc;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Web3;

namespace Heurist.Contracts.Crypto;

/// <summary>Why an account's signature of a hash is refused.</summary>
public enum AccountSignatureRefusal
{
    /// <summary>The signature is not 65 bytes, has a bad v, r or s, or recovers no key; and the address has no code.</summary>
    BadSignature,

    /// <summary>The signature's s is in the upper half of the curve order (EIP-2); and the address has no code.</summary>
    HighS,

    /// <summary>A valid signature by another key, or a contract account that did not accept it.</summary>
    WrongAddress,
}

/// <summary>The outcome of <see cref="AccountSignatureVerifier.VerifyAsync"/>: valid (and whose), or refused and why.</summary>
public sealed class AccountSignatureCheck
{
    private AccountSignatureCheck(bool contractAccount, AccountSignatureRefusal? refusal, string? reason)
    {
        IsContractAccount = contractAccount;
        Refusal = refusal;
        Reason = reason;
    }

    /// <summary>True when the address's key made the signature, or its contract accepted it.</summary>
    [MemberNotNullWhen(false, nameof(Refusal), nameof(Reason))]
    public bool IsValid => Refusal is null;

    /// <summary>True when the address is a contract whose ERC-1271 <c>isValidSignature</c> accepted the signature.</summary>
    public bool IsContractAccount { get; }

    public AccountSignatureRefusal? Refusal { get; }

    /// <summary>A sentence that says what is wrong, e.g. "The message was signed by 0x…, not by 0x…".</summary>
    public string? Reason { get; }

    public static AccountSignatureCheck Valid(bool contractAccount) => new(contractAccount, null, null);

    public static AccountSignatureCheck Refused(AccountSignatureRefusal refusal, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new(false, refusal, reason);
    }
}

/// <summary>
/// Whether an address signed a 32-byte hash, for every kind of account: the check Sign-In with Ethereum and the
/// governance hub share.
/// <list type="number">
/// <item>An externally owned account: the signature is 65 bytes (r, s, v) with s in the lower half of the curve order
/// (EIP-2), and it recovers the address. This needs no chain.</item>
/// <item>Otherwise, when the address has code (eth_getCode), its ERC-1271 <c>isValidSignature(hash, signature)</c> is
/// called with eth_call and the signature bytes as given; only a first return word of exactly bytes32(0x1626ba7e)
/// accepts, as OpenZeppelin's SignatureChecker reads it. A revert refuses.</item>
/// <item>An address without code gets the account check's refusal: bad_signature, high_s or wrong_address.</item>
/// </list>
/// A chain that cannot be asked throws <see cref="SignatureChainUnavailableException"/>: that is no refusal.
/// </summary>
public sealed class AccountSignatureVerifier(IWeb3 web3)
{
    /// <summary>What ERC-1271's <c>isValidSignature</c> returns for a signature it accepts: its own selector.</summary>
    public static ReadOnlySpan<byte> Erc1271MagicValue => [0x16, 0x26, 0xba, 0x7e];

    /// <summary>Checks that <paramref name="address"/> signed <paramref name="hash"/>; see the class for the rules.</summary>
    /// <exception cref="SignatureChainUnavailableException">The chain was needed and could not be asked.</exception>
    public async Task<AccountSignatureCheck> VerifyAsync(byte[] hash, byte[] signature, string address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentException.ThrowIfNullOrEmpty(address);
        var accountRefusal = CheckAccountSignature(hash, signature, address);
        if (accountRefusal is null)
        {
            return AccountSignatureCheck.Valid(contractAccount: false);
        }
        if (!await HasCodeAsync(address, cancellationToken).ConfigureAwait(false))
        {
            return accountRefusal;
        }
        return await CheckContractSignatureAsync(hash, signature, address, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Null when <paramref name="signature"/> is <paramref name="address"/>'s key's low-s signature of <paramref name="hash"/>, else why not.</summary>
    public static AccountSignatureCheck? CheckAccountSignature(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature, string address)
    {
        if (signature.Length != 65)
        {
            return AccountSignatureCheck.Refused(AccountSignatureRefusal.BadSignature,
                $"The signature has {signature.Length} bytes; an account's signature has 65 (r, s and v).");
        }
        if (Signatures.HasHighS(signature))
        {
            return AccountSignatureCheck.Refused(AccountSignatureRefusal.HighS,
                "The signature's s is in the upper half of the curve order; only its low-s form is accepted (EIP-2).");
        }
        string recovered;
        try
        {
            recovered = Signatures.Recover(hash, signature);
        }
        catch (InvalidSignatureException ex)
        {
            return AccountSignatureCheck.Refused(AccountSignatureRefusal.BadSignature, $"The signature is not valid: {ex.Message}");
        }
        return string.Equals(recovered, address, StringComparison.OrdinalIgnoreCase)
            ? null
            : AccountSignatureCheck.Refused(AccountSignatureRefusal.WrongAddress, $"The message was signed by {recovered}, not by {address}.");
    }

    private async Task<bool> HasCodeAsync(string address, CancellationToken cancellationToken)
    {
        try
        {
            var code = await web3.Eth.GetCode.SendRequestAsync(address).WaitAsync(cancellationToken).ConfigureAwait(false);
            return code is { Length: > 2 };
        }
        catch (Exception ex) when (IsChainFailure(ex, cancellationToken))
        {
            throw new SignatureChainUnavailableException($"The chain could not be asked whether {address} is a contract account: {ex.Message}", ex);
        }
    }

    /// <summary>ERC-1271: asks the contract at <paramref name="address"/> whether it accepts the signature of the hash.</summary>
    private async Task<AccountSignatureCheck> CheckContractSignatureAsync(byte[] hash, byte[] signature, string address, CancellationToken cancellationToken)
    {
        var call = new IsValidSignatureFunction { Hash = hash, Signature = signature }.CreateCallInput(address);
        string answer;
        try
        {
            answer = await web3.Eth.Transactions.Call.SendRequestAsync(call, BlockParameter.CreateLatest()).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ChainRpc.TryGetRevertData(ex, out _))
        {
            return AccountSignatureCheck.Refused(AccountSignatureRefusal.WrongAddress,
                $"The contract account {address} refused the signature: its isValidSignature reverted.");
        }
        catch (Exception ex) when (IsChainFailure(ex, cancellationToken))
        {
            throw new SignatureChainUnavailableException($"The chain could not be asked whether contract account {address} accepts the signature: {ex.Message}", ex);
        }

        // As OpenZeppelin's SignatureChecker reads it: the first word is exactly bytes32(0x1626ba7e).
        var returned = answer is not null && answer.IsHex() ? answer.HexToByteArray() : [];
        var accepted = returned.Length >= 32 && returned.AsSpan(0, 4).SequenceEqual(Erc1271MagicValue) && !returned.AsSpan(4, 28).ContainsAnyExcept((byte)0);
        return accepted
            ? AccountSignatureCheck.Valid(contractAccount: true)
            : AccountSignatureCheck.Refused(AccountSignatureRefusal.WrongAddress,
                $"The contract account {address} did not accept the signature (isValidSignature answered {(returned.Length == 0 ? "nothing" : Describe(returned))}).");
    }

    private static string Describe(byte[] returned) => returned.Length >= 4 ? returned.AsSpan(0, 4).ToArray().ToHex(true) : returned.ToHex(true);

    /// <summary>The node could not answer: unreachable, too slow, or failing. A cancellation of ours is not that.</summary>
    private static bool IsChainFailure(Exception ex, CancellationToken cancellationToken)
        => ChainRpc.IsRpcFailure(ex) || ex is HttpRequestException or TimeoutException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>ERC-1271's one function, by the standard's ABI.</summary>
    [Function("isValidSignature", "bytes4")]
    private sealed class IsValidSignatureFunction : FunctionMessage
    {
        [Parameter("bytes32", "hash", 1)]
        public byte[] Hash { get; set; } = [];

        [Parameter("bytes", "signature", 2)]
        public byte[] Signature { get; set; } = [];
    }
}

/// <summary>
/// The chain could not be asked whether an address is a contract account, or what its ERC-1271 check answers: the
/// node is unreachable, too slow, or failing. Not a refusal: the same signature may be checked again later.
/// </summary>
public sealed class SignatureChainUnavailableException : Exception
{
    public SignatureChainUnavailableException(string message, Exception innerException) : base(message, innerException) { }

    public SignatureChainUnavailableException() : base("The chain could not be reached.") { }

    public SignatureChainUnavailableException(string message) : base(message) { }
}
