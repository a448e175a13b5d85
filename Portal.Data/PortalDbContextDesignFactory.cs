using Microsoft.EntityFrameworkCore.Design;

namespace Heurist.Portal.Data;

/// <summary>Lets 'dotnet ef migrations add' build the model without a host. It never connects.</summary>
internal sealed class PortalDbContextDesignFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) => PortalDatabase.CreateContext("Host=localhost;Database=heurist_design");
}
