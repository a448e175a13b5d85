using Heurist.Portal.Data;
using Heurist.Portal.Data.Chain;

namespace Heurist.Portal.Server.Features.ChainIndexing;

/// <summary>
/// Turns decoded events into rows: the event history, and the current state people ask about
/// (stakes per staker and miner, unstake requests, bribes, NFTs, reward roots and claims).
/// Runs inside the indexer's transaction, in chain order.
/// </summary>
public static class ChainProjection
{
    private const string ZeroAddress = "0x0000000000000000000000000000000000000000";

    public static async Task ApplyAsync(PortalDbContext db, DecodedChainEvent e, CancellationToken cancellationToken)
    {
        db.ChainEvents.Add(new ChainEvent
        {
            BlockNumber = e.BlockNumber,
            LogIndex = e.LogIndex,
            TransactionHash = e.TransactionHash,
            BlockTime = e.BlockTime,
            Contract = e.Contract,
            Name = e.Name,
            Arguments = e.ArgumentsJson(),
        });

        switch (e.Contract, e.Name)
        {
            case ("MinerStaking", "MinerRegistered"):
                db.ChainMiners.Add(new ChainMiner { MinerChainId = e.Bytes32("minerId"), Owner = e.Address("owner"), RegisteredBlock = e.BlockNumber });
                break;
            case ("MinerStaking", "Staked"):
                await AddStakeAsync(db, e, e.Address("staker"), e.Bytes32("minerId"), Kind(e), e.Wei("amount"), cancellationToken);
                break;
            case ("MinerStaking", "Unstaked"):
                await AddStakeAsync(db, e, e.Address("staker"), e.Bytes32("minerId"), Kind(e), -e.Wei("amount"), cancellationToken);
                break;
            case ("MinerStaking", "UnstakeRequested"):
                await AddStakeAsync(db, e, e.Address("staker"), e.Bytes32("minerId"), StakeKind.Heu, -e.Wei("amount"), cancellationToken);
                db.UnstakeRequests.Add(new UnstakeRequest
                {
                    RequestId = e.SmallQuantity("requestId"),
                    Staker = e.Address("staker"),
                    MinerChainId = e.Bytes32("minerId"),
                    Amount = e.Wei("amount"),
                    AvailableAt = DateTimeOffset.FromUnixTimeSeconds(e.SmallQuantity("availableAt")),
                    RequestedBlock = e.BlockNumber,
                });
                break;
            case ("MinerStaking", "Withdrawn"):
                var request = await db.UnstakeRequests.FindAsync([e.SmallQuantity("requestId")], cancellationToken)
                    ?? throw new InvalidOperationException($"Withdrawn refers to unknown unstake request {e.SmallQuantity("requestId")} (block {e.BlockNumber}).");
                request.Withdrawn = true;
                break;
            case ("MinerStaking", "StakeTransferred"):
                var staker = e.Address("staker");
                await AddStakeAsync(db, e, staker, e.Bytes32("fromMiner"), Kind(e), -e.Wei("amount"), cancellationToken);
                await AddStakeAsync(db, e, staker, e.Bytes32("toMiner"), Kind(e), e.Wei("amount"), cancellationToken);
                break;
            case ("MinerStaking", "BribeSet"):
                db.BribeChanges.Add(new BribeChange
                {
                    BlockNumber = e.BlockNumber,
                    LogIndex = e.LogIndex,
                    MinerChainId = e.Bytes32("minerId"),
                    BasisPoints = (int)e.Quantity("bps"),
                    EffectiveEpoch = e.SmallQuantity("effectiveEpoch"),
                    ChangedAt = e.BlockTime,
                });
                break;
            case ("ImaginariesNft", "ImageMinted"):
                db.NftTokens.Add(new NftToken
                {
                    ImageHash = e.Bytes32("imageHash"),
                    Owner = e.Address("to"),
                    ModelId = e.Text("modelId"),
                    Uri = e.Text("uri"),
                    MintedBlock = e.BlockNumber,
                    MintTransactionHash = e.TransactionHash,
                    MintedAt = e.BlockTime,
                });
                break;
            case ("ImaginariesNft", "Transfer") when e.Address("from") != ZeroAddress:
                var imageHash = DecodedChainEvent.Hex(TokenIdToHash(e));
                var token = await db.NftTokens.FindAsync([imageHash], cancellationToken)
                    ?? throw new InvalidOperationException($"Transfer of unknown token {imageHash} (block {e.BlockNumber}).");
                token.Owner = e.Address("to");
                break;
            case ("RewardsDistributor", "RootPosted"):
                db.RewardEpochs.Add(new RewardEpoch
                {
                    Epoch = e.SmallQuantity("epoch"),
                    Root = e.Bytes32("root"),
                    HeuTotal = e.Wei("heuTotal"),
                    EsHeuTotal = e.Wei("esHeuTotal"),
                    PostedBlock = e.BlockNumber,
                });
                break;
            case ("RewardsDistributor", "Claimed"):
                db.RewardClaims.Add(new RewardClaim
                {
                    Epoch = e.SmallQuantity("epoch"),
                    Account = e.Address("account"),
                    HeuAmount = e.Wei("heuAmount"),
                    EsHeuAmount = e.Wei("esHeuAmount"),
                    ClaimedBlock = e.BlockNumber,
                    TransactionHash = e.TransactionHash,
                });
                break;
        }
    }

    private static StakeKind Kind(DecodedChainEvent e) => e.Quantity("kind") == 0 ? StakeKind.Heu : StakeKind.EsHeu;

    private static byte[] TokenIdToHash(DecodedChainEvent e)
    {
        // The token id is the image hash read as a uint256: write it back as 32 big-endian bytes.
        var bytes = e.Quantity("tokenId").ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[32];
        bytes.CopyTo(padded, 32 - bytes.Length);
        return padded;
    }

    private static async Task AddStakeAsync(
        PortalDbContext db, DecodedChainEvent e, string staker, string minerChainId, StakeKind kind, decimal delta, CancellationToken cancellationToken)
    {
        // Find also sees rows added earlier in this batch and not yet saved.
        var stake = await db.Stakes.FindAsync([staker, minerChainId, kind], cancellationToken);
        if (stake is null)
        {
            stake = new Stake { Staker = staker, MinerChainId = minerChainId, Kind = kind };
            db.Stakes.Add(stake);
        }
        stake.Amount += delta;
        stake.UpdatedBlock = e.BlockNumber;
        if (stake.Amount < 0)
        {
            throw new InvalidOperationException($"The stake of {staker} on {minerChainId} would go negative at block {e.BlockNumber}: the index is missing events.");
        }
    }
}
