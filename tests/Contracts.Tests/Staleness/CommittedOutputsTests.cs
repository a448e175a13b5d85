using System.Diagnostics;
using Heurist.BindingsGenerator;

namespace Heurist.Contracts.Tests.Staleness;

/// <summary>The compiled artifacts and the bindings generated from them are committed; these tests fail when either is stale.</summary>
public sealed class CommittedOutputsTests
{
    [Fact]
    public async Task The_committed_artifacts_are_what_the_solidity_sources_compile_to()
    {
        var ct = TestContext.Current.CancellationToken;
        var node = FindOnPath("node");
        if (node is null)
        {
            Assert.Skip("node is not on PATH, so the contracts cannot be compiled here; install Node 20 to run this check.");
        }
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = RepositoryPaths.Contracts,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine("scripts", "build.mjs"));
        start.ArgumentList.Add("--check");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);

        Assert.True(process.ExitCode == 0,
            $"Contracts/artifacts is stale (node scripts/build.mjs --check exited with {process.ExitCode}); run 'npm run build' in Contracts and commit the artifacts:\n{await stdout}{await stderr}");
    }

    [Fact]
    public void The_committed_bindings_are_what_the_generator_writes_from_the_artifacts()
    {
        var files = BindingWriter.Generate(Path.Combine(RepositoryPaths.Contracts, "artifacts"));

        var stale = BindingWriter.StaleFiles(files, Path.Combine(RepositoryPaths.Contracts, "Bindings", "Generated"));

        Assert.True(stale.Count == 0,
            $"stale bindings in Contracts/Bindings/Generated: {string.Join(", ", stale)}; run 'dotnet run --project tools/BindingsGenerator' and commit them.");
        Assert.Contains("MinerStakingContract.g.cs", files.Keys);
    }

    private static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
