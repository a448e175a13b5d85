using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.Testing;
using Nethereum.ABI.ABIDeserialisation;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.ABI.Model;
using Nethereum.Contracts;
using Nethereum.Hex.HexTypes;

namespace Heurist.Contracts.Tests.Rpc;

/// <summary>
/// Nethereum against a real anvil, as we use it: EIP-1559 transactions from an account, a contract deployed from
/// hand-written bytecode, reverts (at estimation and once mined) through our contract service, and logs by filter.
/// </summary>
public sealed class ChainTests(AnvilFixture anvil)
{
    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    private Web3 Rpc => ChainRpc.Connect(anvil.RpcUrl);

    [Fact]
    public async Task An_eth_transfer_signed_by_Nethereum_from_anvil_account_0_is_mined_and_moves_the_value()
    {
        var key = AnvilAccounts.Owner;
        var sender = Rpc.As(key, 31337);
        var recipient = EthECKey.GenerateKey().Address;
        var value = 3 * Ether / 2;
        var nonce = (await Rpc.Eth.Transactions.GetTransactionCount.SendRequestAsync(key.Address, BlockParameter.CreatePending())).Value;
        var senderBefore = (await Rpc.Eth.GetBalance.SendRequestAsync(key.Address)).Value;

        var receipt = await sender.TransactionManager.SendTransactionAndWaitForReceiptAsync(
            new TransactionInput { From = key.Address, To = recipient, Value = new HexBigInteger(value), Gas = new HexBigInteger(21_000) }, TestContext.Current.CancellationToken);

        Assert.Equal(1, (int)receipt.Status.Value);
        Assert.Equal(21_000, (int)receipt.GasUsed.Value);
        Assert.Equal(key.Address, receipt.From, ignoreCase: true);
        Assert.Equal(recipient, receipt.To, ignoreCase: true);
        Assert.Null(receipt.ContractAddress);
        Assert.Empty(receipt.Logs);
        Assert.Equal(value, (await Rpc.Eth.GetBalance.SendRequestAsync(recipient)).Value);
        Assert.Equal(senderBefore - value - receipt.GasUsed.Value * receipt.EffectiveGasPrice.Value, (await Rpc.Eth.GetBalance.SendRequestAsync(key.Address)).Value);
        Assert.Equal(nonce + 1, (await Rpc.Eth.Transactions.GetTransactionCount.SendRequestAsync(key.Address, BlockParameter.CreateLatest())).Value);
        var block = await Rpc.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(receipt.BlockNumber);
        Assert.Equal(receipt.BlockHash, block.BlockHash);
        Assert.True(block.Timestamp.Value > 0);
        Assert.Equal(2, (int)(await Rpc.Eth.Transactions.GetTransactionByHash.SendRequestAsync(receipt.TransactionHash)).Type.Value);
    }

    [Fact]
    public async Task A_contract_deployed_from_bytecode_has_its_runtime_code_and_its_custom_error_surfaces_from_eth_call()
    {
        var contract = await DeployPingAsync(await FundedSenderAsync());

        Assert.Equal(PingContract.RuntimeCode.ToHex(true), await Rpc.Eth.GetCode.SendRequestAsync(contract));
        Assert.Equal("0x", await Rpc.Eth.Transactions.Call.SendRequestAsync(new CallInput { To = contract }));

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Rpc.Eth.Transactions.Call.SendRequestAsync(new CallInput { To = contract, Data = "0x01" }));

