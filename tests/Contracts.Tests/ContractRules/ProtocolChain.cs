using System.Numerics;
using System.Text;
using Heurist.Contracts.AccountAbstraction;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rpc;
using Heurist.Testing;
using Nethereum.Hex.HexTypes;

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

    private readonly Web3 _rpc = ChainRpc.Connect(anvil.RpcUrl);
    private ProtocolDeployment? _deployment;
    private EthECKey? _esHeuFaucet;

    public IWeb3 Rpc => _rpc;

    public ProtocolDeployment Contracts => _deployment ?? throw new InvalidOperationException("The contracts are not deployed yet.");

    public static EthECKey Owner => AnvilAccounts.Owner;

    public static EthECKey SettlementKey => AnvilAccounts.SettlementKey;

    public static EthECKey StudioSigner => AnvilAccounts.StudioSigner;

    public static EthECKey SponsorSigner => AnvilAccounts.SponsorSigner;

    public static EthECKey Bundler => AnvilAccounts.Bundler;

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

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

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

    /// <summary>The chain as <paramref name="key"/>'s account sends to it.</summary>
    public IWeb3 Send(EthECKey key) => Rpc.As(key, 31337, TimeSpan.FromMilliseconds(20));

    /// <summary>A new account with 100 ETH for gas and, when asked, HEU from the treasury and esHEU.</summary>
    public async Task<EthECKey> NewAccountAsync(BigInteger? heu = null, BigInteger? esHeu = null, CancellationToken ct = default)
    {
        var key = EthECKey.GenerateKey();
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
    public async Task GiveEsHeuAsync(string to, BigInteger amount, CancellationToken ct)
    {
        var faucet = _esHeuFaucet ?? throw new InvalidOperationException("The fixture is not initialized.");
        await Contracts.Heu.TransferAsync(Send(Owner), faucet.Address, amount, ct);
        await Contracts.EsHeu.DepositAsync(Send(faucet), to, amount, ct);
    }

    public Task SetEthBalanceAsync(string account, BigInteger wei, CancellationToken ct)
        => Rpc.Client.SendRequestAsync<object>("anvil_setBalance", null, account, new HexBigInteger(wei).HexValue).WaitAsync(ct);

    /// <summary>The code at <paramref name="address"/>; empty for an account without code.</summary>
    public async Task<byte[]> CodeAsync(string address) => (await Rpc.Eth.GetCode.SendRequestAsync(address)).HexToByteArray();

    /// <summary>The ETH balance of <paramref name="address"/>, in wei.</summary>
    public async Task<BigInteger> BalanceAsync(string address) => (await Rpc.Eth.GetBalance.SendRequestAsync(address)).Value;

    /// <summary>Moves the chain's clock forward and mines a block at the new time.</summary>
    public async Task IncreaseTimeAsync(ulong seconds, CancellationToken ct)
    {
        await Rpc.Client.SendRequestAsync<object>("evm_increaseTime", null, new HexBigInteger(seconds).HexValue).WaitAsync(ct);
        await Rpc.Client.SendRequestAsync<object>("evm_mine").WaitAsync(ct);
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
        => (ulong)(await Rpc.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest()).WaitAsync(ct)).Timestamp.Value;

    /// <summary>The time of the block that mined <paramref name="receipt"/>.</summary>
    public async Task<ulong> TimestampOfAsync(TransactionReceipt receipt, CancellationToken ct)
        => (ulong)(await Rpc.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(receipt.BlockNumber).WaitAsync(ct)).Timestamp.Value;

    /// <summary>A 32-byte id no other test uses: a miner id, an image hash.</summary>
    public static byte[] UniqueId(string label) => Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes($"{label}/{Guid.NewGuid():N}"));

    /// <summary>Whole HEU in wei.</summary>
    public static BigInteger Heu(long whole) => whole * OneHeu;
}

/// <summary>Typed bindings of one deployment.</summary>
public sealed class ProtocolDeployment(IWeb3 rpc, DeploymentManifest manifest)
{
    public DeploymentManifest Manifest => manifest;

    public HeuristTokenContract Heu { get; } = new(rpc, manifest.Contracts.HeuristToken);

    public EscrowedHeuristContract EsHeu { get; } = new(rpc, manifest.Contracts.EscrowedHeurist);

    public MinerStakingContract Staking { get; } = new(rpc, manifest.Contracts.MinerStaking);

    public RewardsDistributorContract Distributor { get; } = new(rpc, manifest.Contracts.RewardsDistributor);

    public ImaginariesNftContract Nft { get; } = new(rpc, manifest.Contracts.ImaginariesNft);

    public HeuristPaymasterContract Paymaster { get; } = new(rpc, manifest.Contracts.HeuristPaymaster);

    public EntryPointContract EntryPoint { get; } = new(rpc, manifest.Contracts.EntryPoint);

    public SimpleAccountFactoryContract AccountFactory { get; } = new(rpc, manifest.Contracts.SimpleAccountFactory);

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
