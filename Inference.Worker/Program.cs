using Heurist.Inference.Worker;
using Heurist.ServiceDefaults;

var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.AddWorkerServices();

using var host = builder.Build();
if (!await host.PassesStartupChecksAsync())
{
    return 1;
}

await host.RunAsync();
return 0;
