using Heurist.Inference.Worker;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Provenance;
using Heurist.ServiceDefaults;

if (args is ["verify", .. var verifyArgs])
{
    return await VerifyCommand.RunAsync(verifyArgs, Console.Out);
}
if (args is ["models", .. var modelsArgs])
{
    return ModelCheckCommand.Run(modelsArgs, Console.Out);
}

var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.AddWorkerServices();

using var host = builder.Build();
if (!await host.PassesStartupChecksAsync())
{
    return 1;
}

var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
try
{
    await host.StartAsync();
}
catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
{
    // Ctrl-C while still starting is a normal stop: what started is stopped below, and the miner marked stopped.
}
await host.WaitForShutdownAsync();
return 0;
