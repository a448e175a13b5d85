using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Heurist.Protocol.Api.Provenance;

/// <summary>
/// Everything needed to re-run an image to the same bytes: the model and the sha256 of the files that shape its output,
/// the recipe, the environment it ran in, and the PNG's sha256. Stored in the image's metadata JSON under
/// <see cref="MetadataProperty"/>, and carried by the NFT's metadata.
/// </summary>
public sealed record ImageProvenance(
    [property: JsonPropertyOrder(-2)] string ModelId,
    IReadOnlyDictionary<string, string> ModelFiles,
    string Prompt,
    string NegativePrompt,
    long Seed,
    string Scheduler,
    int Steps,
    double Guidance,
    int Width,
    int Height,
    string WorkerVersion,
    string OnnxRuntimeVersion,
    string ExecutionProvider,
    int CpuThreads,
    string PngSha256)
{
    /// <summary>The key of the provenance object in an image's metadata JSON.</summary>
    public const string MetadataProperty = "provenance";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // Prompts stay readable ("é", "<", "'") instead of becoming \u escapes; the JSON is data, never HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        // A provenance that lacks a field cannot be re-run: refuse it when read, naming the field.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>Model file path → sha256 (lowercase hex), in ordinal order of the path whatever order it was given in.</summary>
    [JsonPropertyOrder(-1)]
    public IReadOnlyDictionary<string, string> ModelFiles { get; init; } = Sorted(ModelFiles);

    /// <summary>
    /// The provenance as JSON: camelCase, the members in declaration order and the files sorted by path, so that the
    /// same provenance always gives the same bytes.
    /// </summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The provenance as a JSON node, to put into a larger metadata object.</summary>
    public JsonNode ToJsonNode() => JsonNode.Parse(ToJson())!;

    /// <summary>Reads a provenance object written by <see cref="ToJson"/>; throws <see cref="JsonException"/> when it is not one.</summary>
    public static ImageProvenance FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        return FromElement(document.RootElement);
    }

    /// <summary>
    /// The provenance in a metadata document: the object under <see cref="MetadataProperty"/> (an image's metadata, or an
    /// NFT's), or the document itself when it is a bare provenance object. Null when it has none.
    /// Throws <see cref="JsonException"/> when the JSON is malformed or its provenance incomplete.
    /// </summary>
    public static ImageProvenance? FromMetadata(string metadataJson)
    {
        ArgumentNullException.ThrowIfNull(metadataJson);
        using var document = JsonDocument.Parse(metadataJson);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (root.TryGetProperty(MetadataProperty, out var nested))
        {
            return nested.ValueKind == JsonValueKind.Object ? FromElement(nested) : null;
        }
        return root.TryGetProperty("pngSha256", out _) ? FromElement(root) : null;
    }

    private static ImageProvenance FromElement(JsonElement element)
        => element.Deserialize<ImageProvenance>(Json) ?? throw new JsonException("The provenance is null.");

    /// <summary>
    /// How the environment of <paramref name="actual"/> differs from this one's, as "field: expected → actual" lines
    /// (ONNX Runtime version, execution provider, CPU threads, worker version); empty when they ran alike.
    /// </summary>
    public IReadOnlyList<string> EnvironmentDifferences(ImageProvenance actual)
    {
        ArgumentNullException.ThrowIfNull(actual);
        var differences = new List<string>();
        Compare("onnxRuntimeVersion", OnnxRuntimeVersion, actual.OnnxRuntimeVersion);
        Compare("executionProvider", ExecutionProvider, actual.ExecutionProvider);
        Compare("cpuThreads", CpuThreads.ToString(CultureInfo.InvariantCulture), actual.CpuThreads.ToString(CultureInfo.InvariantCulture));
        Compare("workerVersion", WorkerVersion, actual.WorkerVersion);
        return differences;

        void Compare(string field, string expected, string found)
        {
            if (!string.Equals(expected, found, StringComparison.Ordinal))
            {
                differences.Add($"{field}: {expected} → {found}");
            }
        }
    }

    /// <summary>
    /// How model files found elsewhere differ from the recorded ones, one "path: …" line per file that is missing,
    /// changed or additional (among the files <see cref="ModelFileSelection"/> records); empty when they are the same.
    /// </summary>
    public IReadOnlyList<string> ModelFileDifferences(IReadOnlyDictionary<string, string> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        var selected = ModelFileSelection.Select(found);
        var differences = new List<string>();
        foreach (var (path, sha256) in ModelFiles)
        {
            if (!selected.TryGetValue(path, out var other))
            {
                differences.Add($"{path}: missing");
            }
            else if (!string.Equals(sha256, other, StringComparison.Ordinal))
            {
                differences.Add($"{path}: {sha256} → {other}");
            }
        }
        differences.AddRange(selected.Keys.Where(path => !ModelFiles.ContainsKey(path)).Select(path => $"{path}: not recorded"));
        return differences;
    }

    private static SortedDictionary<string, string> Sorted(IReadOnlyDictionary<string, string>? files)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, sha256) in files ?? new Dictionary<string, string>())
        {
            sorted[path] = sha256;
        }
        return sorted;
    }
}

/// <summary>Which files of a model folder shape its output, and so are recorded in a provenance.</summary>
public static class ModelFileSelection
{
    /// <summary>
    /// Every file of a graph's folder (one holding a model.onnx: the graph, its external weights and its config, which
    /// holds the VAE's scaling factor), and of the tokenizer and scheduler folders. Files at the top (model_index.json,
    /// a README, the demo marker) change nothing in the pixels, and leaving them out lets two copies of a model match.
    /// </summary>
    public static SortedDictionary<string, string> Select(IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var graphFolders = files.Keys
            .Where(path => path.EndsWith("/model.onnx", StringComparison.Ordinal) && path.Count(c => c == '/') == 1)
            .Select(path => path[..path.IndexOf('/', StringComparison.Ordinal)])
            .ToHashSet(StringComparer.Ordinal);
        var selected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, sha256) in files)
        {
            var slash = path.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0)
            {
                continue;
            }
            var folder = path[..slash];
            if (graphFolders.Contains(folder) || folder.StartsWith("tokenizer", StringComparison.Ordinal) || folder == "scheduler")
            {
                selected[path] = sha256;
            }
        }
        return selected;
    }
}
