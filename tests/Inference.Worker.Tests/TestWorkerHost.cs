using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Heurist.Contracts.LocalChain;

namespace Heurist.Inference.Worker.Tests;

/// <summary>Builds the real worker host in-process, configured like a worker started from the command line.</summary>
internal static class TestWorkerHost
{
    public static readonly string RewardAddress = AnvilAccounts.Address(1);

    public static IHost Build(string? connectionString, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Test",
            ContentRootPath = AppContext.BaseDirectory,
        });
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Portal"] = connectionString,
            ["Worker:MinerId"] = $"test-{Guid.NewGuid():N}"[..20],
            ["Worker:RewardAddress"] = RewardAddress,
            ["Worker:HeartbeatSeconds"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddWorkerServices();
        return builder.Build();
    }
}
