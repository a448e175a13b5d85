using Heurist.Portal.Client;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.Services.AddPortalClientServices(new Uri(builder.HostEnvironment.BaseAddress));
await builder.Build().RunAsync();
