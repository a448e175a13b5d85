using Heurist.Protocol.Api.Chain;

namespace Heurist.Portal.Client.Tests.Features.Wallet;

/// <summary>An <see cref="IChainClient"/> answering the local anvil deployment, as the manifest would.</summary>
internal sealed class InMemoryChainClient : IChainClient
{
    public static readonly ChainInfo Anvil = new(
        31337,
        "Anvil",
        "http://127.0.0.1:8545",
        "ETH",
        new ChainContracts(
            HeuristToken: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            EscrowedHeurist: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
            MinerStaking: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0",
            RewardsDistributor: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
            ImaginariesNft: "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9",
            HeuristPaymaster: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
            EntryPoint: "0x0165878A594ca255338adfa4d48449f69242Eb8F",
            SimpleAccountFactory: "0xa513E6E4b8f2a923D98304ec87F64353C4D5C853"));

    public ChainInfo Chain { get; set; } = Anvil;

    /// <summary>When set, asking for the chain fails with it, as when the portal cannot be reached.</summary>
    public Exception? Failure { get; set; }

    public int Reads { get; private set; }

    /// <summary>What GET /api/chain/indexed answers; a test moves it to let a transaction reach "indexed".</summary>
    public long? NextIndexedBlock { get; set; }

    public int IndexedReads { get; private set; }

    public Task<ChainIndexStatus> GetIndexedAsync(CancellationToken cancellationToken = default)
    {
        IndexedReads++;
        return Task.FromResult(new ChainIndexStatus(NextIndexedBlock));
    }

    public Task<ChainInfo> GetChainAsync(CancellationToken cancellationToken = default)
    {
        Reads++;
        return Failure is { } failure ? Task.FromException<ChainInfo>(failure) : Task.FromResult(Chain);
    }
}
