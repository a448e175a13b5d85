using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using Heurist.Contracts.AccountAbstraction;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.Testing;

namespace Heurist.Contracts.Tests.ContractRules;

/// <summary>
/// The contract-rule tests share one chain and move its clock, so they run one at a time and after every other test
/// of the assembly: no test elsewhere sees a jump of 365 days, and none of them sends from the owner key at the same time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ContractRulesGroup : ICollectionFixture<ProtocolChain>
{
    public const string Name = "Contract rules";
}

/// <summary>Every contract, deployed once by <see cref="ContractDeployer"/> on the assembly's anvil, with anvil's role keys.</summary>
public sealed class ProtocolChain(AnvilFixture anvil) : IAsyncLifetime
{
    /// <summary>Short epochs, so that a bribe takes effect after an hour of chain time.</summary>
    public const ulong EpochLengthSeconds = 3600;

    public const ulong Day = 24 * 60 * 60;

    public static readonly BigInteger OneHeu = BigInteger.Pow(10, 18);

    private static readonly BigInteger Ether = BigInteger.Pow(10, 18);

    private readonly HttpClient _http = new();
    private ProtocolDeployment? _deployment;
    private EthereumKey? _esHeuFaucet;

    public EthereumRpcClient Rpc => new(_http, anvil.RpcUrl);

    public ProtocolDeployment Contracts => _deployment ?? throw new InvalidOperationException("The contracts are not deployed yet.");

    public static EthereumKey Owner => AnvilAccounts.Owner;

    public static EthereumKey SettlementKey => AnvilAccounts.SettlementKey;

    public static EthereumKey StudioSigner => AnvilAccounts.StudioSigner;

    public static EthereumKey SponsorSigner => AnvilAccounts.SponsorSigner;

    public static EthereumKey Bundler => AnvilAccounts.Bundler;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        _deployment = await DeployAsync(ct);

        // esHEU comes from protocol contracts only. This account stands in for the RewardsDistributor (whose emission
        // grows by 1.6 HEU a second) so that tests can hand out thousands of esHEU at once; no test relies on it
        // being refused anything.
        _esHeuFaucet = await NewAccountAsync(ct: ct);
        await Contracts.EsHeu.SetProtocolContractAsync(Send(Owner), _esHeuFaucet.Address, true, ct);
        await Contracts.Heu.ApproveAsync(Send(_esHeuFaucet), Contracts.EsHeu.Address, BigInteger.Pow(2, 255), ct);
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A fresh set of contracts on the same chain, for tests that need a clean slate (the emission schedule starting now).</summary>
    public async Task<ProtocolDeployment> DeployAsync(CancellationToken ct)
    {
        var rpc = Rpc;
        var manifest = await ContractDeployer.DeployAsync(rpc, new DeploymentOptions
        {
            Owner = Owner,
            SettlementKey = SettlementKey.Address,
            StudioSigner = StudioSigner.Address,
            SponsorSigner = SponsorSigner.Address,
            EpochLengthSeconds = EpochLengthSeconds,
        }, ct);
        return new ProtocolDeployment(rpc, manifest);
    }

    public TransactionSender Send(EthereumKey key) => new(Rpc, key) { PollInterval = TimeSpan.FromMilliseconds(20) };

    /// <summary>A new account with 100 ETH for gas and, when asked, HEU from the treasury and esHEU.</summary>
    public async Task<EthereumKey> NewAccountAsync(BigInteger? heu = null, BigInteger? esHeu = null, CancellationToken ct = default)
    {
        var key = EthereumKey.Generate();
        await SetEthBalanceAsync(key.Address, 100 * Ether, ct);
        if (heu is { Sign: > 0 } heuAmount)
        {
            await Contracts.Heu.TransferAsync(Send(Owner), key.Address, heuAmount, ct);
        }
        if (esHeu is { Sign: > 0 } esHeuAmount)
        {
            await GiveEsHeuAsync(key.Address, esHeuAmount, ct);
        }
        return key;
    }

    /// <summary>Mints esHEU to <paramref name="to"/> by a protocol contract's deposit of treasury HEU.</summary>
    public async Task GiveEsHeuAsync(EthereumAddress to, BigInteger amount, CancellationToken ct)
    {
        var faucet = _esHeuFaucet ?? throw new InvalidOperationException("The fixture is not initialized.");
        await Contracts.Heu.TransferAsync(Send(Owner), faucet.Address, amount, ct);
        await Contracts.EsHeu.DepositAsync(Send(faucet), to, amount, ct);
    }

