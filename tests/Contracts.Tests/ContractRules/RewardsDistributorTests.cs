using System.Numerics;
using Heurist.Contracts.Bindings;
using Heurist.Contracts.Rewards;
using static Heurist.Contracts.Tests.ContractRules.ProtocolChain;

namespace Heurist.Contracts.Tests.ContractRules;

/// <summary>RewardsDistributor: the 500M emission over 120 months of 30 days, epoch roots from the settlement key, Merkle claims.</summary>
[Collection(ContractRulesGroup.Name)]
public sealed class RewardsDistributorTests(ProtocolChain chain)
{
    private const ulong EmissionSeconds = 120 * 30 * Day;
    private static readonly BigInteger MiningEmission = Heu(500_000_000);

    // Epochs of the shared deployment are only labels to the distributor; each test takes numbers no other test uses.
    private static long _nextEpoch = Random.Shared.NextInt64(1L << 40, 1L << 50);

    private RewardsDistributorContract Distributor => chain.Contracts.Distributor;

    private static BigInteger NewEpoch() => Interlocked.Add(ref _nextEpoch, 1);

    /// <summary>Moves the clock until the schedule allows <paramref name="amount"/> more to be emitted by <paramref name="distributor"/>.</summary>
    private async Task AllowEmissionAsync(RewardsDistributorContract distributor, BigInteger amount, CancellationToken ct)
    {
        var start = await distributor.EmissionStartAsync();
        var needed = await distributor.TotalEmittedAsync() + amount;
        var elapsed = (ulong)((needed * EmissionSeconds + MiningEmission - 1) / MiningEmission);
        await chain.IncreaseTimeToAsync(start + elapsed + 1, ct);
    }

    /// <summary>Posts <paramref name="leaves"/> as the tree of <paramref name="epoch"/>, with the totals of its leaves.</summary>
    private async Task<MerkleTree> PostAsync(BigInteger epoch, IReadOnlyList<RewardLeaf> leaves, CancellationToken ct)
    {
        var tree = MerkleTree.Build(leaves);
        var heu = leaves.Aggregate(BigInteger.Zero, (sum, l) => sum + l.Heu);
        var esHeu = leaves.Aggregate(BigInteger.Zero, (sum, l) => sum + l.EsHeu);
        await AllowEmissionAsync(Distributor, heu + esHeu, ct);
        await Distributor.PostRootAsync(chain.Send(SettlementKey), epoch, tree.Root, heu, esHeu, ct);
        return tree;
    }

    [Fact]
    public async Task The_schedule_allows_500M_linearly_over_3600_days_and_nothing_more_after()
    {
        var ct = TestContext.Current.CancellationToken;
        var distributor = chain.Contracts.Distributor;
        var start = await distributor.EmissionStartAsync();

        Assert.Equal(MiningEmission, await distributor.MiningEmissionAsync());
        Assert.Equal(new BigInteger(EmissionSeconds), await distributor.EmissionDurationAsync());
        Assert.Equal(BigInteger.Zero, await distributor.EmissionAllowedAsync(start - 1));
        Assert.Equal(BigInteger.Zero, await distributor.EmissionAllowedAsync(start));
        Assert.Equal(MiningEmission / 120, await distributor.EmissionAllowedAsync(start + 30 * Day));
        Assert.Equal(MiningEmission / 2, await distributor.EmissionAllowedAsync(start + EmissionSeconds / 2));
        Assert.Equal(MiningEmission * 7 / EmissionSeconds, await distributor.EmissionAllowedAsync(start + 7));
        Assert.Equal(MiningEmission, await distributor.EmissionAllowedAsync(start + EmissionSeconds));
        Assert.Equal(MiningEmission, await distributor.EmissionAllowedAsync(start + 10 * EmissionSeconds));
    }

