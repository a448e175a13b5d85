using Heurist.Contracts.Bindings;
using Heurist.Protocol.Chain;
using static Heurist.Contracts.Tests.ContractRules.ProtocolChain;

namespace Heurist.Contracts.Tests.ContractRules;

/// <summary>Protocol's revert sentences against the compiled ABIs and against real reverts on anvil.</summary>
[Collection(ContractRulesGroup.Name)]
public sealed class RevertReasonsTests(ProtocolChain chain)
{
    [Fact]
    public void Every_selector_in_the_table_is_keccak256_of_its_signature()
    {
        Assert.NotEmpty(RevertReasons.Selectors);
        foreach (var (signature, selector) in RevertReasons.Selectors)
        {
            var hash = Sha3Keccack.Current.CalculateHash(System.Text.Encoding.ASCII.GetBytes(signature));
            Assert.True(hash.AsSpan(0, 4).ToArray().ToHex(true) == selector, $"{signature}: {selector} is not its selector");
        }
    }

    [Fact]
    public void Every_custom_error_of_the_deployed_contracts_has_a_sentence()
    {
        string[] deployed = ["HeuristToken", "EscrowedHeurist", "MinerStaking", "RewardsDistributor", "ImaginariesNft", "HeuristPaymaster"];
        var missing = deployed
            .SelectMany(name => ContractArtifacts.Get(name).Abi.Errors.Select(e => $"{e.Name}({string.Join(",", e.InputParameters.Select(p => p.Type))})"))
            .Distinct()
            .Where(signature => !RevertReasons.Selectors.ContainsKey(signature))
            .ToArray();
        Assert.Empty(missing);
    }

    [Fact]
    public async Task Real_reverts_on_anvil_read_as_their_sentences()
    {
        var ct = TestContext.Current.CancellationToken;
        var staking = chain.Contracts.Staking;
        var staker = await chain.NewAccountAsync(Heu(10), 0, ct);
        var unknown = UniqueId("revert-sentences");

        var notRegistered = await Assert.ThrowsAsync<ContractRevertedException>(() => staking.StakeAsync(chain.Send(staker), unknown, 0, Heu(1), ct));
        Assert.Equal($"Miner {unknown.ToHex(true)} is not registered for staking.", RevertReasons.Describe(notRegistered.Error.Data.ToHex(true)).Message);

        var owner = await chain.NewAccountAsync(ct: ct);
        var minerId = UniqueId("revert-sentences-miner");
        await staking.RegisterMinerAsync(chain.Send(owner), minerId, ct);
        var notApproved = await Assert.ThrowsAsync<ContractRevertedException>(() => staking.StakeAsync(chain.Send(staker), minerId, 0, Heu(4), ct));
        var reason = RevertReasons.Describe(notApproved.Error.Data.ToHex(true));
        Assert.Equal("ERC20InsufficientAllowance", reason.ErrorName);
        Assert.Equal($"The approval for {staking.Address.ToLowerInvariant()} is 0, less than the 4 needed: approve first.", reason.Message);
    }
}
