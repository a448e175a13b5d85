namespace Heurist.Testing;

/// <summary>Where things are in the repository, found from the test's own output folder.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests were built in (Debug or Release), taken from bin/&lt;Configuration&gt;/net10.0.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";

    public static string Contracts => Path.Combine(Root, "Contracts");

    /// <summary>The built dll of a host project, in the same configuration as the tests.</summary>
    public static string BuiltAssembly(string project)
        => Path.Combine(Root, project, "bin", Configuration, "net10.0", project + ".dll");

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
        throw new InvalidOperationException($"No HeuristPortal.sln above {AppContext.BaseDirectory}.");
    }
}
