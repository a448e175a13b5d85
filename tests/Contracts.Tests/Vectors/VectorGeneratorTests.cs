using System.Diagnostics;

namespace Heurist.Contracts.Tests.Vectors;

public sealed class VectorGeneratorTests
{
    [Fact]
    public async Task Running_the_generator_again_reproduces_the_committed_vectors()
    {
        var ct = TestContext.Current.CancellationToken;
        var node = FindOnPath("node");
        if (node is null)
        {
            Assert.Skip("node is not on PATH, so the vectors cannot be regenerated here; install Node 20 to run this check.");
        }
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "Contracts.Tests", "Vectors");
        var output = Path.Combine(Path.GetTempPath(), $"heurist-vectors-{Guid.NewGuid():N}.json");
        try
        {
            var start = new ProcessStartInfo(node) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(folder, "generate-vectors.mjs"));
            start.ArgumentList.Add(output);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync(ct);
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);

            Assert.True(process.ExitCode == 0, $"the generator failed with exit code {process.ExitCode}: {await stdout}{await stderr}");
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(folder, "vectors.json"), ct), await File.ReadAllTextAsync(output, ct));
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static string? FindOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
}
