using Heurist.TinyModels;

// dotnet run --project tools/TinyModels -- <folder> [--seed N] [--fp16]
// Writes <folder>/sd15, <folder>/sdxl and <folder>/flux-dev: tiny random-weight models with the graph
// interface of the real ONNX exports, for tests and the labelled demo default. --fp16 writes them with the
// float16 inputs, outputs and weights of an Optimum --dtype fp16 export.
const string Usage = "usage: dotnet run --project tools/TinyModels -- <folder> [--seed N] [--fp16]";
if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
{
    Console.Error.WriteLine(Usage);
    return 2;
}
var folder = Path.GetFullPath(args[0]);
var seed = 1;
var precision = TinyPrecision.Fp32;
for (var i = 1; i < args.Length; i++)
{
    if (args[i] == "--seed" && i + 1 < args.Length && int.TryParse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture, out seed))
    {
        i++;
    }
    else if (args[i] == "--seed")
    {
        Console.Error.WriteLine("error: --seed needs an integer");
        return 2;
    }
    else if (args[i] == "--fp16")
    {
        precision = TinyPrecision.Fp16;
    }
    else
    {
        Console.Error.WriteLine($"error: unknown argument '{args[i]}'");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}

var written = TinyModelWriter.WriteAll(folder, seed, precision);
foreach (var file in written)
{
    Console.WriteLine($"{new FileInfo(file).Length,10:N0}  {Path.GetRelativePath(folder, file)}");
}
var label = precision == TinyPrecision.Fp16 ? ", float16" : "";
Console.WriteLine($"Wrote {written.Count} files to {folder} (seed {seed}{label}).");
return 0;
