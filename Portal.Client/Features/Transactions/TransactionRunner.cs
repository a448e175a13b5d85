using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Protocol.Api;
using Heurist.Protocol.Api.Chain;
using Heurist.Protocol.Chain;

namespace Heurist.Portal.Client.Features.Transactions;

/// <summary>
/// The one flow every write in the browser goes through. It checks the call against the chain's RPC first
/// (eth_estimateGas), so a revert reads as a sentence without opening the wallet; then the wallet prompt
/// (eth_sendTransaction, the wallet fills in gas); the pending hash; the receipt (a reverted one is run again with
/// eth_call at its block to learn why); and the portal's indexer passing its block. Each step is reported to the caller,
/// and none throws: the last status says how it ended.
/// </summary>
public sealed class TransactionRunner(WalletService wallet, WalletInterop interop, IChainClient chainClient, TimeProvider clock)
{
    /// <summary>How often the receipt and the indexer are asked again while waiting.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="request"/> from the connected account; <paramref name="report"/> sees every status, the last one included.</summary>
    public async Task<TransactionStatus> RunAsync(TransactionRequest request, Action<TransactionStatus>? report = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        TransactionStatus Report(TransactionStatus status)
        {
            report?.Invoke(status);
            return status;
        }
        TransactionStatus End(TransactionStage stage, string message, string? hash = null, long? block = null)
            => Report(new TransactionStatus(stage, request.Title, hash, block, message) { Finished = true });

        if (wallet.State != WalletState.Connected || wallet.Account is not { } account)
        {
            return End(TransactionStage.Failed, "Connect a wallet first (top right).");
        }
        if (wallet.IsWrongNetwork)
        {
            return End(TransactionStage.WrongNetwork,
                $"Your wallet is on another network. Switch to {wallet.Chain?.ChainName ?? "the portal's chain"} (see the banner above), then try again.");
        }
        ChainInfo chain;
        try
        {
            chain = wallet.Chain ?? await chainClient.GetChainAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or ApiException or JsonException)
        {
            return End(TransactionStage.Failed, $"Could not learn the portal's chain: {ex.Message}");
        }
        var call = new TransactionCall(account, request.To, request.Data);

        Report(new TransactionStatus(TransactionStage.Checking, request.Title));
        var estimate = await interop.RpcAsync(chain.RpcUrl, "eth_estimateGas", [call], cancellationToken);
        if (!estimate.Ok)
        {
            return IsRevert(estimate.Error)
                ? End(TransactionStage.Reverted, RevertReasons.Describe(estimate.Error?.Data).Message)
                : End(TransactionStage.Failed, $"Could not check the transaction with the chain: {estimate.Error?.Message}");
        }

        Report(new TransactionStatus(TransactionStage.WalletPrompt, request.Title, Message: "Confirm in your wallet."));
        var sent = await interop.RequestAsync("eth_sendTransaction", [call], cancellationToken);
        if (!sent.Ok || sent.ResultString is not { Length: > 0 } hash)
        {
            return sent.Error switch
            {
                { Code: WalletError.UserRejected } => End(TransactionStage.Declined, "You declined the transaction in your wallet; nothing was sent. Your entries are kept: change them or try again."),
                var error when IsRevert(error) => End(TransactionStage.Reverted, RevertReasons.Describe(error?.Data).Message),
                { Message: { Length: > 0 } message } => End(TransactionStage.Failed, $"The wallet did not send the transaction: {message}"),
                _ => End(TransactionStage.Failed, "The wallet gave no transaction hash."),
            };
        }
        var explorer = chain.TransactionUrl(hash);
        Report(new TransactionStatus(TransactionStage.Pending, request.Title, hash, ExplorerUrl: explorer));

        Receipt receipt;
        try
        {
            receipt = await WaitForReceiptAsync(chain.RpcUrl, hash, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return End(TransactionStage.Failed, "Stopped waiting for the transaction; it may still be mined. Check your wallet's activity.", hash);
        }
        if (!receipt.Succeeded)
        {
            var replay = await interop.RpcAsync(chain.RpcUrl, "eth_call", [call, Quantity(receipt.BlockNumber)], cancellationToken);
            var reason = replay.Ok ? "The transaction failed on chain without giving a reason." : RevertReasons.Describe(replay.Error?.Data).Message;
            return Report(new TransactionStatus(TransactionStage.Reverted, request.Title, hash, receipt.BlockNumber, reason, explorer) { Finished = true });
        }
        await wallet.RefreshBalancesAsync();
        var confirmed = new TransactionStatus(TransactionStage.Confirmed, request.Title, hash, receipt.BlockNumber, ExplorerUrl: explorer);
        if (!request.WaitForIndexer)
        {
            return Report(confirmed with { Finished = true });
        }
        Report(confirmed);
        try
        {
            await WaitForIndexerAsync(receipt.BlockNumber, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return confirmed with { Finished = true };
        }
        return Report(confirmed with { Stage = TransactionStage.Indexed, Finished = true });
    }

    private async Task<Receipt> WaitForReceiptAsync(string rpcUrl, string hash, CancellationToken cancellationToken)
    {
        while (true)
        {
            var answer = await interop.RpcAsync(rpcUrl, "eth_getTransactionReceipt", [hash], cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            // null: not mined yet; a failed read is asked again, since the transaction is out there either way.
            if (answer is { Ok: true, Result: { ValueKind: JsonValueKind.Object } receipt }
                && Read(receipt, "blockNumber") is { } block)
            {
                return new Receipt(Read(receipt, "status") == 1, (long)block);
            }
            await Task.Delay(PollInterval, clock, cancellationToken);
        }
    }

    private async Task WaitForIndexerAsync(long blockNumber, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if ((await chainClient.GetIndexedAsync(cancellationToken)).HasIndexed(blockNumber))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or ApiException or JsonException)
            {
                // The portal blinked; the transaction is mined, so keep asking.
            }
            await Task.Delay(PollInterval, clock, cancellationToken);
        }
    }

    // A node answers a revert with code 3 (or -32000 and "execution reverted"), and revert data when the contract gave any.
    private static bool IsRevert(WalletError? error)
        => error is not null && (error.Data is { Length: >= 2 } || error.Code == 3
            || error.Message.Contains("revert", StringComparison.OrdinalIgnoreCase));

    private static ulong? Read(JsonElement receipt, string name)
        => receipt.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && ChainReads.ParseUint(value.GetString()) is { } number && number <= ulong.MaxValue
            ? (ulong)number
            : null;

    private static string Quantity(long value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private sealed record Receipt(bool Succeeded, long BlockNumber);
}

/// <summary>The transaction object of eth_estimateGas, eth_call and eth_sendTransaction: no gas, no value, so the wallet fills them in.</summary>
public sealed record TransactionCall(
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("data")] string Data);
