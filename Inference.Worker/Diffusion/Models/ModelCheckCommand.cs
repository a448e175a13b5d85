using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Schedulers;
using Heurist.Inference.Worker.Diffusion.Tokenizers;
using Heurist.Protocol.Models;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Heurist.Inference.Worker.Diffusion.Models;

/// <summary>
/// <c>models check &lt;folder&gt;</c>: checks one model folder, or each model folder in a folder of them, against what
/// the pipelines bind (<see cref="ModelInterfaces"/>), reading the graphs' declarations without loading their weights.
/// It prints the files with their sizes and sha256, every graph input and output next to what the pipeline binds, the
/// tokenizers and the scheduler, and one verdict line per model. Exit codes: 0 every model OK, 1 one fails, 2 cannot check.
/// </summary>
public static class ModelCheckCommand
{
    public const int Ok = 0;
    public const int Fails = 1;
    public const int CannotCheck = 2;

    private const string Usage = "usage: models check <folder>   (a model folder, or a folder holding model folders)";

    public static int Run(IReadOnlyList<string> args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args is not ["check", var folderArgument])
        {
            output.WriteLine($"cannot check: expected 'models check <folder>'\n{Usage}");
            return CannotCheck;
        }
        var folder = Path.GetFullPath(folderArgument);
        List<string> models;
        try
        {
            if (!Directory.Exists(folder))
            {
                output.WriteLine($"cannot check: there is no folder at {folder}");
                return CannotCheck;
            }
            models = IsModelFolder(folder)
                ? [folder]
                : [.. Directory.EnumerateDirectories(folder).Where(IsModelFolder).Order(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"cannot check: {folder} cannot be read ({ex.Message})");
            return CannotCheck;
        }
        if (models.Count == 0)
        {
            output.WriteLine($"cannot check: {folder} is not a model folder (no model_index.json, heurist-model.json, unet/ or transformer/) and holds none");
            return CannotCheck;
        }

        var allOk = true;
        foreach (var model in models)
        {
            allOk &= Check(model, output);
        }
        return allOk ? Ok : Fails;
    }

    private static bool IsModelFolder(string path)
        => File.Exists(Path.Combine(path, "model_index.json")) || File.Exists(Path.Combine(path, "heurist-model.json"))
            || Directory.Exists(Path.Combine(path, "unet")) || Directory.Exists(Path.Combine(path, "transformer"));

    /// <summary>Prints the report of one model folder and returns whether it is OK.</summary>
    private static bool Check(string path, TextWriter output)
    {
        var name = Path.GetFileName(path);
        var problems = new List<string>();
        output.WriteLine($"{name}  {path}");

        var (pipeline, how) = DetectPipeline(path, problems);
        output.WriteLine($"  pipeline  {pipeline} ({how})");

        IReadOnlyList<string> files;
        try
        {
            files = [.. Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(path, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"{name}: FAILS — the folder cannot be read ({ex.Message}).");
            return false;
        }
        PrintFiles(path, files, output, problems);

        var precisions = new SortedSet<string>(StringComparer.Ordinal);
        var checkedGraphs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var graph in ModelInterfaces.Graphs(pipeline))
        {
            foreach (var file in new[] { "model.onnx", "model.fp16.onnx" })
            {
                var relative = $"{graph.Component}/{file}";
                if (!File.Exists(Path.Combine(path, relative)))
                {
                    // model.fp16.onnx is optional: the pipelines take it on CUDA when it is there.
                    if (file == "model.onnx")
                    {
                        output.WriteLine($"  {relative}  ✗ missing");
                        problems.Add($"{relative} is missing.");
                    }
                    continue;
                }
                checkedGraphs.Add(relative);
                if (CheckGraph(path, graph, file, output, problems) is { } precision)
                {
                    precisions.Add(precision);
                }
            }
        }
        foreach (var unused in files.Where(f => f.EndsWith(".onnx", StringComparison.Ordinal) && !checkedGraphs.Contains(f)))
        {
            output.WriteLine($"  {unused}  not used by the {pipeline} pipeline");
        }

        CheckTokenizers(path, pipeline, output, problems);
        CheckScheduler(path, output, problems);

        output.WriteLine(problems.Count == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{name}: OK ({string.Join("+", precisions)}, {checkedGraphs.Count} graphs)")
            : $"{name}: FAILS — {string.Join(" ", problems)}");
        return problems.Count == 0;
    }

