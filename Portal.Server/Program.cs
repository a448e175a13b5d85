using Heurist.Portal.Server;
using Heurist.Portal.Server.Features.Allocation;
using Heurist.Portal.Server.Features.Auth;
using Heurist.Portal.Server.Features.Chain;
using Heurist.Portal.Server.Features.Governance;
using Heurist.Portal.Server.Features.Minting;
using Heurist.Portal.Server.Features.Network;
using Heurist.Portal.Server.Features.Provenance;
using Heurist.Portal.Server.Features.Rewards;
using Heurist.Portal.Server.Features.Staking;
using Heurist.Portal.Server.Features.Stats;
using Heurist.Portal.Server.Features.Studio;
using Heurist.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPortalServices();

var app = builder.Build();
if (!await app.PassesStartupChecksAsync())
{
    return 1;
}

app.UsePortalPipeline();
app.MapDefaultEndpoints();
app.MapNetworkApi();
app.MapStudioApi();
app.MapStatsApi();
app.MapAuthApi();
app.MapChainApi();
app.MapStakingApi();
app.MapRewardsApi();
app.MapMintingApi();
app.MapProvenanceApi();
app.MapGovernanceApi();
app.MapAllocationApi();
app.MapPortalPages();

await app.RunAsync();
return 0;
