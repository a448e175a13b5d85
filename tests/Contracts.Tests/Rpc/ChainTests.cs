using System.Numerics;
using System.Text.Json.Nodes;
using Heurist.Contracts.Abi;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Rpc;
using Heurist.Contracts.Transactions;
using Heurist.Testing;

namespace Heurist.Contracts.Tests.Rpc;

/// <summary>The library against a real anvil: transactions it signs, a contract deployed from hand-written bytecode, reverts and logs.</summary>
public sealed class ChainTests(AnvilFixture anvil) : IDisposable
{
    private const string AnvilAccount0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    private readonly HttpClient _http = new();

    private EthereumRpcClient Rpc => new(_http, anvil.RpcUrl);

    [Fact]
    public async Task An_eth_transfer_signed_by_the_library_from_anvil_account_0_is_mined_and_moves_the_value()
    {
        var ct = TestContext.Current.CancellationToken;
        var rpc = Rpc;
        var key = EthereumKey.FromHex(AnvilAccount0);
        var recipient = EthereumKey.Generate().Address;
        var value = 3 * Ether / 2;
        var nonce = await rpc.GetTransactionCountAsync(key.Address, BlockTag.Pending, ct);
        var baseFee = (await rpc.GetBlockAsync(BlockTag.Latest, ct))!.BaseFeePerGas!.Value;
        var tip = await rpc.MaxPriorityFeePerGasAsync(ct);
        var transaction = new Eip1559Transaction
        {
            ChainId = await rpc.GetChainIdAsync(ct),
            Nonce = nonce,
            MaxPriorityFeePerGas = tip,
            MaxFeePerGas = 2 * baseFee + tip,
            GasLimit = 21_000,
            To = recipient,
            Value = value,
        };
        var senderBefore = await rpc.GetBalanceAsync(key.Address, BlockTag.Latest, ct);
        var signed = transaction.Sign(key);

        var hash = await rpc.SendRawTransactionAsync(signed.Raw, ct);
        var receipt = await new TransactionSender(rpc, key).WaitForReceiptAsync(hash, ct);

        Assert.Equal(signed.Hash, hash);
        Assert.True(receipt.Succeeded);
        Assert.Equal(hash, receipt.TransactionHash);
        Assert.Equal(21_000UL, receipt.GasUsed);
        Assert.Equal(key.Address, receipt.From);
        Assert.Equal(recipient, receipt.To);
        Assert.Null(receipt.ContractAddress);
        Assert.Empty(receipt.Logs);
        Assert.Equal(value, await rpc.GetBalanceAsync(recipient, BlockTag.Latest, ct));
        Assert.Equal(senderBefore - value - receipt.GasUsed * receipt.EffectiveGasPrice, await rpc.GetBalanceAsync(key.Address, BlockTag.Latest, ct));
        Assert.Equal(nonce + 1, await rpc.GetTransactionCountAsync(key.Address, BlockTag.Latest, ct));
        var block = await rpc.GetBlockAsync(receipt.BlockNumber, ct);
        Assert.NotNull(block);
        Assert.Equal(receipt.BlockHash, block.Hash);
        Assert.Equal(receipt.BlockNumber, block.Number);
        Assert.True(block.Timestamp > 0);
        Assert.Equal(block.BaseFeePerGas + tip, receipt.EffectiveGasPrice);
    }

    [Fact]
    public async Task A_contract_deployed_from_bytecode_has_its_runtime_code_and_its_custom_error_surfaces_from_eth_call()
    {
        var ct = TestContext.Current.CancellationToken;
        var sender = await FundedSenderAsync(ct);

        var deployed = await sender.DeployAsync(PingContract.InitCode, ct);

        Assert.True(deployed.Succeeded);
        var contract = deployed.ContractAddress!.Value;
        Assert.Equal(PingContract.RuntimeCode, await Rpc.GetCodeAsync(contract, BlockTag.Latest, ct));
        Assert.Empty(await Rpc.CallAsync(new CallRequest { To = contract }, BlockTag.Latest, ct));

        var revert = await Assert.ThrowsAsync<ContractRevertException>(
            () => Rpc.CallAsync(new CallRequest { To = contract, Data = [0x01] }, BlockTag.Latest, ct));

        Assert.IsAssignableFrom<RpcException>(revert);
        Assert.Equal("eth_call", revert.Operation);
        Assert.Equal(PingContract.Abi.Error("Nope").Encode(42), revert.RevertData);
        var decoded = PingContract.Abi.DecodeError(revert.RevertData);
        Assert.Equal("Nope", decoded.Name);
        Assert.Equal(new BigInteger(42), decoded.Arguments["code"]);
    }

