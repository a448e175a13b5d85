using Heurist.Contracts.LocalChain;

namespace Heurist.Portal.Server.Tests.Features.Studio;

/// <summary>Real worker processes serving the tiny models, against a portal test's database.</summary>
internal static class WorkerProcesses
{
    public static ChildProcess Start(string connectionString, string minerId, string modelsFolder, string model, int abandonedJobSeconds = 300)
        => ChildProcess.StartDotnet("worker", RepositoryPaths.BuiltAssembly("Inference.Worker"), [], new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = connectionString,
            ["Worker__MinerId"] = minerId,
            ["Worker__RewardAddress"] = AnvilAccounts.Address(1),
            ["Worker__ModelsPath"] = modelsFolder,
            ["Worker__Models__0"] = model,
            ["Worker__HeartbeatSeconds"] = "1",
            ["Worker__CpuThreads"] = "1",
            ["Worker__AbandonedJobSeconds"] = abandonedJobSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, echo: false);
}