    public Task SetEthBalanceAsync(EthereumAddress account, BigInteger wei, CancellationToken ct)
        => Rpc.CallAsync("anvil_setBalance", new JsonArray(account.ToLowerHex(), EthereumRpcClient.ToQuantity(wei)), ct);

    /// <summary>Moves the chain's clock forward and mines a block at the new time.</summary>
    public async Task IncreaseTimeAsync(ulong seconds, CancellationToken ct)
    {
        await Rpc.CallAsync("evm_increaseTime", new JsonArray(EthereumRpcClient.ToQuantity(seconds)), ct);
        await Rpc.CallAsync("evm_mine", [], ct);
    }

    /// <summary>Moves the clock to <paramref name="timestamp"/> (or a little past it, when it is already there).</summary>
    public async Task IncreaseTimeToAsync(ulong timestamp, CancellationToken ct)
    {
        var now = await LatestTimestampAsync(ct);
        if (timestamp > now)
        {
            await IncreaseTimeAsync(timestamp - now, ct);
        }
    }

    public async Task<ulong> LatestTimestampAsync(CancellationToken ct)
        => (await Rpc.GetBlockAsync(BlockTag.Latest, ct))!.Timestamp;

    /// <summary>The time of the block that mined <paramref name="receipt"/>.</summary>
    public async Task<ulong> TimestampOfAsync(TransactionReceipt receipt, CancellationToken ct)
        => (await Rpc.GetBlockAsync(receipt.BlockNumber, ct))!.Timestamp;

    /// <summary>A 32-byte id no other test uses: a miner id, an image hash.</summary>
    public static byte[] UniqueId(string label) => Keccak256.Hash(Encoding.UTF8.GetBytes($"{label}/{Guid.NewGuid():N}"));

    /// <summary>Whole HEU in wei.</summary>
    public static BigInteger Heu(long whole) => whole * OneHeu;
}

/// <summary>Typed bindings of one deployment.</summary>
public sealed class ProtocolDeployment(EthereumRpcClient rpc, DeploymentManifest manifest)
{
    public DeploymentManifest Manifest => manifest;

    public HeuristTokenContract Heu { get; } = new(rpc, EthereumAddress.Parse(manifest.Contracts.HeuristToken));

    public EscrowedHeuristContract EsHeu { get; } = new(rpc, EthereumAddress.Parse(manifest.Contracts.EscrowedHeurist));

    public MinerStakingContract Staking { get; } = new(rpc, EthereumAddress.Parse(manifest.Contracts.MinerStaking));

    public RewardsDistributorContract Distributor { get; } = new(rpc, EthereumAddress.Parse(manifest.Contracts.RewardsDistributor));

    public ImaginariesNftContract Nft { get; } = new(rpc, EthereumAddress.Parse(manifest.Contracts.ImaginariesNft));

    public HeuristPaymasterContract Paymaster { get; } = new(rpc, EthereumAddress.Parse(manifest.Contracts.HeuristPaymaster));

    public EntryPointContract EntryPoint { get; } = new(rpc, EthereumAddress.Parse(manifest.Contracts.EntryPoint));

    public SimpleAccountFactoryContract AccountFactory { get; } = new(rpc, EthereumAddress.Parse(manifest.Contracts.SimpleAccountFactory));

    public SponsoredMint SponsoredMint { get; } = SponsoredMint.ForDeployment(rpc, manifest);

    public ulong ChainId => manifest.ChainId;
}

/// <summary>Asserting a revert by the name and arguments of its custom error.</summary>
public static class Revert
{
    /// <summary>Runs <paramref name="action"/>, which must revert with the custom error <paramref name="errorName"/>; returns its arguments.</summary>
    public static async Task<IReadOnlyDictionary<string, object?>> WithAsync(string errorName, Func<Task> action)
    {
        var revert = await Assert.ThrowsAsync<ContractRevertedException>(action);
        Assert.True(errorName == revert.ErrorName, $"expected {errorName}, but {revert.Message}");
        return revert.Error.Arguments;
    }
}