    /// <summary>The same rule as <see cref="ModelFolder"/>: heurist-model.json's pipeline, else the components present.</summary>
    private static (PipelineKind Pipeline, string How) DetectPipeline(string path, List<string> problems)
    {
        var marker = Path.Combine(path, "heurist-model.json");
        if (File.Exists(marker))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(marker));
                var root = document.RootElement;
                var demo = root.TryGetProperty("demo", out var demoValue) && demoValue.ValueKind == JsonValueKind.True ? ", a demo model" : "";
                if (root.TryGetProperty("pipeline", out var value) && value.ValueKind == JsonValueKind.String
                    && Enum.TryParse<PipelineKind>(value.GetString(), out var declared))
                {
                    return (declared, $"heurist-model.json{demo}");
                }
            }
            catch (JsonException ex)
            {
                problems.Add($"heurist-model.json is not valid JSON ({ex.Message}).");
            }
        }
        var exporter = ModelIndexClass(path) is { } className ? $"; model_index.json says {className}" : "";
        if (Directory.Exists(Path.Combine(path, "transformer")))
        {
            return (PipelineKind.Flux, $"it has transformer/{exporter}");
        }
        return Directory.Exists(Path.Combine(path, "text_encoder_2"))
            ? (PipelineKind.StableDiffusionXl, $"it has text_encoder_2/{exporter}")
            : (PipelineKind.StableDiffusion15, $"it has neither transformer/ nor text_encoder_2/{exporter}");
    }

    /// <summary>The exporter's pipeline class in model_index.json, shown beside the detected pipeline; the worker does not read it.</summary>
    private static string? ModelIndexClass(string path)
    {
        var index = Path.Combine(path, "model_index.json");
        if (!File.Exists(index))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(index));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("_class_name", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void PrintFiles(string path, IReadOnlyList<string> files, TextWriter output, List<string> problems)
    {
        output.WriteLine("  files");
        var width = files.Max(f => f.Length);
        foreach (var file in files)
        {
            try
            {
                using var stream = File.OpenRead(Path.Combine(path, file));
                var size = FormatSize(stream.Length);
                var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
                output.WriteLine($"    {file.PadRight(width)}  {size,10}  {hash}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                output.WriteLine($"    {file.PadRight(width)}  ✗ cannot be read ({ex.Message})");
                problems.Add($"{file} cannot be read ({ex.Message}).");
            }
        }
    }

    private static string FormatSize(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        < 1024 * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.00} GiB"),
    };

    /// <summary>Prints one graph's inputs and outputs against what the pipeline binds; returns its precision, or null when unreadable.</summary>
    private static string? CheckGraph(string path, GraphInterface graph, string file, TextWriter output, List<string> problems)
    {
        var relative = $"{graph.Component}/{file}";
        OnnxGraphHeader header;
        try
        {
            header = OnnxGraphHeader.Read(Path.Combine(path, relative));
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"  {relative}  ✗ cannot be read: {ex.Message}");
            problems.Add($"{relative} cannot be read as an ONNX graph: {ex.Message}.");
            return null;
        }
        var precision = Precision(header);
        output.WriteLine($"  {relative}  {precision}");

        var inputNames = header.Inputs.Select(i => i.Name).ToList();
        var outputNames = header.Outputs.Select(o => o.Name).ToList();
        var outputs = new List<TensorBinding>(graph.Outputs);
        var graphProblems = new List<string>();
        if (graph.PenultimateHiddenState is { } hiddenState)
        {
            try
            {
                outputs.Insert(0, hiddenState with { Name = ModelInterfaces.PenultimateHiddenStateName(graph.Component, file, outputNames) });
            }
            catch (ModelInterfaceException ex)
            {
                graphProblems.Add(ex.Message);
            }
        }
        if (ModelGraph.MissingNamesMessage(graph.Component, file, inputNames, outputNames, graph.InputNames, outputs.Select(o => o.Name)) is { } missing)
        {
            graphProblems.Add(missing);
        }

        var rows = new List<string[]>();
        foreach (var input in header.Inputs)
        {
            var binding = graph.Inputs.FirstOrDefault(b => b.Name == input.Name);
            rows.Add(["in", input.Name, TypeOf(input), input.Shape, binding switch
            {
                null when header.Reads(input.Name) => Fail(graphProblems, "no value from the pipeline",
                    $"{relative} input '{input.Name}' gets no value from the pipeline, and ONNX Runtime will not run without it."),
                null => "· not fed, and no node reads it",
                _ => Compare(relative, "input", input, binding, "feeds", graphProblems),
            }]);
        }
        rows.AddRange(graph.Inputs.Where(b => !inputNames.Contains(b.Name)).Select(b => new[] { "in", b.Name, "—", "—", $"✗ missing (the pipeline feeds {b.Describe()})" }));
        foreach (var tensor in header.Outputs)
        {
            var binding = outputs.FirstOrDefault(b => b.Name == tensor.Name);
            rows.Add(["out", tensor.Name, TypeOf(tensor), tensor.Shape, binding is null
                ? "· not read"
                : Compare(relative, "output", tensor, binding, "reads", graphProblems)]);
        }
        rows.AddRange(outputs.Where(b => !outputNames.Contains(b.Name)).Select(b => new[] { "out", b.Name, "—", "—", $"✗ missing (the pipeline reads {b.Describe()})" }));
        PrintTable(rows, output);

        foreach (var location in header.ExternalDataFiles)
        {
            var data = $"{graph.Component}/{location}";
            if (File.Exists(Path.Combine(path, graph.Component, location)))
            {
                output.WriteLine($"    weights in {data}  ✓");
            }
            else
            {
                output.WriteLine($"    weights in {data}  ✗ missing");
                graphProblems.Add($"{relative} keeps its weights in {data}, which is missing.");
            }
        }
        problems.AddRange(graphProblems);
        return precision;
    }

    private static string Fail(List<string> problems, string cell, string problem)
    {
        problems.Add(problem);
        return $"✗ {cell}";
    }

    /// <summary>The check of one bound tensor's element type and rank, as a table cell; a mismatch is added to <paramref name="problems"/>.</summary>
    private static string Compare(string relative, string direction, OnnxTensorInfo tensor, TensorBinding binding, string verb, List<string> problems)
    {
        if (!tensor.IsTensor)
        {
            return Fail(problems, "not a tensor", $"{relative} {direction} '{tensor.Name}' is not a tensor; the pipeline {verb} a {binding.Describe()} tensor.");
        }
        if (!binding.ElementTypes.Contains(tensor.ElementType))
        {
            var expected = binding.TypeNames();
            return Fail(problems, $"the pipeline {verb} {expected}",
                $"{relative} {direction} '{tensor.Name}' is {ModelInterfaces.TypeName(tensor.ElementType)}; the pipeline {verb} {expected}.");
        }
        if (binding.Rank is { } rank && tensor.Dimensions is { } dimensions && dimensions.Count != rank)
        {
            return Fail(problems, string.Create(CultureInfo.InvariantCulture, $"the pipeline {verb} {rank}"),
                string.Create(CultureInfo.InvariantCulture, $"{relative} {direction} '{tensor.Name}' has {dimensions.Count} dimensions {tensor.Shape}; the pipeline {verb} {rank}."));
        }
        return $"✓ {binding.Describe()}";
    }

    private static string TypeOf(OnnxTensorInfo tensor) => tensor.IsTensor ? ModelInterfaces.TypeName(tensor.ElementType) : "not a tensor";

    /// <summary>fp16 when the graph's float inputs are float16 (its float outputs, for a graph that takes only ids).</summary>
    private static string Precision(OnnxGraphHeader header)
    {
        static bool IsFloat(OnnxTensorInfo t) => t.IsTensor && t.ElementType is TensorElementType.Float or TensorElementType.Float16 or TensorElementType.BFloat16;
        var first = header.Inputs.FirstOrDefault(IsFloat) ?? header.Outputs.FirstOrDefault(IsFloat);
        return first?.ElementType switch
        {
            TensorElementType.Float16 => "fp16",
            TensorElementType.BFloat16 => "bf16",
            _ => "fp32",
        };
    }

    private static void PrintTable(List<string[]> rows, TextWriter output)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var widths = Enumerable.Range(0, 4).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
        {
            output.WriteLine($"    {row[0].PadRight(widths[0])}  {row[1].PadRight(widths[1])}  {row[2].PadRight(widths[2])}  {row[3].PadRight(widths[3])}  {row[4]}");
        }
    }

    private static void CheckTokenizers(string path, PipelineKind pipeline, TextWriter output, List<string> problems)
    {
        foreach (var tokenizer in ModelInterfaces.Tokenizers(pipeline))
        {
            var folder = Path.Combine(path, tokenizer.Folder);
            try
            {
                var maxLength = tokenizer.Kind == TokenizerKind.Clip ? ClipTokenizer.Load(folder).MaxLength : T5Tokenizer.Load(folder).MaxLength;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {tokenizer.Folder}/  ✓ {tokenizer.Kind} tokenizer, {maxLength} tokens"));
            }
            catch (Exception ex) when (ex is TokenizerFileException or IOException or UnauthorizedAccessException)
            {
                var message = ex.Message.Replace(path + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);
                output.WriteLine($"  {tokenizer.Folder}/  ✗ {message}");
                problems.Add(message.EndsWith('.') ? message : $"{message}.");
            }
        }
    }

    private static void CheckScheduler(string path, TextWriter output, List<string> problems)
    {
        const string relative = "scheduler/scheduler_config.json";
        var file = Path.Combine(path, "scheduler", "scheduler_config.json");
        if (!File.Exists(file))
        {
            output.WriteLine($"  {relative}  ✗ missing");
            problems.Add($"{relative} is missing.");
            return;
        }
        try
        {
            var config = SchedulerConfig.Load(file);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {relative}  ✓ {config.ClassName ?? "no _class_name"}, {config.NumTrainTimesteps} training steps"));
        }
        catch (Exception ex) when (ex is JsonException or SchedulerSettingException or IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"  {relative}  ✗ {ex.Message}");
            problems.Add($"{relative}: {ex.Message}");
        }
    }
}
