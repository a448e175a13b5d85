using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace Heurist.Portal.Data.Tests;

/// <summary>
/// The rollups, the indexer and the network generator write SQL by hand, so the model must keep the names that the
/// migrations created. These tests diff the model the context builds now against the migrations' model snapshot.
/// </summary>
public sealed class ModelNamesTests
{
    // Building the model needs no server.
    private const string NoServer = "Host=localhost;Database=model_names";

    [Fact]
    public void The_model_has_no_changes_missing_from_the_migrations()
    {
        using var db = PortalDatabase.CreateContext(NoServer);
        var (snapshot, current) = Models(db);

        var differences = db.GetService<IMigrationsModelDiffer>().GetDifferences(snapshot, current);

        Assert.True(differences.Count == 0,
            "The model changed without a migration: run 'dotnet ef migrations add' in Portal.Data. Differences: "
            + string.Join("; ", differences.Select(Describe)));
    }

    [Fact]
    public void Every_table_column_key_and_index_has_the_name_and_type_the_snapshot_gives()
    {
        using var db = PortalDatabase.CreateContext(NoServer);
        var (snapshot, current) = Models(db);

        Assert.Equal(Names(snapshot), Names(current));
    }

    [Theory]
    [InlineData("table dispatch_probes")]
    [InlineData("table network_hourly")]
    [InlineData("table data_protection_keys")]
    [InlineData("column miners.id ")]
    [InlineData("column miners.last_heartbeat_at ")]
    [InlineData("column miner_summaries.points24h ")]
    [InlineData("column miner_summaries.uptime7d ")]
    [InlineData("column images.sha256 character varying(64)")]
    [InlineData("column stakes.amount numeric(78,0)")]
    [InlineData("primary key miners.pk_miners ")]
    [InlineData("index miners.ix_miners_last_heartbeat_at ")]
    [InlineData("index points_credits.ix_points_credits_miner_id_credited_at ")]
    public void Names_are_snake_case_as_the_hand_written_sql_expects_them(string expected)
    {
        using var db = PortalDatabase.CreateContext(NoServer);
        var (_, current) = Models(db);

        Assert.Contains(Names(current), name => name == expected.TrimEnd() || name.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_context_without_the_naming_convention_differs_from_the_snapshot()
    {
        // The comparison above can fail: EF's own names are not the ones the migrations created.
        using var db = new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UseNpgsql(NoServer).Options);
        var (snapshot, current) = Models(db);

        var differences = db.GetService<IMigrationsModelDiffer>().GetDifferences(snapshot, current);

        Assert.Contains(differences, o => o is RenameTableOperation { Name: "miners", NewName: "Miners" });
        Assert.Contains(differences, o => o is RenameColumnOperation { Name: "last_heartbeat_at", NewName: "LastHeartbeatAt" });
        Assert.Contains(differences, o => o is RenameIndexOperation { Name: "ix_miners_last_heartbeat_at" });
        Assert.NotEqual(Names(snapshot), Names(current));
    }

    /// <summary>The snapshot's model, made ready for the differ as EF's own pending-changes check does, and the context's.</summary>
    private static (IRelationalModel Snapshot, IRelationalModel Current) Models(DbContext db)
    {
        var snapshot = db.GetService<IMigrationsAssembly>().ModelSnapshot?.Model
            ?? throw new InvalidOperationException("Portal.Data has no model snapshot.");
        if (snapshot is IMutableModel mutable)
        {
            snapshot = mutable.FinalizeModel();
        }
        snapshot = db.GetService<IModelRuntimeInitializer>().Initialize(snapshot);
        return (snapshot.GetRelationalModel(), db.GetService<IDesignTimeModel>().Model.GetRelationalModel());
    }

    private static SortedSet<string> Names(IRelationalModel model)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var table in model.Tables)
        {
            names.Add($"table {table.Name}");
            foreach (var column in table.Columns)
            {
                names.Add($"column {table.Name}.{column.Name} {column.StoreType}{(column.IsNullable ? " null" : "")}");
            }
            foreach (var key in table.UniqueConstraints)
            {
                var kind = key.GetIsPrimaryKey() ? "primary key" : "unique";
                names.Add($"{kind} {table.Name}.{key.Name} ({Columns(key.Columns)})");
            }
            foreach (var index in table.Indexes)
            {
                names.Add($"index {table.Name}.{index.Name} ({Columns(index.Columns)}){(index.IsUnique ? " unique" : "")}");
            }
            foreach (var foreignKey in table.ForeignKeyConstraints)
            {
                names.Add($"foreign key {table.Name}.{foreignKey.Name} ({Columns(foreignKey.Columns)})");
            }
        }
        return names;
    }

    private static string Columns(IEnumerable<IColumn> columns) => string.Join(", ", columns.Select(c => c.Name));

    private static string Describe(MigrationOperation operation) => operation switch
    {
        RenameTableOperation rename => $"rename table {rename.Name} to {rename.NewName}",
        RenameColumnOperation rename => $"rename column {rename.Table}.{rename.Name} to {rename.NewName}",
        RenameIndexOperation rename => $"rename index {rename.Name} to {rename.NewName}",
        ColumnOperation column => $"{operation.GetType().Name} {column.Table}.{column.Name} {column.ColumnType}",
        _ => operation.GetType().Name,
    };
}