    [Fact]
    public async Task Posting_more_than_the_schedule_allows_now_fails_until_time_has_passed_and_the_total_never_exceeds_500M()
    {
        var ct = TestContext.Current.CancellationToken;
        // A deployment of its own: its schedule starts now, and the test runs it to the end.
        var contracts = await chain.DeployAsync(ct);
        var distributor = contracts.Distributor;
        var start = await distributor.EmissionStartAsync();
        var settlement = chain.Send(SettlementKey);
        var month = MiningEmission / 120;

        await chain.IncreaseTimeToAsync(start + 30 * Day, ct);
        var asOf = await chain.LatestTimestampAsync(ct);
        var allowedNow = await distributor.EmissionAllowedAsync(asOf);
        var tooMuch = allowedNow + Heu(100_000);
        var exceeded = await Revert.WithAsync("EmissionExceeded", () => distributor.PostRootAsync(settlement, 1, UniqueId("root"), tooMuch - Heu(1), Heu(1), ct));

        Assert.Equal(tooMuch, exceeded["requested"]);
        var available = (BigInteger)exceeded["available"]!;
        Assert.InRange(available, allowedNow, await distributor.EmissionAllowedAsync(asOf + 60));
        Assert.InRange(available, month, month + month / 1000);
        Assert.Equal(new byte[32], await distributor.EpochRootAsync(1));

        await chain.IncreaseTimeAsync(Day, ct);
        var posted = await distributor.PostRootAsync(settlement, 1, UniqueId("root"), tooMuch - Heu(1), Heu(1), ct);

        Assert.Equal(tooMuch, await distributor.TotalEmittedAsync());
        Assert.Equal(tooMuch, await contracts.Heu.BalanceOfAsync(distributor.Address));
        var transfer = Assert.Single(contracts.Heu.TransferEvents(posted));
        Assert.Equal((AddressUtil.ZERO_ADDRESS, distributor.Address, tooMuch), (transfer.From, transfer.To, transfer.Value));

        await chain.IncreaseTimeToAsync(start + EmissionSeconds, ct);
        var rest = MiningEmission - tooMuch;
        await Revert.WithAsync("EmissionExceeded", () => distributor.PostRootAsync(settlement, 2, UniqueId("root"), rest, BigInteger.One, ct));
        await distributor.PostRootAsync(settlement, 2, UniqueId("root"), rest / 2, rest - rest / 2, ct);

        Assert.Equal(MiningEmission, await distributor.TotalEmittedAsync());
        Assert.Equal(Heu(1_000_000_000), await contracts.Heu.TotalSupplyAsync());
        await chain.IncreaseTimeAsync(365 * Day, ct);
        var spent = await Revert.WithAsync("EmissionExceeded", () => distributor.PostRootAsync(settlement, 3, UniqueId("root"), BigInteger.One, BigInteger.Zero, ct));
        Assert.Equal((BigInteger.One, BigInteger.Zero), (spent["requested"], spent["available"]));
        // A root that pays nothing is still a root: it needs no emission.
        await distributor.PostRootAsync(settlement, 3, UniqueId("root"), BigInteger.Zero, BigInteger.Zero, ct);
        Assert.Equal(MiningEmission, await distributor.TotalEmittedAsync());
    }

    [Fact]
    public async Task Totals_that_overflow_when_added_are_refused_as_more_than_the_schedule_allows()
    {
        var ct = TestContext.Current.CancellationToken;
        var max = BigInteger.Pow(2, 256) - 1;

        var exceeded = await Revert.WithAsync("EmissionExceeded",
            () => Distributor.PostRootAsync(chain.Send(SettlementKey), NewEpoch(), UniqueId("root"), max, Heu(1), ct));

        Assert.Equal(max, exceeded["requested"]);
    }

