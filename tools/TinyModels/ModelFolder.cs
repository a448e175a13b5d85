using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Heurist.TinyModels;

/// <summary>
/// Writes the files of one model folder and remembers what it wrote. Text is UTF-8 without a BOM with
/// '\n' line ends on every platform, so the bytes depend on nothing but the content.
/// </summary>
public sealed class ModelFolder
{
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        // Tokens such as "Ġ" or "▁" stay readable instead of becoming \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly List<string> _written = [];

    public ModelFolder(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The folder's absolute path.</summary>
    public string Path { get; }

    /// <summary>Absolute paths of the files written so far, in order.</summary>
    public IReadOnlyList<string> Written => _written;

    public void WriteBytes(string relativePath, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        _written.Add(path);
    }

    public void WriteText(string relativePath, string text)
        => WriteBytes(relativePath, Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n")));

    public void WriteJson(string relativePath, Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            write(writer);
        }
        buffer.WriteByte((byte)'\n');
        WriteBytes(relativePath, buffer.ToArray());
    }

    public void WriteJson(string relativePath, JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        WriteJson(relativePath, writer => node.WriteTo(writer));
    }

    /// <summary>An ONNX model; protobuf serialization of a message without maps is deterministic.</summary>
    public void WriteModel(string relativePath, Onnx.ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        WriteBytes(relativePath, model.ToByteArray());
    }
}
