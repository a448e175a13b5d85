namespace Heurist.Portal.Client.Features.Transactions;

/// <summary>
/// One write to a contract, as every form hands it to <see cref="TransactionRunner"/>: what it is called on screen,
/// the contract and the calldata. WaitForIndexer is false for a write the portal's tables do not show (an approval),
/// so the flow ends at "confirmed".
/// </summary>
public sealed record TransactionRequest(string Title, string To, string Data, bool WaitForIndexer = true);

/// <summary>Where a transaction stands, in the order the flow passes through them; the last five end it.</summary>
public enum TransactionStage
{
    /// <summary>Run against the chain's RPC (eth_estimateGas) to catch a revert before the wallet opens.</summary>
    Checking,

    /// <summary>The wallet is asking the user to confirm.</summary>
    WalletPrompt,

    /// <summary>Sent; waiting for its receipt.</summary>
    Pending,

    /// <summary>Mined with status 1; waiting for the portal's indexer to pass its block.</summary>
    Confirmed,

    /// <summary>Mined, and the portal's tables include it. The end of a successful write.</summary>
    Indexed,

    /// <summary>The user declined in the wallet (EIP-1193 code 4001). Nothing was sent.</summary>
    Declined,

    /// <summary>The contract refused, at the check or in the mined receipt; the message says why in words.</summary>
    Reverted,

    /// <summary>The wallet is on another chain than the portal's; the wallet was not asked.</summary>
    WrongNetwork,

    /// <summary>Anything else: no wallet, no answer from the chain or the wallet.</summary>
    Failed,
}

/// <summary>What <see cref="TransactionProgress"/> shows: the stage, the transaction's hash and block once known, and a sentence when it ended badly.</summary>
public sealed record TransactionStatus(
    TransactionStage Stage,
    string Title,
    string? Hash = null,
    long? BlockNumber = null,
    string? Message = null,
    string? ExplorerUrl = null)
{
    /// <summary>Still going: the form stays locked.</summary>
    public bool IsRunning => Stage is TransactionStage.Checking or TransactionStage.WalletPrompt or TransactionStage.Pending
        || (Stage == TransactionStage.Confirmed && !Finished);

    /// <summary>Mined with success (whether or not the indexer has it yet).</summary>
    public bool Succeeded => Stage is TransactionStage.Confirmed or TransactionStage.Indexed;

    /// <summary>The flow has ended: at <see cref="TransactionStage.Indexed"/>, at Confirmed for a write that does not wait for the indexer, or badly.</summary>
    public bool Finished { get; init; }
}