    [Fact]
    public async Task Only_the_settlement_key_posts_a_root_and_only_once_per_epoch()
    {
        var ct = TestContext.Current.CancellationToken;
        var epoch = NewEpoch();
        var root = UniqueId("root");
        await AllowEmissionAsync(Distributor, Heu(3), ct);

        var byOwner = await Revert.WithAsync("NotSettlementKey", () => Distributor.PostRootAsync(chain.Send(Owner), epoch, root, Heu(1), Heu(1), ct));
        Assert.Equal(Owner.Address, byOwner["caller"]);
        var emitted = await Distributor.TotalEmittedAsync();

        var receipt = await Distributor.PostRootAsync(chain.Send(SettlementKey), epoch, root, Heu(2), Heu(1), ct);

        var posted = Assert.Single(Distributor.RootPostedEvents(receipt));
        Assert.Equal((epoch, Heu(2), Heu(1)), (posted.Epoch, posted.HeuTotal, posted.EsHeuTotal));
        Assert.Equal(root, posted.Root);
        Assert.Equal(root, await Distributor.EpochRootAsync(epoch));
        Assert.Equal(emitted + Heu(3), await Distributor.TotalEmittedAsync());
        var again = await Revert.WithAsync("EpochAlreadyPosted", () => Distributor.PostRootAsync(chain.Send(SettlementKey), epoch, UniqueId("other"), 0, 0, ct));
        Assert.Equal(epoch, again["epoch"]);
        Assert.Equal(root, await Distributor.EpochRootAsync(epoch));
    }

    [Fact]
    public async Task The_owner_alone_changes_the_settlement_key()
    {
        var ct = TestContext.Current.CancellationToken;
        var contracts = await chain.DeployAsync(ct);
        var stranger = await chain.NewAccountAsync(ct: ct);
        Assert.Equal(SettlementKey.Address, await contracts.Distributor.SettlementKeyAsync());

        var refused = await Revert.WithAsync("OwnableUnauthorizedAccount", () => contracts.Distributor.SetSettlementKeyAsync(chain.Send(stranger), stranger.Address, ct));
        Assert.Equal(stranger.Address, refused["account"]);

        var receipt = await contracts.Distributor.SetSettlementKeyAsync(chain.Send(Owner), stranger.Address, ct);

        Assert.Equal(stranger.Address, Assert.Single(contracts.Distributor.SettlementKeySetEvents(receipt)).Key);
        Assert.Equal(stranger.Address, await contracts.Distributor.SettlementKeyAsync());
        await Revert.WithAsync("NotSettlementKey", () => contracts.Distributor.PostRootAsync(chain.Send(SettlementKey), 0, UniqueId("root"), 0, 0, ct));
        await contracts.Distributor.PostRootAsync(chain.Send(stranger), 0, UniqueId("root"), 0, 0, ct);
    }

    [Fact]
    public async Task Each_account_claims_its_heu_and_esheu_from_a_five_leaf_tree_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var contracts = chain.Contracts;
        var epoch = NewEpoch();
        var leaves = Enumerable.Range(1, 5)
            .Select(i => new RewardLeaf(epoch, EthECKey.GenerateKey().Address, Heu(10 * i), i % 2 == 0 ? BigInteger.Zero : Heu(i)))
            .ToList();
        var tree = await PostAsync(epoch, leaves, ct);
        // Anyone may submit a claim; the leaf's account is paid.
        var submitter = chain.Send(await chain.NewAccountAsync(ct: ct));
        var backing = await contracts.Heu.BalanceOfAsync(contracts.EsHeu.Address);
        var held = await contracts.Heu.BalanceOfAsync(Distributor.Address);

