using System.Text.Json.Nodes;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Governance;
using Heurist.Protocol.Governance;

namespace Heurist.Portal.Client.Features.Governance;

/// <summary>Where a signed message on its way to the hub is.</summary>
public enum HubSubmissionStage
{
    Ready,
    WaitingForSignature,
    Sending,
    Recorded,
}

/// <summary>How sending a signed message to the hub ended.</summary>
public enum HubSubmissionResult
{
    /// <summary>The hub stored it; the receipt says under which id.</summary>
    Recorded,

    /// <summary>The user declined the signature in the wallet (EIP-1193 code 4001).</summary>
    Declined,

    /// <summary>The wallet gave no signature for another reason.</summary>
    WalletFailed,

    /// <summary>The hub refused it; the message is its reason.</summary>
    Refused,

    /// <summary>The portal could not be reached.</summary>
    Unreachable,
}

/// <summary>The outcome of <see cref="HubSubmission.SignAndSubmitAsync"/>: a receipt, or a sentence for the person that says what happened.</summary>
public sealed record HubSubmissionOutcome(HubSubmissionResult Result, HubReceipt? Receipt, string? Message);

/// <summary>
/// Signs a Snapshot message with the connected wallet (eth_signTypedData_v4) and posts the envelope snapshot.js would
/// post to the hub. Snapshot's domain names no chain, so the wallet's network does not matter here.
/// </summary>
public static class HubSubmission
{
    /// <summary>
    /// The account that can sign a governance message now: the signed-in one, when the connected wallet is on it (the
    /// wallet signs with its account, and the message's <c>from</c> is the signed-in one); otherwise null.
    /// </summary>
    public static string? Signer(WalletService wallet)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        return wallet is { State: WalletState.Connected, Account: { } account, SignedInAddress: { } signedIn }
            && string.Equals(account, signedIn, StringComparison.OrdinalIgnoreCase)
                ? signedIn
                : null;
    }

    /// <param name="wallet">The wallet whose connected account signs; it must be the message's <c>from</c>.</param>
    /// <param name="governance">The hub.</param>
    /// <param name="kind">The struct the message is signed as.</param>
    /// <param name="message">The message, with every member of the struct.</param>
    /// <param name="onStage">Told when the wallet is asked and when the signed message is sent.</param>
    /// <param name="cancellationToken">Cancels the wait for the wallet and the post.</param>
    public static async Task<HubSubmissionOutcome> SignAndSubmitAsync(
        WalletService wallet, IGovernanceClient governance, SnapshotMessageKind kind, JsonObject message,
        Action<HubSubmissionStage> onStage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        ArgumentNullException.ThrowIfNull(governance);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(onStage);
        var from = (string?)message["from"] ?? throw new ArgumentException("The message has no from.", nameof(message));
        onStage(HubSubmissionStage.WaitingForSignature);
        var signed = await wallet.SignTypedDataAsync(SnapshotTypes.TypedData(kind, message), cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        if (!signed.Ok || signed.ResultString is not { Length: > 0 } signature)
        {
            return signed.Error?.Code == WalletError.UserRejected
                ? new(HubSubmissionResult.Declined, null, "You declined the signature; nothing was sent.")
                : new(HubSubmissionResult.WalletFailed, null, $"The wallet could not sign: {signed.Error?.Message ?? "it gave no signature."}");
        }
        onStage(HubSubmissionStage.Sending);
        try
        {
            var receipt = await governance.SubmitAsync(SnapshotTypes.Envelope(from, signature, kind, message), cancellationToken);
            return new(HubSubmissionResult.Recorded, receipt, null);
        }
        catch (ApiException ex)
        {
            return new(HubSubmissionResult.Refused, null, ex.Title);
        }
        catch (HttpRequestException)
        {
            return new(HubSubmissionResult.Unreachable, null, "Could not reach the portal. Check your connection and try again; nothing was recorded.");
        }
    }
}
