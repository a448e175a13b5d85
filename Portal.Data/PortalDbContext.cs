using System.Text;
using Heurist.Portal.Data.Miners;
using Heurist.Portal.Data.Probes;
using Microsoft.EntityFrameworkCore;

namespace Heurist.Portal.Data;

/// <summary>The portal's database: everything except Hangfire's own tables, which live in schema "hangfire".</summary>
public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options) : DbContext(options)
{
    public DbSet<Miner> Miners => Set<Miner>();

    public DbSet<DispatchProbe> DispatchProbes => Set<DispatchProbe>();

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

        UseSnakeCaseNames(modelBuilder);
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
