using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Heurist.Testing;

namespace Heurist.Inference.Worker.Tests.Diffusion;

/// <summary>The JSON that the Python scripts in reference/ printed, copied beside the test assembly.</summary>
public static class ReferenceData
{
    public static JsonObject Load(string name)
        => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Diffusion", "reference", name)))!;

    public static double[] Doubles(this JsonNode? node) => ((JsonArray)node!).Select(n => n!.GetValue<double>()).ToArray();

    public static float[] Floats(this JsonNode? node) => ((JsonArray)node!).Select(n => (float)n!.GetValue<double>()).ToArray();

    public static uint Hex32(this JsonNode? node) => uint.Parse(node!.GetValue<string>(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static ulong Hex64(this JsonNode? node) => ulong.Parse(node!.GetValue<string>(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>Runs reference/&lt;script&gt; with python3 and returns what it printed, or null when python3 is absent.</summary>
    public static async Task<string?> RunScriptAsync(string script, CancellationToken ct)
    {
        var python = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "python3"))
            .FirstOrDefault(File.Exists);
        if (python is null)
        {
            return null;
        }
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "Inference.Worker.Tests", "Diffusion", "reference");
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(Path.Combine(folder, script));
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.True(process.ExitCode == 0, $"{script} failed with exit code {process.ExitCode}: {await stderr}");
        return await stdout;
    }

    public static string Committed(string name)
        => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "tests", "Inference.Worker.Tests", "Diffusion", "reference", name));
}

[Integration]
public sealed class ReferenceScriptTests
{
    [Theory]
    [InlineData("noise.py", "noise.json")]
    [InlineData("schedulers.py", "schedulers.json")]
    public async Task Running_the_reference_script_again_reproduces_the_committed_json(string script, string json)
    {
        var output = await ReferenceData.RunScriptAsync(script, TestContext.Current.CancellationToken);
        if (output is null)
        {
            Assert.Skip($"python3 is not on PATH, so {script} cannot be re-run here; install Python 3 to check {json}.");
        }
        Assert.Equal(ReferenceData.Committed(json).TrimEnd(), output.TrimEnd());
    }
}
