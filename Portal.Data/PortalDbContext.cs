using System.Text;
using Heurist.Portal.Data.Chain;
using Heurist.Portal.Data.Images;
using Heurist.Portal.Data.Miners;
using Heurist.Portal.Data.Network;
using Heurist.Portal.Data.Probes;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Data;

/// <summary>The portal's database: everything except Hangfire's own tables, which live in schema "hangfire".</summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    /// <summary>ASP.NET Core data-protection keys (cookies, antiforgery), shared by every portal instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Miner> Miners => Set<Miner>();

    public DbSet<DispatchProbe> DispatchProbes => Set<DispatchProbe>();

    public DbSet<ImageJob> ImageJobs => Set<ImageJob>();

    public DbSet<StoredImage> Images => Set<StoredImage>();

    public DbSet<PointsCredit> PointsCredits => Set<PointsCredit>();

    public DbSet<MinerModel> MinerModels => Set<MinerModel>();

    public DbSet<ChainCursor> ChainCursors => Set<ChainCursor>();

    public DbSet<ChainEvent> ChainEvents => Set<ChainEvent>();

    public DbSet<ChainMiner> ChainMiners => Set<ChainMiner>();

    public DbSet<Stake> Stakes => Set<Stake>();

    public DbSet<UnstakeRequest> UnstakeRequests => Set<UnstakeRequest>();

    public DbSet<BribeChange> BribeChanges => Set<BribeChange>();

    public DbSet<NftToken> NftTokens => Set<NftToken>();

    public DbSet<RewardEpoch> RewardEpochs => Set<RewardEpoch>();

    public DbSet<RewardClaim> RewardClaims => Set<RewardClaim>();

    public DbSet<NetworkHourly> NetworkHourly => Set<NetworkHourly>();

    public DbSet<MinerHourly> MinerHourly => Set<MinerHourly>();

    public DbSet<MinerLatencyDaily> MinerLatencyDaily => Set<MinerLatencyDaily>();

    public DbSet<MinerSession> MinerSessions => Set<MinerSession>();

    public DbSet<MinerSummary> MinerSummaries => Set<MinerSummary>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Miner>(miner =>
        {
            miner.HasKey(m => m.Id);
            miner.Property(m => m.Id).HasMaxLength(Protocol.Miners.MinerIdentity.MaxIdLength);
            miner.Property(m => m.RewardAddress).HasMaxLength(42);
            miner.Property(m => m.DeviceName).HasMaxLength(200);
            miner.Property(m => m.DeviceKind).HasConversion<string>().HasMaxLength(16);
            miner.Property(m => m.HostName).HasMaxLength(255);
            miner.Property(m => m.WorkerVersion).HasMaxLength(64);
            miner.HasIndex(m => m.LastHeartbeatAt);
        });

        modelBuilder.Entity<DispatchProbe>(probe =>
        {
            probe.HasKey(p => p.Id);
            probe.Property(p => p.Queue).HasMaxLength(100);
            probe.Property(p => p.MinerId).HasMaxLength(Protocol.Miners.MinerIdentity.MaxIdLength);
            probe.HasIndex(p => p.RequestedAt);
        });

        ConfigureImages(modelBuilder);
        ConfigureChain(modelBuilder);
        ConfigureNetwork(modelBuilder);
        UseSnakeCaseNames(modelBuilder);
    }

    private static void ConfigureImages(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ImageJob>(job =>
        {
            job.HasKey(j => j.Id);
            job.Property(j => j.CreatorId).HasMaxLength(100);
            job.Property(j => j.Prompt).HasMaxLength(Protocol.Jobs.ImageJobRules.MaxPromptLength);
            job.Property(j => j.NegativePrompt).HasMaxLength(Protocol.Jobs.ImageJobRules.MaxPromptLength);
            job.Property(j => j.ModelId).HasMaxLength(100);
            job.Property(j => j.Scheduler).HasMaxLength(50);
            job.Property(j => j.State).HasConversion<string>().HasMaxLength(16);
            job.Property(j => j.HangfireJobId).HasMaxLength(64);
            job.Property(j => j.MinerId).HasMaxLength(Protocol.Miners.MinerIdentity.MaxIdLength);
            job.Property(j => j.Error).HasMaxLength(1000);
            job.Property(j => j.ImageSha256).HasMaxLength(64);
            job.Property(j => j.Points).HasColumnType("numeric(20,6)");
            job.HasIndex(j => new { j.CreatorId, j.CreatedAt });
            job.HasIndex(j => j.State);
        });
        modelBuilder.Entity<StoredImage>(image =>
        {
            image.HasKey(i => i.Sha256);
            image.Property(i => i.Sha256).HasMaxLength(64);
            image.Property(i => i.Metadata).HasColumnType("jsonb");
        });
        modelBuilder.Entity<PointsCredit>(credit =>
        {
            credit.HasKey(c => c.JobId);
            credit.Property(c => c.MinerId).HasMaxLength(Protocol.Miners.MinerIdentity.MaxIdLength);
            credit.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
            credit.Property(c => c.Points).HasColumnType("numeric(20,6)");
            credit.HasIndex(c => new { c.MinerId, c.CreditedAt });
            // The stats page lists the latest finished jobs.
            credit.HasIndex(c => c.CreditedAt);
        });
        modelBuilder.Entity<MinerModel>(model =>
        {
            model.HasKey(m => new { m.MinerId, m.ModelId });
            model.Property(m => m.MinerId).HasMaxLength(Protocol.Miners.MinerIdentity.MaxIdLength);
            model.Property(m => m.ModelId).HasMaxLength(100);
            model.Property(m => m.FileHashes).HasColumnType("jsonb");
        });
    }

    private static void ConfigureChain(ModelBuilder modelBuilder)
    {
        const string Hash = "character varying(66)";
        const string Address = "character varying(42)";
        const string Wei = "numeric(78,0)";

        modelBuilder.Entity<ChainCursor>(cursor =>
        {
            cursor.HasKey(c => c.Name);
            cursor.Property(c => c.Name).HasMaxLength(64);
        });
        modelBuilder.Entity<ChainEvent>(e =>
        {
            e.HasKey(x => new { x.BlockNumber, x.LogIndex });
            e.Property(x => x.TransactionHash).HasColumnType(Hash);
            e.Property(x => x.Contract).HasMaxLength(64);
            e.Property(x => x.Name).HasMaxLength(64);
            e.Property(x => x.Arguments).HasColumnType("jsonb");
            e.HasIndex(x => new { x.Contract, x.Name });
        });
        modelBuilder.Entity<ChainMiner>(m =>
        {
            m.HasKey(x => x.MinerChainId);
            m.Property(x => x.MinerChainId).HasColumnType(Hash);
            m.Property(x => x.Owner).HasColumnType(Address);
            m.HasIndex(x => x.Owner);
        });
        modelBuilder.Entity<Stake>(s =>
        {
            s.HasKey(x => new { x.Staker, x.MinerChainId, x.Kind });
            s.Property(x => x.Staker).HasColumnType(Address);
            s.Property(x => x.MinerChainId).HasColumnType(Hash);
            s.Property(x => x.Amount).HasColumnType(Wei);
            s.HasIndex(x => x.MinerChainId);
        });
        modelBuilder.Entity<UnstakeRequest>(r =>
        {
            r.HasKey(x => x.RequestId);
            r.Property(x => x.RequestId).ValueGeneratedNever();
            r.Property(x => x.Staker).HasColumnType(Address);
            r.Property(x => x.MinerChainId).HasColumnType(Hash);
            r.Property(x => x.Amount).HasColumnType(Wei);
            r.HasIndex(x => x.Staker);
        });
        modelBuilder.Entity<BribeChange>(b =>
        {
            b.HasKey(x => new { x.BlockNumber, x.LogIndex });
            b.Property(x => x.MinerChainId).HasColumnType(Hash);
            b.HasIndex(x => new { x.MinerChainId, x.EffectiveEpoch });
        });
        modelBuilder.Entity<NftToken>(t =>
        {
            t.HasKey(x => x.ImageHash);
            t.Property(x => x.ImageHash).HasColumnType(Hash);
            t.Property(x => x.Owner).HasColumnType(Address);
            t.Property(x => x.ModelId).HasMaxLength(100);
            t.Property(x => x.Uri).HasMaxLength(2048);
            t.Property(x => x.MintTransactionHash).HasColumnType(Hash);
            t.HasIndex(x => x.Owner);
        });
        modelBuilder.Entity<RewardEpoch>(e =>
        {
            e.HasKey(x => x.Epoch);
            e.Property(x => x.Epoch).ValueGeneratedNever();
            e.Property(x => x.Root).HasColumnType(Hash);
            e.Property(x => x.HeuTotal).HasColumnType(Wei);
            e.Property(x => x.EsHeuTotal).HasColumnType(Wei);
        });
        modelBuilder.Entity<RewardClaim>(c =>
        {
            c.HasKey(x => new { x.Epoch, x.Account });
            c.Property(x => x.Account).HasColumnType(Address);
            c.Property(x => x.HeuAmount).HasColumnType(Wei);
            c.Property(x => x.EsHeuAmount).HasColumnType(Wei);
            c.Property(x => x.TransactionHash).HasColumnType(Hash);
            c.HasIndex(x => x.Account);
        });
    }

    private static void ConfigureNetwork(ModelBuilder modelBuilder)
    {
        const string Points = "numeric(20,6)";
        const int MinerIdLength = Protocol.Miners.MinerIdentity.MaxIdLength;

        modelBuilder.Entity<NetworkHourly>(h =>
        {
            h.ToTable("network_hourly");
            h.HasKey(x => new { x.Hour, x.ModelId });
            h.Property(x => x.ModelId).HasMaxLength(100);
            h.Property(x => x.WaifuPoints).HasColumnType(Points);
            h.Property(x => x.LlamaPoints).HasColumnType(Points);
        });
        modelBuilder.Entity<MinerHourly>(h =>
        {
            h.ToTable("miner_hourly");
            h.HasKey(x => new { x.MinerId, x.Hour });
            h.Property(x => x.MinerId).HasMaxLength(MinerIdLength);
            h.Property(x => x.WaifuPoints).HasColumnType(Points);
            h.Property(x => x.LlamaPoints).HasColumnType(Points);
            h.HasIndex(x => x.Hour);
        });
        modelBuilder.Entity<MinerLatencyDaily>(l =>
        {
            l.ToTable("miner_latency_daily");
            l.HasKey(x => new { x.MinerId, x.Day, x.Bucket });
            l.Property(x => x.MinerId).HasMaxLength(MinerIdLength);
            l.HasIndex(x => x.Day);
        });
        modelBuilder.Entity<MinerSession>(s =>
        {
            s.HasKey(x => new { x.MinerId, x.StartedAt });
            s.Property(x => x.MinerId).HasMaxLength(MinerIdLength);
            s.HasIndex(x => x.LastSeenAt);
        });
        modelBuilder.Entity<MinerSummary>(s =>
        {
            s.HasKey(x => x.MinerId);
            s.Property(x => x.MinerId).HasMaxLength(MinerIdLength);
            s.Property(x => x.WaifuPoints).HasColumnType(Points);
            s.Property(x => x.LlamaPoints).HasColumnType(Points);
            s.Property(x => x.Points24h).HasColumnType(Points);
            s.Property(x => x.Points7d).HasColumnType(Points);
        });
    }

    // PostgreSQL folds unquoted names to lower case, so snake_case keeps hand-written SQL readable.
    private static void UseSnakeCaseNames(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            entity.SetTableName(ToSnakeCase(entity.GetTableName()!));
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.GetColumnName()));
            }
            foreach (var key in entity.GetKeys())
            {
                key.SetName(ToSnakeCase(key.GetName()!));
            }
            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(ToSnakeCase(index.GetDatabaseName()!));
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previousIsLower = i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]));
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (i > 0 && name[i - 1] != '_' && (previousIsLower || nextIsLower))
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
