using Heurist.AppHost;
using Heurist.Testing;
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

    /// <summary>Waits until <paramref name="condition"/> holds, failing with the workers' output if one dies or time runs out.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, IReadOnlyList<ChildProcess> workers, TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            foreach (var worker in workers.Where(w => w.HasExited))
            {
                Assert.Fail($"A worker exited with code {worker.ExitCode}: {worker.RecentOutput}");
            }
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {limit.TotalSeconds:0} s. Worker output: {string.Join(Environment.NewLine, workers.Select(w => w.RecentOutput))}");
            await Task.Delay(50, ct);
        }
    }
}