    [Fact]
    public async Task The_sender_refuses_a_reverting_call_at_estimation_with_the_revert_data_and_sends_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var sender = await FundedSenderAsync(ct);
        var contract = (await sender.DeployAsync(PingContract.InitCode, ct)).ContractAddress!.Value;
        var nonce = await Rpc.GetTransactionCountAsync(sender.Address, BlockTag.Pending, ct);

        var revert = await Assert.ThrowsAsync<ContractRevertException>(
            () => sender.SendAsync(new TransactionRequest { To = contract, Data = [0x01] }, ct));

        Assert.Equal("eth_estimateGas", revert.Operation);
        Assert.Null(revert.Receipt);
        Assert.Equal("Nope", PingContract.Abi.DecodeError(revert.RevertData).Name);
        Assert.Equal(nonce, await Rpc.GetTransactionCountAsync(sender.Address, BlockTag.Pending, ct));
    }

    [Fact]
    public async Task A_mined_transaction_with_status_0_surfaces_the_revert_data_and_its_receipt()
    {
        var ct = TestContext.Current.CancellationToken;
        var sender = await FundedSenderAsync(ct);
        var contract = (await sender.DeployAsync(PingContract.InitCode, ct)).ContractAddress!.Value;

        // A given gas limit skips estimation, so the transaction is mined and fails on chain.
        var revert = await Assert.ThrowsAsync<ContractRevertException>(
            () => sender.SendAsync(new TransactionRequest { To = contract, Data = [0x01], GasLimit = 100_000 }, ct));

        Assert.NotNull(revert.Receipt);
        Assert.Equal(0UL, revert.Receipt.Status);
        Assert.Equal(revert.Receipt.TransactionHash, revert.TransactionHash);
        Assert.Equal(PingContract.Abi.Error("Nope").Encode(42), revert.RevertData);
        Assert.Contains("Nope", PingContract.Abi.DecodeError(revert.RevertData).Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_come_back_typed_from_the_receipt_and_from_eth_getLogs()
    {
        var ct = TestContext.Current.CancellationToken;
        var sender = await FundedSenderAsync(ct);
        var contract = (await sender.DeployAsync(PingContract.InitCode, ct)).ContractAddress!.Value;
        var pinged = PingContract.Abi.Event("Pinged");

        var receipt = await sender.SendAsync(new TransactionRequest { To = contract }, ct);

        var log = Assert.Single(receipt.Logs);
        Assert.Equal(contract, log.Address);
        Assert.Equal(receipt.TransactionHash, log.TransactionHash);
        Assert.Equal(receipt.BlockNumber, log.BlockNumber);
        var decoded = pinged.DecodeLog(log.Topics, log.Data);
        Assert.Equal(sender.Address, decoded["from"]);
        Assert.Equal(new BigInteger(42), decoded["value"]);

        var senderTopic = AbiEncoder.Encode([AbiType.Address], [sender.Address]);
        var found = await Rpc.GetLogsAsync(new LogFilter
        {
            FromBlock = receipt.BlockNumber,
            ToBlock = receipt.BlockNumber,
            Addresses = [contract],
            Topics = [[pinged.Topic0], [senderTopic]],
        }, ct);
        var fromFilter = Assert.Single(found);
        Assert.Equal(log.LogIndex, fromFilter.LogIndex);
        Assert.Equal(log.Data, fromFilter.Data);
        Assert.Equal(log.Topics, fromFilter.Topics);
        Assert.Equal(receipt.TransactionHash, fromFilter.TransactionHash);

        var someoneElse = AbiEncoder.Encode([AbiType.Address], [EthereumKey.Generate().Address]);
        Assert.Empty(await Rpc.GetLogsAsync(new LogFilter
        {
            FromBlock = 0,
            Addresses = [contract],
            Topics = [null, [someoneElse]],
        }, ct));
    }

    [Fact]
    public async Task The_sender_fills_consecutive_nonces_and_estimated_gas()
    {
        var ct = TestContext.Current.CancellationToken;
        var sender = await FundedSenderAsync(ct);
        var recipient = EthereumKey.Generate().Address;

        var first = await sender.SendAsync(new TransactionRequest { To = recipient, Value = 1 }, ct);
        var second = await sender.SendAsync(new TransactionRequest { To = recipient, Value = 2 }, ct);

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.True(second.BlockNumber > first.BlockNumber);
        Assert.Equal(2UL, await Rpc.GetTransactionCountAsync(sender.Address, BlockTag.Latest, ct));
        Assert.Equal(new BigInteger(3), await Rpc.GetBalanceAsync(recipient, BlockTag.Latest, ct));
        var (transaction, _) = await sender.SignAsync(new TransactionRequest { To = recipient, Value = 1 }, ct);
        Assert.Equal(2UL, transaction.Nonce);
        Assert.Equal(25_200UL, transaction.GasLimit);
    }

    [Fact]
    public async Task Waiting_for_a_transaction_that_never_comes_times_out_naming_it()
    {
        var sender = new TransactionSender(Rpc, EthereumKey.Generate()) { ReceiptTimeout = TimeSpan.FromMilliseconds(300), PollInterval = TimeSpan.FromMilliseconds(50) };
        var unknown = Keccak256.Hash("never sent"u8);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => sender.WaitForReceiptAsync(unknown, TestContext.Current.CancellationToken));

        Assert.Contains(Hex.Encode(unknown), error.Message, StringComparison.Ordinal);
        Assert.Null(await Rpc.GetTransactionReceiptAsync(unknown, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Waiting_stops_when_the_caller_cancels()
    {
        var sender = new TransactionSender(Rpc, EthereumKey.Generate());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sender.WaitForReceiptAsync(Keccak256.Hash("never sent"u8), cancelled.Token));
    }

    private async Task<TransactionSender> FundedSenderAsync(CancellationToken ct)
    {
        var key = EthereumKey.Generate();
        await Rpc.CallAsync("anvil_setBalance", new JsonArray(key.Address.ToLowerHex(), EthereumRpcClient.ToQuantity(100 * Ether)), ct);
        return new TransactionSender(Rpc, key) { PollInterval = TimeSpan.FromMilliseconds(20) };
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// A contract written in bytecode by hand: called without data it emits Pinged(msg.sender, 42);
    /// called with any data it reverts with Nope(42).
    /// </summary>
    private static class PingContract
    {
        public static readonly ContractAbi Abi = ContractAbi.Parse("""
            [
              {"type":"event","name":"Pinged","inputs":[{"name":"from","type":"address","indexed":true},{"name":"value","type":"uint256","indexed":false}]},
              {"type":"error","name":"Nope","inputs":[{"name":"code","type":"uint256"}]}
            ]
            """);

        public static readonly byte[] RuntimeCode = BuildRuntime();

        // PUSH1 size, DUP1, PUSH1 offset, PUSH1 0, CODECOPY, PUSH1 0, RETURN: copies the runtime code after it into memory and returns it.
        public static readonly byte[] InitCode = [0x60, (byte)RuntimeCode.Length, 0x80, 0x60, 0x0b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, .. RuntimeCode];

        private static byte[] BuildRuntime()
        {
            var code = new List<byte>
            {
                0x36,             // CALLDATASIZE
                0x60, 0x00,       // PUSH1 <revert>, patched below
                0x57,             // JUMPI
                0x60, 0x2a,       // PUSH1 42
                0x60, 0x00,       // PUSH1 0
                0x52,             // MSTORE: memory[0..32] = 42
                0x33,             // CALLER: topic 1
                0x7f,             // PUSH32 topic 0
            };
            code.AddRange(Abi.Event("Pinged").Topic0);
            code.AddRange([
                0x60, 0x20,       // PUSH1 32: size
                0x60, 0x00,       // PUSH1 0: offset
                0xa2,             // LOG2
                0x00,             // STOP
            ]);
            code[2] = (byte)code.Count;
            code.Add(0x5b);       // JUMPDEST
            code.Add(0x63);       // PUSH4 selector
            code.AddRange(Abi.Error("Nope").Selector);
            code.AddRange([
                0x60, 0xe0,       // PUSH1 224
                0x1b,             // SHL: the selector in the word's first 4 bytes
                0x60, 0x00,       // PUSH1 0
                0x52,             // MSTORE
                0x60, 0x2a,       // PUSH1 42
                0x60, 0x04,       // PUSH1 4
                0x52,             // MSTORE: memory[4..36] = 42
                0x60, 0x24,       // PUSH1 36: size
                0x60, 0x00,       // PUSH1 0: offset
                0xfd,             // REVERT
            ]);
            return [.. code];
        }
    }
}
