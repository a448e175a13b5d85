using System.Globalization;
using System.Text;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Heurist.Inference.Worker.Diffusion.Models;

/// <summary>
/// A graph input or output as the file declares it. A dimension is its size, its symbolic name, or "?"; no dimensions
/// at all (null) when the graph leaves the shape undeclared, which is not the same as a scalar's empty shape.
/// </summary>
public sealed record OnnxTensorInfo(string Name, TensorElementType ElementType, IReadOnlyList<string>? Dimensions)
{
    /// <summary>True when the value is not a tensor (a sequence, a map…), which no pipeline binds.</summary>
    public bool IsTensor { get; init; } = true;

    public string Shape => Dimensions is null ? "[shape not declared]" : $"[{string.Join(", ", Dimensions)}]";
}

/// <summary>
/// The inputs and outputs of an ONNX graph and the external weight files it names, read from the file's protobuf
/// without loading it: the reader walks ModelProto → GraphProto and seeks past every node and every tensor's data, so
/// a graph of many gigabytes costs a few reads. Field numbers are those of onnx.proto.
/// </summary>
public sealed class OnnxGraphHeader
{
    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    // A name or a shape longer than this is not an interface declaration: the file is not what it claims.
    private const long MaxDeclarationBytes = 1 << 20;

    private OnnxGraphHeader(IReadOnlyList<OnnxTensorInfo> inputs, IReadOnlyList<OnnxTensorInfo> outputs, IReadOnlyList<string> externalDataFiles, IReadOnlySet<string> nodeInputs)
    {
        Inputs = inputs;
        Outputs = outputs;
        ExternalDataFiles = externalDataFiles;
        NodeInputs = nodeInputs;
    }

    /// <summary>The inputs a caller feeds, in the graph's order: declared inputs that an initializer also provides are left out, as ONNX Runtime leaves them out.</summary>
    public IReadOnlyList<OnnxTensorInfo> Inputs { get; }

    public IReadOnlyList<OnnxTensorInfo> Outputs { get; }

    /// <summary>The files, relative to the graph's folder, that its initializers keep their data in (external data).</summary>
    public IReadOnlyList<string> ExternalDataFiles { get; }

    /// <summary>
    /// The values the graph's nodes read. ONNX Runtime runs a graph without a value for an input no node reads, so
    /// only an input read here must be fed. Nodes inside subgraphs (If or Loop bodies) are not looked into.
    /// </summary>
    public IReadOnlySet<string> NodeInputs { get; }

    /// <summary>Whether running the graph needs a value for <paramref name="input"/>: a node reads it, or it is an output.</summary>
    public bool Reads(string input) => NodeInputs.Contains(input) || Outputs.Any(o => o.Name == input);

