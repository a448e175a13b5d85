using System.Collections.Concurrent;
using Heurist.Portal.Client.Features.Transactions;
using Heurist.Protocol.Chain;
using Microsoft.Extensions.DependencyInjection;

namespace Heurist.Portal.Client.Tests.Features.Transactions;

/// <summary>The one transaction flow: check, wallet prompt, pending, confirmed, indexed, and every way it ends early.</summary>
public sealed class TransactionRunnerTests : ChainTestContext
{
    // InsufficientStake(available 1 HEU, requested 5 HEU), as MinerStaking reverts.
    private static readonly string InsufficientStake = "0x45be0a26" + Word(OneToken)[2..] + Word(5 * OneToken)[2..];

    private static readonly TransactionRequest Unstake = new("Unstake 5 HEU", Contracts.MinerStaking, ContractCalls.Withdraw(1));

    private readonly ConcurrentQueue<TransactionStatus> _statuses = new();
    private readonly ConcurrentDictionary<TransactionStage, TaskCompletionSource> _reached = new();

    private TransactionRunner Runner => Services.GetRequiredService<TransactionRunner>();

    private Task<TransactionStatus> RunAsync(TransactionRequest request) => Runner.RunAsync(request, status =>
    {
        _statuses.Enqueue(status);
        Reached(status.Stage).TrySetResult();
    }, TestContext.Current.CancellationToken);

    private TaskCompletionSource Reached(TransactionStage stage) => _reached.GetOrAdd(stage, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private IEnumerable<TransactionStage> Stages => _statuses.Select(s => s.Stage);

    [Fact]
    public async Task A_revert_at_the_check_reads_as_a_sentence_and_the_wallet_is_never_asked()
    {
        await ConnectAsync();
        Wallet.RpcReverts("eth_estimateGas", InsufficientStake);

        var status = await RunAsync(Unstake);

        Assert.Equal(TransactionStage.Reverted, status.Stage);
        Assert.Equal("Only 1 is staked there, less than the 5 asked for.", status.Message);
        Assert.Empty(Wallet.Requests("eth_sendTransaction"));
        Assert.Equal([TransactionStage.Checking, TransactionStage.Reverted], Stages);
    }

    [Fact]
    public async Task A_declined_prompt_ends_the_flow_saying_so()
    {
        await ConnectAsync();
        Wallet.RpcAnswers("eth_estimateGas", "0x5208");
        Wallet.Refuses("eth_sendTransaction", 4001, "User rejected the request.");

        var status = await RunAsync(Unstake);

        Assert.Equal(TransactionStage.Declined, status.Stage);
        Assert.StartsWith("You declined the transaction in your wallet", status.Message, StringComparison.Ordinal);
        Assert.Equal([TransactionStage.Checking, TransactionStage.WalletPrompt, TransactionStage.Declined], Stages);
    }

    [Fact]
    public async Task A_success_goes_from_pending_to_confirmed_to_indexed()
    {
        await ConnectAsync();
        Wallet.RpcAnswers("eth_estimateGas", "0x5208");
        Wallet.Answers("eth_sendTransaction", TxHash);
        var receipt = Wallet.RpcWaits("eth_getTransactionReceipt");

        var run = RunAsync(Unstake);
        await Reached(TransactionStage.Pending).Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        Assert.Equal(TxHash, _statuses.Last().Hash);

        receipt.SetResult(new(true, System.Text.Json.JsonSerializer.SerializeToElement(Receipt(42, true)), null));
        await Reached(TransactionStage.Confirmed).Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        Assert.False(run.IsCompleted, "The portal has not indexed block 42 yet.");
        Assert.Equal(42, _statuses.Last().BlockNumber);

        Chain.NextIndexedBlock = 43;
        Clock.Advance(TransactionRunner.PollInterval);
        var status = await run.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

        Assert.Equal(TransactionStage.Indexed, status.Stage);
        Assert.True(status.Finished);
        Assert.Equal([TransactionStage.Checking, TransactionStage.WalletPrompt, TransactionStage.Pending, TransactionStage.Confirmed, TransactionStage.Indexed], Stages);
        var sent = Assert.Single(Wallet.Sent);
        Assert.Equal((Account, Contracts.MinerStaking, Unstake.Data), (sent.From, sent.To, sent.Data));
    }

    [Fact]
    public async Task A_reverted_receipt_is_replayed_at_its_block_to_say_why()
    {
        await ConnectAsync();
        Wallet.RpcAnswers("eth_estimateGas", "0x5208");
        Wallet.Answers("eth_sendTransaction", TxHash);
        Wallet.RpcAnswers("eth_getTransactionReceipt", Receipt(42, false));
        Wallet.RpcReverts("eth_call", InsufficientStake);

        var status = await RunAsync(Unstake);

        Assert.Equal(TransactionStage.Reverted, status.Stage);
        Assert.Equal(TxHash, status.Hash);
        Assert.Equal("Only 1 is staked there, less than the 5 asked for.", status.Message);
        var replay = Wallet.Calls("rpc").Last(call => Equals(call.Arguments[1], "eth_call"));
        Assert.Equal("0x2a", ((object?[])replay.Arguments[2]!)[1]);
    }

    [Fact]
    public async Task On_the_wrong_network_nothing_is_checked_or_sent()
    {
        await ConnectAsync(chainId: "0x1");

        var status = await RunAsync(Unstake);

        Assert.Equal(TransactionStage.WrongNetwork, status.Stage);
        Assert.Contains("Switch to Anvil", status.Message, StringComparison.Ordinal);
        Assert.Empty(Wallet.Requests("eth_sendTransaction"));
        Assert.DoesNotContain(Wallet.Calls("rpc"), call => Equals(call.Arguments[1], "eth_estimateGas"));
    }

    [Fact]
    public async Task An_approval_ends_at_confirmed_without_waiting_for_the_indexer()
    {
        await ConnectAsync();
        TransactionsSucceed();
        Chain.NextIndexedBlock = null;

        var status = await RunAsync(new TransactionRequest("Approve", Contracts.HeuristToken, ContractCalls.Approve(Contracts.MinerStaking, 5), WaitForIndexer: false));

        Assert.Equal(TransactionStage.Confirmed, status.Stage);
        Assert.True(status.Finished);
        Assert.Equal(0, Chain.IndexedReads);
    }
}