        for (var i = 0; i < leaves.Count; i++)
        {
            var leaf = leaves[i];
            var receipt = await Distributor.ClaimAsync(submitter, epoch, leaf.Account, leaf.Heu, leaf.EsHeu, tree.Proof(i), ct);

            var claimed = Assert.Single(Distributor.ClaimedEvents(receipt));
            Assert.Equal((epoch, leaf.Account, leaf.Heu, leaf.EsHeu), (claimed.Epoch, claimed.Account, claimed.HeuAmount, claimed.EsHeuAmount));
            Assert.Equal(leaf.Heu, await contracts.Heu.BalanceOfAsync(leaf.Account));
            Assert.Equal(leaf.EsHeu, await contracts.EsHeu.BalanceOfAsync(leaf.Account));
            Assert.True(await Distributor.IsClaimedAsync(epoch, leaf.Account));
            var deposits = contracts.EsHeu.DepositedEvents(receipt);
            if (leaf.EsHeu.IsZero)
            {
                Assert.Empty(deposits);
            }
            else
            {
                var deposit = Assert.Single(deposits);
                Assert.Equal((Distributor.Address, leaf.Account, leaf.EsHeu), (deposit.From, deposit.To, deposit.Amount));
            }

            var twice = await Revert.WithAsync("AlreadyClaimed", () => Distributor.ClaimAsync(submitter, epoch, leaf.Account, leaf.Heu, leaf.EsHeu, tree.Proof(i), ct));
            Assert.Equal((epoch, leaf.Account), (twice["epoch"], twice["account"]));
        }
        // Every esHEU paid is backed by HEU the distributor handed to the esHEU contract; what it held is paid out exactly.
        Assert.Equal(backing + leaves.Aggregate(BigInteger.Zero, (sum, l) => sum + l.EsHeu), await contracts.Heu.BalanceOfAsync(contracts.EsHeu.Address));
        Assert.Equal(held, await contracts.Heu.BalanceOfAsync(Distributor.Address) + leaves.Aggregate(BigInteger.Zero, (sum, l) => sum + l.Heu + l.EsHeu));
    }

    [Fact]
    public async Task A_claim_with_a_wrong_amount_a_wrong_account_or_another_leafs_proof_is_an_invalid_proof()
    {
        var ct = TestContext.Current.CancellationToken;
        var epoch = NewEpoch();
        var leaves = new[]
        {
            new RewardLeaf(epoch, EthECKey.GenerateKey().Address, Heu(5), Heu(1)),
            new RewardLeaf(epoch, EthECKey.GenerateKey().Address, Heu(7), BigInteger.Zero),
            new RewardLeaf(epoch, EthECKey.GenerateKey().Address, Heu(2), Heu(2)),
        };
        var tree = await PostAsync(epoch, leaves, ct);
        var sender = chain.Send(await chain.NewAccountAsync(ct: ct));
        var leaf = leaves[0];

        await Revert.WithAsync("InvalidProof", () => Distributor.ClaimAsync(sender, epoch, leaf.Account, leaf.Heu + 1, leaf.EsHeu, tree.Proof(0), ct));
        await Revert.WithAsync("InvalidProof", () => Distributor.ClaimAsync(sender, epoch, leaf.Account, leaf.EsHeu, leaf.Heu, tree.Proof(0), ct));
        await Revert.WithAsync("InvalidProof", () => Distributor.ClaimAsync(sender, epoch, leaves[1].Account, leaf.Heu, leaf.EsHeu, tree.Proof(0), ct));
        await Revert.WithAsync("InvalidProof", () => Distributor.ClaimAsync(sender, epoch, leaf.Account, leaf.Heu, leaf.EsHeu, tree.Proof(1), ct));
        await Revert.WithAsync("InvalidProof", () => Distributor.ClaimAsync(sender, epoch, leaf.Account, leaf.Heu, leaf.EsHeu, [], ct));

        Assert.False(await Distributor.IsClaimedAsync(epoch, leaf.Account));
        await Distributor.ClaimAsync(sender, epoch, leaf.Account, leaf.Heu, leaf.EsHeu, tree.Proof(0), ct);
        Assert.True(await Distributor.IsClaimedAsync(epoch, leaf.Account));
    }

    [Fact]
    public async Task A_leaf_of_another_epoch_is_an_invalid_proof_and_an_epoch_without_a_root_is_unknown()
    {
        var ct = TestContext.Current.CancellationToken;
        var epoch = NewEpoch();
        var later = NewEpoch();
        var leaves = new[] { new RewardLeaf(epoch, EthECKey.GenerateKey().Address, Heu(1), Heu(1)), new RewardLeaf(epoch, EthECKey.GenerateKey().Address, Heu(1), 0) };
        var tree = await PostAsync(epoch, leaves, ct);
        await PostAsync(later, [new RewardLeaf(later, EthECKey.GenerateKey().Address, Heu(1), 0)], ct);
        var sender = chain.Send(await chain.NewAccountAsync(ct: ct));
        var unposted = NewEpoch();

        await Revert.WithAsync("InvalidProof", () => Distributor.ClaimAsync(sender, later, leaves[0].Account, leaves[0].Heu, leaves[0].EsHeu, tree.Proof(0), ct));
        var unknown = await Revert.WithAsync("UnknownEpoch", () => Distributor.ClaimAsync(sender, unposted, leaves[0].Account, leaves[0].Heu, leaves[0].EsHeu, tree.Proof(0), ct));

        Assert.Equal(unposted, unknown["epoch"]);
    }

    [Fact]
    public async Task A_tree_paying_more_than_its_posted_totals_pays_until_the_totals_run_out()
    {
        var ct = TestContext.Current.CancellationToken;
        var contracts = chain.Contracts;
        var epoch = NewEpoch();
        var leaves = new[]
        {
            new RewardLeaf(epoch, EthECKey.GenerateKey().Address, Heu(100), Heu(10)),
            new RewardLeaf(epoch, EthECKey.GenerateKey().Address, Heu(100), Heu(10)),
            new RewardLeaf(epoch, EthECKey.GenerateKey().Address, Heu(1), Heu(30)),
        };
        var tree = MerkleTree.Build(leaves);
        await AllowEmissionAsync(Distributor, Heu(190), ct);
        // The settlement posted totals below what its leaves add up to: 150 HEU and 40 esHEU.
        await Distributor.PostRootAsync(chain.Send(SettlementKey), epoch, tree.Root, Heu(150), Heu(40), ct);
        var sender = chain.Send(await chain.NewAccountAsync(ct: ct));

        await Distributor.ClaimAsync(sender, epoch, leaves[0].Account, leaves[0].Heu, leaves[0].EsHeu, tree.Proof(0), ct);
        var heuOut = await Revert.WithAsync("EpochBudgetExceeded", () => Distributor.ClaimAsync(sender, epoch, leaves[1].Account, leaves[1].Heu, leaves[1].EsHeu, tree.Proof(1), ct));
        await Distributor.ClaimAsync(sender, epoch, leaves[2].Account, leaves[2].Heu, leaves[2].EsHeu, tree.Proof(2), ct);

        Assert.Equal(epoch, heuOut["epoch"]);
        Assert.False(await Distributor.IsClaimedAsync(epoch, leaves[1].Account));
        Assert.Equal(BigInteger.Zero, await contracts.Heu.BalanceOfAsync(leaves[1].Account));
        Assert.Equal(Heu(30), await contracts.EsHeu.BalanceOfAsync(leaves[2].Account));
    }

    [Fact]
    public async Task The_esheu_budget_runs_out_on_its_own()
    {
        var ct = TestContext.Current.CancellationToken;
        var epoch = NewEpoch();
        var leaves = new[]
        {
            new RewardLeaf(epoch, EthECKey.GenerateKey().Address, Heu(1), Heu(10)),
            new RewardLeaf(epoch, EthECKey.GenerateKey().Address, Heu(1), Heu(10)),
        };
        var tree = MerkleTree.Build(leaves);
        await AllowEmissionAsync(Distributor, Heu(20), ct);
        await Distributor.PostRootAsync(chain.Send(SettlementKey), epoch, tree.Root, Heu(10), Heu(15), ct);
        var sender = chain.Send(await chain.NewAccountAsync(ct: ct));

        await Distributor.ClaimAsync(sender, epoch, leaves[0].Account, leaves[0].Heu, leaves[0].EsHeu, tree.Proof(0), ct);
        var refused = await Revert.WithAsync("EpochBudgetExceeded", () => Distributor.ClaimAsync(sender, epoch, leaves[1].Account, leaves[1].Heu, leaves[1].EsHeu, tree.Proof(1), ct));

        Assert.Equal(epoch, refused["epoch"]);
    }
}
