namespace Heurist.Portal.Server.Tests.Features.Studio;

/// <summary>Real worker processes serving the tiny models, against a portal test's database.</summary>
internal static class WorkerProcesses
{
    public static ChildProcess Start(string connectionString, string minerId, string modelsFolder, string model, int abandonedJobSeconds = 300)
        => ChildProcess.StartDotnet("worker", RepositoryPaths.BuiltAssembly("Inference.Worker"), [], new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = connectionString,
            ["Worker__MinerId"] = minerId,
            ["Worker__RewardAddress"] = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
            ["Worker__ModelsPath"] = modelsFolder,
            ["Worker__Models__0"] = model,
            ["Worker__HeartbeatSeconds"] = "1",
            ["Worker__CpuThreads"] = "1",
            ["Worker__AbandonedJobSeconds"] = abandonedJobSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, echo: false);
}
