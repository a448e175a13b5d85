using Heurist.TinyModels;

// dotnet run --project tools/TinyModels -- <folder> [--seed N]
// Writes <folder>/sd15, <folder>/sdxl and <folder>/flux-dev: tiny random-weight models with the graph
// interface of the real ONNX exports, for tests and the labelled demo default.
if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
{
    Console.Error.WriteLine("usage: dotnet run --project tools/TinyModels -- <folder> [--seed N]");
    return 2;
}
var folder = Path.GetFullPath(args[0]);
var seed = 1;
var seedAt = Array.IndexOf(args, "--seed");
if (seedAt >= 0 && (seedAt + 1 >= args.Length || !int.TryParse(args[seedAt + 1], System.Globalization.CultureInfo.InvariantCulture, out seed)))
{
    Console.Error.WriteLine("error: --seed needs an integer");
    return 2;
}

var written = TinyModelWriter.WriteAll(folder, seed);
foreach (var file in written)
{
    Console.WriteLine($"{new FileInfo(file).Length,10:N0}  {Path.GetRelativePath(folder, file)}");
}
Console.WriteLine($"Wrote {written.Count} files to {folder} (seed {seed}).");
return 0;
