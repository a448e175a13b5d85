namespace Heurist.LocalRunner;

/// <summary>Where things are in the repository, found from the running program's own output folder.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> FoundRoot = new(FindRoot);

    /// <summary>The folder holding HeuristPortal.sln. Throws <see cref="LocalSetupException"/> outside a clone.</summary>
    public static string Root => FoundRoot.Value;

    /// <summary>The build configuration of the running program (Debug or Release), taken from bin/&lt;Configuration&gt;/net10.0.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";

    public static string Contracts => Path.Combine(Root, "Contracts");

    /// <summary>The npm folder of the local ERC-4337 bundler (Alto).</summary>
    public static string Bundler => Path.Combine(Root, "Bundler");

    /// <summary>The built dll of a host project, in <paramref name="configuration"/> or else the running program's own.</summary>
    public static string BuiltAssembly(string project, string? configuration = null, string outputFolder = "bin")
        => Path.Combine(Root, project, outputFolder, configuration ?? Configuration, "net10.0", project + ".dll");

    /// <summary>A folder for what a test run leaves for people to look at: screenshots, logs.</summary>
    public static string Artifacts(string kind)
    {
        var folder = Path.Combine(Root, "artifacts", kind);
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "HeuristPortal.sln")))
            {
                return directory.FullName;
            }
        }
        throw new LocalSetupException("repository", $"no HeuristPortal.sln above {AppContext.BaseDirectory}; run ./run.sh from a clone of the repository");
    }
}
