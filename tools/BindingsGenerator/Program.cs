using Heurist.BindingsGenerator;

// dotnet run --project tools/BindingsGenerator [-- --check]
// Regenerates Contracts/Bindings/Generated from Contracts/artifacts; --check only reports stale files.
var root = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? FindRoot();
var check = args.Contains("--check");
var artifacts = Path.Combine(root, "Contracts", "artifacts");
var output = Path.Combine(root, "Contracts", "Bindings", "Generated");

var files = BindingWriter.Generate(artifacts);
var stale = BindingWriter.StaleFiles(files, output);
if (check)
{
    foreach (var file in stale)
    {
        Console.Error.WriteLine($"stale: Contracts/Bindings/Generated/{file}");
    }
    return stale.Count == 0 ? 0 : 1;
}
BindingWriter.Write(files, output);
Console.WriteLine($"Wrote {files.Count} files to {output} ({stale.Count} changed).");
return 0;

static string FindRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "HeuristPortal.sln")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("Run from inside the repository, or pass its path.");
}
