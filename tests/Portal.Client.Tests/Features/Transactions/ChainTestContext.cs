using System.Numerics;
using Bunit;
using Heurist.Portal.Client.Features.Wallet;
using Heurist.Portal.Client.Tests.Features.Rewards;
using Heurist.Portal.Client.Tests.Features.Staking;
using Heurist.Portal.Client.Tests.Features.Stats;
using Heurist.Portal.Client.Tests.Features.Wallet;
using Heurist.Protocol.Api.Chain;
using Heurist.Protocol.Api.Rewards;
using Heurist.Protocol.Api.Staking;
using Heurist.Protocol.Api.Stats;
using Heurist.Protocol.Chain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Heurist.Portal.Client.Tests.Features.Transactions;

/// <summary>
/// A component test with the chain in reach: the wallet module faked at the browser boundary (wallet requests and the
/// chain's RPC), and the portal's chain, stats, staking and rewards clients in memory.
/// </summary>
public abstract class ChainTestContext : BunitContext
{
    public const string Account = FakeWalletModule.Account;

    public const string TxHash = "0x8f2a5b1c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4";

    internal static readonly ChainContracts Contracts = InMemoryChainClient.Anvil.Contracts;

    internal static readonly BigInteger OneToken = BigInteger.Pow(10, 18);

    protected ChainTestContext()
    {
        (Clock, _) = this.AddTestServices(configure: services => services
            .AddSingleton<IChainClient>(Chain)
            .AddSingleton<INetworkStatsClient>(Stats)
            .AddSingleton<IStakingClient>(Staking)
            .AddSingleton<IRewardsClient>(Rewards));
        Wallet = FakeWalletModule.Setup(JSInterop);
    }

    internal FakeTimeProvider Clock { get; }

    internal FakeWalletModule Wallet { get; }

    internal InMemoryChainClient Chain { get; } = new();

    internal InMemoryNetworkStatsClient Stats { get; } = new();

    internal InMemoryStakingClient Staking { get; } = new();

    internal InMemoryRewardsClient Rewards { get; } = new();

    internal WalletService WalletService => Services.GetRequiredService<WalletService>();

    /// <summary>Connects the wallet (a remembered one, on the portal's chain) holding these HEU and esHEU balances.</summary>
    internal async Task ConnectAsync(long heu = 100, long esHeu = 50, string chainId = "0x7a69")
    {
        Wallet.CallAnswers(Contracts.HeuristToken, ContractCalls.Selectors[ContractSignatures.BalanceOf], Word(heu * OneToken));
        Wallet.CallAnswers(Contracts.EscrowedHeurist, ContractCalls.Selectors[ContractSignatures.BalanceOf], Word(esHeu * OneToken));
        Wallet.Announces(FakeWalletModule.Rabby);
        Wallet.Restores(Account, chainId);
        await WalletService.InitializeAsync();
        Assert.Equal(WalletState.Connected, WalletService.State);
    }

    /// <summary>The chain checks and sends every transaction, mines it in <paramref name="block"/> with status 1, and the portal has indexed past it.</summary>
    internal void TransactionsSucceed(long block = 42)
    {
        Wallet.RpcAnswers("eth_estimateGas", "0x5208");
        Wallet.Answers("eth_sendTransaction", TxHash);
        Wallet.RpcAnswers("eth_getTransactionReceipt", Receipt(block, true));
        Chain.NextIndexedBlock = block + 1;
    }

    internal void ChainTimeIs(DateTimeOffset time)
        => Wallet.RpcAnswers("eth_getBlockByNumber", new Dictionary<string, string> { ["number"] = "0x2a", ["timestamp"] = "0x" + time.ToUnixTimeSeconds().ToString("x", System.Globalization.CultureInfo.InvariantCulture) });

    internal static Dictionary<string, string> Receipt(long block, bool succeeded) => new()
    {
        ["transactionHash"] = TxHash,
        ["blockNumber"] = "0x" + block.ToString("x", System.Globalization.CultureInfo.InvariantCulture),
        ["status"] = succeeded ? "0x1" : "0x0",
    };

    internal static string Word(BigInteger value) => FakeWalletModule.Uint256(value);

    internal static string Words(params BigInteger[] values) => "0x" + string.Concat(values.Select(v => Word(v)[2..]));

    internal static string AddressWord(string address) => "0x" + new string('0', 24) + address[2..].ToLowerInvariant();
}
