using System.Text.RegularExpressions;
using System.Xml.Linq;
using Heurist.LocalRunner;

namespace Heurist.Architecture.Tests;

/// <summary>The solution's projects and sources as files on disk: project references, and the namespaces each source file names.</summary>
internal static partial class SourceTree
{
    /// <summary>The projects a project references directly, as paths relative to the repository (e.g. "Portal.Data/Portal.Data.csproj").</summary>
    public static IReadOnlyList<string> DirectReferences(string project)
    {
        var path = Path.Combine(RepositoryPaths.Root, project);
        var folder = Path.GetDirectoryName(path)!;
        return [.. XDocument.Load(path).Descendants("ProjectReference")
            .Select(reference => reference.Attribute("Include")!.Value.Replace('\\', '/'))
            .Select(include => Path.GetRelativePath(RepositoryPaths.Root, Path.GetFullPath(Path.Combine(folder, include))).Replace('\\', '/'))];
    }

    /// <summary>Every project reachable from a project through project references, itself excluded.</summary>
    public static IReadOnlySet<string> AllReferences(string project)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(DirectReferences(project));
        while (pending.TryPop(out var next))
        {
            if (found.Add(next))
            {
                foreach (var reference in DirectReferences(next))
                {
                    pending.Push(reference);
                }
            }
        }
        return found;
    }

    /// <summary>The build's output folders: the CPU build's, and the CUDA worker's (Directory.Build.props).</summary>
    private static readonly string[] BuildOutputs = ["bin", "obj", "bin-gpu", "obj-gpu"];

    /// <summary>The C# and Razor sources under a folder of the repository, build outputs left out.</summary>
    public static IEnumerable<string> Sources(string folder)
        => Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, folder), "*.*", SearchOption.AllDirectories)
            .Where(file => file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".razor", StringComparison.Ordinal))
            .Where(file => !BuildOutputs.Any(output => file.Contains($"{Path.DirectorySeparatorChar}{output}{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
            .Select(file => Path.GetRelativePath(RepositoryPaths.Root, file).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// The places in the sources under <paramref name="folder"/> that name <paramref name="namespacePrefix"/>: a using
    /// directive (C# or Razor) or a qualified name in code, as "path:line: text".
    /// </summary>
    public static IReadOnlyList<string> Mentions(string folder, string namespacePrefix)
    {
        var pattern = new Regex($@"(?<![\w.]){Regex.Escape(namespacePrefix)}(?![\w])", RegexOptions.CultureInvariant);
        var mentions = new List<string>();
        foreach (var file in Sources(folder))
        {
            var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, file));
            for (var i = 0; i < lines.Length; i++)
            {
                var code = CommentPattern().Replace(lines[i], "");
                if (pattern.IsMatch(code))
                {
                    mentions.Add($"{file}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }
        return mentions;
    }

    // Line comments and XML docs may name anything; only code counts.
    [GeneratedRegex(@"//.*$")]
    private static partial Regex CommentPattern();
}