        Assert.True(ChainRpc.TryGetRevertData(error, out var data), error.ToString());
        Assert.Equal(PingContract.Nope42, data);
        var decoded = ContractArtifacts.DecodeError(data, PingContract.Abi);
        Assert.Equal("Nope", decoded.Name);
        Assert.Equal(new BigInteger(42), decoded.Arguments["code"]);
    }

    [Fact]
    public async Task The_contract_service_refuses_a_reverting_call_at_estimation_with_the_revert_data_and_sends_nothing()
    {
        var sender = await FundedSenderAsync();
        var ping = new PingService(Rpc, await DeployPingAsync(sender));
        var address = sender.TransactionManager.Account.Address;
        var nonce = (await Rpc.Eth.Transactions.GetTransactionCount.SendRequestAsync(address, BlockParameter.CreatePending())).Value;

        var revert = await Assert.ThrowsAsync<ContractRevertedException>(() => ping.PingAsync(sender));

        Assert.Null(revert.Receipt);
        Assert.Equal(("Ping", "ping"), (revert.Contract, revert.Function));
        Assert.Equal(PingContract.Nope42, revert.Error.Data);
        Assert.Equal(nonce, (await Rpc.Eth.Transactions.GetTransactionCount.SendRequestAsync(address, BlockParameter.CreatePending())).Value);
    }

    [Fact]
    public async Task A_mined_transaction_with_status_0_surfaces_the_revert_data_and_its_receipt()
    {
        var sender = await FundedSenderAsync();
        var ping = new PingService(Rpc, await DeployPingAsync(sender));

        // A given gas limit skips estimation, so the transaction is mined and fails on chain.
        var revert = await Assert.ThrowsAsync<ContractRevertedException>(() => ping.PingAsync(sender, gas: 100_000));

        Assert.NotNull(revert.Receipt);
        Assert.Equal(0, (int)revert.Receipt.Status.Value);
        Assert.Equal(PingContract.Nope42, revert.Error.Data);
    }

    [Fact]
    public async Task Logs_come_back_from_the_receipt_and_from_eth_getLogs_filtered_by_topic()
    {
        var sender = await FundedSenderAsync();
        var from = sender.TransactionManager.Account.Address;
        var contract = await DeployPingAsync(sender);
        var pinged = PingContract.Abi.Events.Single();

        // Without data Nethereum takes a plain transfer's 21,000 gas, so the limit is given.
        var receipt = await sender.TransactionManager.SendTransactionAndWaitForReceiptAsync(
            new TransactionInput { From = from, To = contract, Gas = new HexBigInteger(100_000) }, TestContext.Current.CancellationToken);

        var log = Assert.Single(receipt.Logs);
        Assert.Equal(contract, log.Address, ignoreCase: true);
        var found = await Rpc.Eth.Filters.GetLogs.SendRequestAsync(new NewFilterInput
        {
            FromBlock = new BlockParameter(receipt.BlockNumber),
            ToBlock = new BlockParameter(receipt.BlockNumber),
            Address = [contract],
            Topics = ["0x" + pinged.Sha3Signature, "0x" + new string('0', 24) + from[2..].ToLowerInvariant()],
        });
        var fromFilter = Assert.Single(found);
        Assert.Equal(receipt.TransactionHash, fromFilter.TransactionHash);
        var decoded = pinged.DecodeEventDefaultTopics(fromFilter);
        Assert.Equal(from, (string)decoded.Event.Single(p => p.Parameter.Name == "from").Result, ignoreCase: true);
        Assert.Equal(new BigInteger(42), decoded.Event.Single(p => p.Parameter.Name == "value").Result);

        Assert.Empty(await Rpc.Eth.Filters.GetLogs.SendRequestAsync(new NewFilterInput
        {
            FromBlock = new BlockParameter(0),
            Address = [contract],
            Topics = [null, "0x" + new string('0', 24) + EthECKey.GenerateKey().Address[2..].ToLowerInvariant()],
        }));
    }

    [Fact]
    public async Task The_transaction_manager_fills_consecutive_nonces()
    {
        var sender = await FundedSenderAsync();
        var address = sender.TransactionManager.Account.Address;
        var recipient = EthECKey.GenerateKey().Address;

        var first = await sender.TransactionManager.SendTransactionAndWaitForReceiptAsync(new TransactionInput { From = address, To = recipient, Value = new HexBigInteger(1) }, TestContext.Current.CancellationToken);
        var second = await sender.TransactionManager.SendTransactionAndWaitForReceiptAsync(new TransactionInput { From = address, To = recipient, Value = new HexBigInteger(2) }, TestContext.Current.CancellationToken);

        Assert.True(second.BlockNumber.Value > first.BlockNumber.Value);
        Assert.Equal(2, (int)(await Rpc.Eth.Transactions.GetTransactionCount.SendRequestAsync(address, BlockParameter.CreateLatest())).Value);
        Assert.Equal(new BigInteger(3), (await Rpc.Eth.GetBalance.SendRequestAsync(recipient)).Value);
    }

    private async Task<Web3> FundedSenderAsync()
    {
        var key = EthECKey.GenerateKey();
        await Rpc.Client.SendRequestAsync<object>("anvil_setBalance", null, key.Address, new HexBigInteger(100 * Ether).HexValue);
        return Rpc.As(key, 31337, TimeSpan.FromMilliseconds(20));
    }

    private static async Task<string> DeployPingAsync(Web3 sender)
    {
        var receipt = await sender.TransactionManager.SendTransactionAndWaitForReceiptAsync(
            new TransactionInput { From = sender.TransactionManager.Account.Address, Data = PingContract.InitCode.ToHex(true), Gas = new HexBigInteger(200_000) }, TestContext.Current.CancellationToken);
        return receipt.ContractAddress;
    }

    /// <summary>
    /// A contract written in bytecode by hand: called without data it emits Pinged(msg.sender, 42);
    /// called with any data it reverts with Nope(42).
    /// </summary>
    private static class PingContract
    {
        public static readonly ContractABI Abi = new ABIJsonDeserialiser().DeserialiseContract("""
            [
              {"type":"event","name":"Pinged","anonymous":false,"inputs":[{"name":"from","type":"address","indexed":true},{"name":"value","type":"uint256","indexed":false}]},
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
            code.AddRange(Abi.Events.Single().Sha3Signature.HexToByteArray());
            code.AddRange([
                0x60, 0x20,       // PUSH1 32: size
                0x60, 0x00,       // PUSH1 0: offset
                0xa2,             // LOG2
                0x00,             // STOP
            ]);
            code[2] = (byte)code.Count;
            code.Add(0x5b);       // JUMPDEST
            code.Add(0x63);       // PUSH4 selector
            code.AddRange(Abi.Errors.Single().Sha3Signature.HexToByteArray());
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

        /// <summary>The revert data of Nope(42).</summary>
        public static byte[] Nope42 => [.. Abi.Errors.Single().Sha3Signature.HexToByteArray(), .. new byte[31], 42];
    }

    [Function("ping")]
    private sealed class PingFunction : FunctionMessage;

    /// <summary>The contract service every binding derives from, over the hand-written contract.</summary>
    private sealed class PingService(IWeb3 web3, string address) : ContractService(web3, address, "Ping")
    {
        public Task<TransactionReceipt> PingAsync(IWeb3 sender, long? gas = null)
        {
            var ping = new PingFunction();
            if (gas is { } limit)
            {
                ping.Gas = new HexBigInteger(limit);
            }
            return SendAsync(sender, ping, TestContext.Current.CancellationToken);
        }
    }
}
