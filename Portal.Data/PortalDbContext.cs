using Heurist.Portal.Data.Auth;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Data.Governance;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Miners;
using Heurist.Portal.Data.Minting;
using Heurist.Portal.Data.Network;
using Heurist.Portal.Data.Probes;
using Heurist.Portal.Data.Provenance;
using Heurist.Portal.Data.Rewards;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Data;

/// <summary>The portal's database: everything except Hangfire's own tables, which live in schema "hangfire".</summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core data-protection keys (cookies, antiforgery), shared by every portal instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<SignInNonce> SignInNonces => Set<SignInNonce>();

    public DbSet<Miner> Miners => Set<Miner>();

    public DbSet<DispatchProbe> DispatchProbes => Set<DispatchProbe>();

    public DbSet<ImageJob> ImageJobs => Set<ImageJob>();

    public DbSet<StoredImage> Images => Set<StoredImage>();

    public DbSet<PointsCredit> PointsCredits => Set<PointsCredit>();

    public DbSet<MinerModel> MinerModels => Set<MinerModel>();

    public DbSet<ImageVerification> ImageVerifications => Set<ImageVerification>();

    public DbSet<ChainCursor> ChainCursors => Set<ChainCursor>();

    public DbSet<ChainEvent> ChainEvents => Set<ChainEvent>();

    public DbSet<ChainMiner> ChainMiners => Set<ChainMiner>();

    public DbSet<Stake> Stakes => Set<Stake>();

    public DbSet<UnstakeRequest> UnstakeRequests => Set<UnstakeRequest>();

    public DbSet<BribeChange> BribeChanges => Set<BribeChange>();

    public DbSet<NftToken> NftTokens => Set<NftToken>();

    public DbSet<MintRequest> MintRequests => Set<MintRequest>();

    public DbSet<NftMetadataDocument> NftMetadataDocuments => Set<NftMetadataDocument>();

    public DbSet<RewardEpoch> RewardEpochs => Set<RewardEpoch>();

    public DbSet<RewardClaim> RewardClaims => Set<RewardClaim>();

    public DbSet<EpochSettlementRecord> EpochSettlements => Set<EpochSettlementRecord>();

    public DbSet<RewardLeafRecord> RewardLeaves => Set<RewardLeafRecord>();

    public DbSet<EpochMinerRewardRecord> EpochMinerRewards => Set<EpochMinerRewardRecord>();

    public DbSet<GovernanceMessage> GovernanceMessages => Set<GovernanceMessage>();

    public DbSet<GovernanceProposal> GovernanceProposals => Set<GovernanceProposal>();

    public DbSet<GovernanceVote> GovernanceVotes => Set<GovernanceVote>();

    public DbSet<VotingPowerReading> VotingPowerReadings => Set<VotingPowerReading>();

    public DbSet<ModelAllocationTarget> ModelAllocationTargets => Set<ModelAllocationTarget>();

    public DbSet<AllocationSample> AllocationSamples => Set<AllocationSample>();

    public DbSet<NetworkHourly> NetworkHourly => Set<NetworkHourly>();

    public DbSet<MinerHourly> MinerHourly => Set<MinerHourly>();

    public DbSet<MinerLatencyDaily> MinerLatencyDaily => Set<MinerLatencyDaily>();

    public DbSet<MinerSession> MinerSessions => Set<MinerSession>();

    public DbSet<MinerSummary> MinerSummaries => Set<MinerSummary>();

    // Each entity's configuration lives next to it; the snake_case names come from the options (PortalDatabase.UsePortalDatabase).
    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
}