    /// <summary>Reads the header of an .onnx file; <see cref="InvalidDataException"/> when it is not a valid ONNX model.</summary>
    public static OnnxGraphHeader Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 64 * 1024);
        var reader = new ProtoReader(stream);
        var end = stream.Length;
        var sawGraph = false;
        var inputs = new List<OnnxTensorInfo>();
        var outputs = new List<OnnxTensorInfo>();
        var initializers = new HashSet<string>(StringComparer.Ordinal);
        var externalFiles = new SortedSet<string>(StringComparer.Ordinal);
        var nodeInputs = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag();
            // ModelProto.graph
            if (field == 7 && wire == WireLengthDelimited)
            {
                sawGraph = true;
                var graphEnd = reader.ReadEnd(end);
                ReadGraph(reader, graphEnd, new GraphParts(inputs, outputs, initializers, externalFiles, nodeInputs));
            }
            else
            {
                reader.Skip(wire, end);
            }
        }
        if (!sawGraph)
        {
            throw new InvalidDataException("it holds no ONNX graph");
        }
        return new OnnxGraphHeader([.. inputs.Where(i => !initializers.Contains(i.Name))], outputs, [.. externalFiles], nodeInputs);
    }

    private sealed record GraphParts(
        List<OnnxTensorInfo> Inputs, List<OnnxTensorInfo> Outputs, HashSet<string> Initializers, SortedSet<string> ExternalFiles, HashSet<string> NodeInputs);

    /// <summary>GraphProto: node (1), initializer (5), input (11), output (12); everything else is skipped.</summary>
    private static void ReadGraph(ProtoReader reader, long end, GraphParts parts)
    {
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag();
            if (wire != WireLengthDelimited || field is not (1 or 5 or 11 or 12))
            {
                reader.Skip(wire, end);
                continue;
            }
            var itemEnd = reader.ReadEnd(end);
            switch (field)
            {
                case 1:
                    ReadNodeInputs(reader, itemEnd, parts.NodeInputs);
                    break;
                case 5:
                    var (name, location) = ReadInitializer(reader, itemEnd);
                    parts.Initializers.Add(name);
                    if (location is not null)
                    {
                        parts.ExternalFiles.Add(location);
                    }
                    break;
                case 11:
                    parts.Inputs.Add(ReadValueInfo(reader, itemEnd));
                    break;
                default:
                    parts.Outputs.Add(ReadValueInfo(reader, itemEnd));
                    break;
            }
        }
    }

    /// <summary>NodeProto.input (1); its attributes, which may hold constant tensors, are skipped.</summary>
    private static void ReadNodeInputs(ProtoReader reader, long end, HashSet<string> nodeInputs)
    {
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == WireLengthDelimited)
            {
                nodeInputs.Add(reader.ReadString(end));
            }
            else
            {
                reader.Skip(wire, end);
            }
        }
    }

    /// <summary>TensorProto: its name (8) and, with data_location (14) EXTERNAL, the "location" entry of external_data (13).</summary>
    private static (string Name, string? Location) ReadInitializer(ProtoReader reader, long end)
    {
        var name = "";
        string? location = null;
        var external = false;
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 8 && wire == WireLengthDelimited)
            {
                name = reader.ReadString(end);
            }
            else if (field == 14 && wire == WireVarint)
            {
                external = reader.ReadVarint() == 1;
            }
            else if (field == 13 && wire == WireLengthDelimited)
            {
                var entryEnd = reader.ReadEnd(end);
                var (key, value) = ReadStringPair(reader, entryEnd);
                if (key == "location")
                {
                    location = value;
                }
            }
            else
            {
                // raw_data (9) and the typed data fields: the weights, skipped without reading.
                reader.Skip(wire, end);
            }
        }
        return (name, external ? location : null);
    }

    private static (string Key, string Value) ReadStringPair(ProtoReader reader, long end)
    {
        var (key, value) = ("", "");
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == WireLengthDelimited)
            {
                key = reader.ReadString(end);
            }
            else if (field == 2 && wire == WireLengthDelimited)
            {
                value = reader.ReadString(end);
            }
            else
            {
                reader.Skip(wire, end);
            }
        }
        return (key, value);
    }

    /// <summary>ValueInfoProto: name (1) and type (2) → TypeProto.tensor_type (1) → elem_type (1) and shape (2).</summary>
    private static OnnxTensorInfo ReadValueInfo(ProtoReader reader, long end)
    {
        var name = "";
        var elementType = 0;
        var isTensor = false;
        List<string>? dimensions = null;
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == WireLengthDelimited)
            {
                name = reader.ReadString(end);
            }
            else if (field == 2 && wire == WireLengthDelimited)
            {
                var typeEnd = reader.ReadEnd(end);
                while (reader.Position < typeEnd)
                {
                    var (typeField, typeWire) = reader.ReadTag();
                    if (typeField == 1 && typeWire == WireLengthDelimited)
                    {
                        isTensor = true;
                        (elementType, dimensions) = ReadTensorType(reader, reader.ReadEnd(typeEnd));
                    }
                    else
                    {
                        reader.Skip(typeWire, typeEnd);
                    }
                }
            }
            else
            {
                reader.Skip(wire, end);
            }
        }
        return new OnnxTensorInfo(name, (TensorElementType)elementType, dimensions) { IsTensor = isTensor };
    }

    private static (int ElementType, List<string>? Dimensions) ReadTensorType(ProtoReader reader, long end)
    {
        var elementType = 0;
        List<string>? dimensions = null;
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == WireVarint)
            {
                elementType = (int)reader.ReadVarint();
            }
            else if (field == 2 && wire == WireLengthDelimited)
            {
                var shapeEnd = reader.ReadEnd(end);
                dimensions = [];
                while (reader.Position < shapeEnd)
                {
                    var (shapeField, shapeWire) = reader.ReadTag();
                    if (shapeField == 1 && shapeWire == WireLengthDelimited)
                    {
                        dimensions.Add(ReadDimension(reader, reader.ReadEnd(shapeEnd)));
                    }
                    else
                    {
                        reader.Skip(shapeWire, shapeEnd);
                    }
                }
            }
            else
            {
                reader.Skip(wire, end);
            }
        }
        return (elementType, dimensions);
    }

    /// <summary>TensorShapeProto.Dimension: dim_value (1) or dim_param (2); neither is an unknown size.</summary>
    private static string ReadDimension(ProtoReader reader, long end)
    {
        var dimension = "?";
        while (reader.Position < end)
        {
            var (field, wire) = reader.ReadTag();
            if (field == 1 && wire == WireVarint)
            {
                dimension = ((long)reader.ReadVarint()).ToString(CultureInfo.InvariantCulture);
            }
            else if (field == 2 && wire == WireLengthDelimited)
            {
                dimension = reader.ReadString(end);
            }
            else
            {
                reader.Skip(wire, end);
            }
        }
        return dimension;
    }

    /// <summary>The protobuf wire format over a seekable stream; every length is checked against its enclosing message.</summary>
    private sealed class ProtoReader(Stream stream)
    {
        public long Position => stream.Position;

        public (int Field, int Wire) ReadTag()
        {
            var tag = ReadVarint();
            var field = tag >> 3;
            if (field == 0 || field > int.MaxValue)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"a field number of 0 or out of range at byte {stream.Position}"));
            }
            return ((int)field, (int)(tag & 7));
        }

        public ulong ReadVarint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = stream.ReadByte();
                if (b < 0)
                {
                    throw new InvalidDataException("the file ends in the middle of a field");
                }
                value |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return value;
                }
            }
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"a malformed number at byte {stream.Position}"));
        }

        /// <summary>Reads a length prefix and returns where that field ends, which must be within <paramref name="limit"/>.</summary>
        public long ReadEnd(long limit)
        {
            var length = ReadVarint();
            if (length > (ulong)(limit - stream.Position))
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"a field at byte {stream.Position} runs past the end of its message"));
            }
            return stream.Position + (long)length;
        }

        public string ReadString(long limit)
        {
            var end = ReadEnd(limit);
            var length = end - stream.Position;
            if (length > MaxDeclarationBytes)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"a name of {length} bytes at byte {stream.Position}"));
            }
            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            return Encoding.UTF8.GetString(bytes);
        }

        public void Skip(int wire, long limit)
        {
            var to = wire switch
            {
                WireVarint => -1,
                WireFixed64 => stream.Position + 8,
                WireLengthDelimited => ReadEnd(limit),
                WireFixed32 => stream.Position + 4,
                _ => throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"wire type {wire} at byte {stream.Position}, which ONNX does not use")),
            };
            if (wire == WireVarint)
            {
                ReadVarint();
                return;
            }
            if (to > limit)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"a field at byte {stream.Position} runs past the end of its message"));
            }
            stream.Position = to;
        }
    }
}
