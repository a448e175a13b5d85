using Heurist.Portal.Server;
using Heurist.Portal.Server.Features.Network;
using Heurist.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPortalServices();

var app = builder.Build();
app.UsePortalPipeline();
app.MapDefaultEndpoints();
app.MapNetworkApi();
app.MapPortalPages();

return await app.RunWithStartupChecksAsync();
