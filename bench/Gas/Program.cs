using System.Globalization;
using System.Numerics;
using System.Text;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Crypto;
using Heurist.Contracts.Deployment;
using Heurist.Contracts.Imaginaries;
using Heurist.Contracts.LocalChain;
using Heurist.Contracts.Rewards;
using Heurist.Contracts.Rpc;
using Heurist.LocalRunner;
using Nethereum.Hex.HexTypes;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Signer;
using Nethereum.Util;
using Nethereum.Web3;

// bench/gas.sh: deploys everything on a fresh anvil and prints the gasUsed of each transaction as key=number.
const string Uri = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/metadata.json";
const string ModelId = "sdxl";
const ulong Day = 24 * 60 * 60;
var heu = BigInteger.Pow(10, 18);

var contractsDirectory = RepositoryPaths.Contracts;
await using var anvil = await LocalAnvilNode.StartAsync(new LocalAnvilOptions
{
    BinaryPath = LocalAnvilNode.FindBinary(contractsDirectory),
    Port = FreePort.Next(),
});
var rpc = ChainRpc.Connect(anvil.RpcUrl);
var manifest = await ContractDeployer.DeployAsync(rpc, new DeploymentOptions
{
    Owner = AnvilAccounts.Owner,
    SettlementKey = AnvilAccounts.SettlementKey.Address,
    StudioSigner = AnvilAccounts.StudioSigner.Address,
    SponsorSigner = AnvilAccounts.SponsorSigner.Address,
});
var contracts = manifest.Contracts;
var token = new HeuristTokenContract(rpc, contracts.HeuristToken);
var staking = new MinerStakingContract(rpc, contracts.MinerStaking);
var distributor = new RewardsDistributorContract(rpc, contracts.RewardsDistributor);
var nft = new ImaginariesNftContract(rpc, contracts.ImaginariesNft);
var sponsoredMint = Heurist.Contracts.AccountAbstraction.SponsoredMint.ForDeployment(rpc, manifest);
IWeb3 Send(EthECKey key) => rpc.As(key, manifest.ChainId, TimeSpan.FromMilliseconds(10));
var owner = Send(AnvilAccounts.Owner);
var results = new List<(string Key, BigInteger Gas)>();

// Staking, measured on a network that already has stake: another staker staked on both miners and has an unstake
// request, so the totals are not written for the first time. The staker measured stakes on a miner for the first time.
var minerOwner = AnvilAccounts.Miner;
var minerA = Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes("bench-miner-a"));
var minerB = Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes("bench-miner-b"));
await staking.RegisterMinerAsync(Send(minerOwner), minerA);
await staking.RegisterMinerAsync(Send(minerOwner), minerB);
var earlier = AnvilAccounts.Key(6);
var staker = AnvilAccounts.Key(7);
foreach (var key in new[] { earlier, staker })
{
    await token.TransferAsync(owner, key.Address, 20_000 * heu);
    await token.ApproveAsync(Send(key), staking.Address, 20_000 * heu);
}
await staking.StakeAsync(Send(earlier), minerA, 0, 10_000 * heu);
await staking.StakeAsync(Send(earlier), minerB, 0, 5_000 * heu);
await staking.UnstakeAsync(Send(earlier), minerA, 0, 1_000 * heu);
results.Add(("gas.stake", (await staking.StakeAsync(Send(staker), minerA, 0, 15_000 * heu)).GasUsed.Value));
results.Add(("gas.unstake", (await staking.UnstakeAsync(Send(staker), minerA, 0, 1_000 * heu)).GasUsed.Value));
results.Add(("gas.transfer_stake", (await staking.TransferStakeAsync(Send(staker), minerA, minerB, 0, 4_000 * heu)).GasUsed.Value));
results.Add(("gas.set_bribe", (await staking.SetBribeAsync(Send(minerOwner), minerA, 2_500)).GasUsed.Value));

// Rewards: a day of emission and a two-leaf tree paying HEU and esHEU. The other leaf is claimed first, so the
// measured claim is not the first esHEU ever deposited.
await rpc.Client.SendRequestAsync<object>("evm_increaseTime", null, new HexBigInteger(Day).HexValue);
await rpc.Client.SendRequestAsync<object>("evm_mine");
var claimer = AnvilAccounts.Key(8);
var leaves = new[]
{
    new RewardLeaf(0, claimer.Address, 120 * heu, 80 * heu),
    new RewardLeaf(0, AnvilAccounts.Key(9).Address, 60 * heu, 40 * heu),
};
var tree = MerkleTree.Build(leaves);
await distributor.PostRootAsync(Send(AnvilAccounts.SettlementKey), 0, tree.Root, 180 * heu, 120 * heu);
await distributor.ClaimAsync(owner, 0, leaves[1].Account, leaves[1].Heu, leaves[1].EsHeu, tree.Proof(1));
results.Add(("gas.claim", (await distributor.ClaimAsync(Send(claimer), 0, claimer.Address, leaves[0].Heu, leaves[0].EsHeu, tree.Proof(0))).GasUsed.Value));

// Mints: an EOA submitting a studio-signed mint itself, then a wallet's first and second sponsored mints.
var latest = (ulong)(await rpc.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(BlockParameter.CreateLatest())).Timestamp.Value;
var image = 0;
MintAuthorization Authorize(string to)
    => new(to, Sha3Keccack.Current.CalculateHash(Encoding.UTF8.GetBytes($"bench-image-{image++}")), ModelId, Uri, latest + Day);
byte[] StudioSign(MintAuthorization authorization)
    => authorization.Sign(AnvilAccounts.StudioSigner, manifest.ChainId, nft.Address);

var minter = EthECKey.GenerateKey();
await rpc.Client.SendRequestAsync<object>("anvil_setBalance", null, minter.Address, new HexBigInteger(heu).HexValue);
var direct = Authorize(minter.Address);
results.Add(("gas.mint_direct", (await nft.MintAsync(Send(minter), direct.To, direct.ImageHash, direct.ModelId, direct.Uri, direct.Deadline, StudioSign(direct))).GasUsed.Value));

var wallet = EthECKey.GenerateKey();
var bundler = Send(AnvilAccounts.Bundler);
foreach (var key in new[] { "gas.mint_sponsored_first", "gas.mint_sponsored" })
{
    var authorization = Authorize(wallet.Address);
    var operation = await sponsoredMint.PrepareAsync(authorization, StudioSign(authorization), AnvilAccounts.SponsorSigner, latest + Day);
    var receipt = await sponsoredMint.SubmitAsync(bundler, sponsoredMint.SignAsOwner(operation, wallet));
    var executed = new EntryPointContract(rpc, sponsoredMint.EntryPoint).UserOperationEventEvents(receipt);
    if (executed.Count != 1 || !executed[0].Success)
    {
        throw new InvalidOperationException($"The sponsored mint for {key} did not succeed.");
    }
    results.Add((key, receipt.GasUsed.Value));
}

foreach (var (key, gas) in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key}={gas}"));
}
return 0;
