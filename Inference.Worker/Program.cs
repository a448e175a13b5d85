using Heurist.Inference.Worker;
using Heurist.ServiceDefaults;

var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.AddWorkerServices();

using var host = builder.Build();
return await host.RunWithStartupChecksAsync();
