using System.Buffers.Binary;
using Google.Protobuf;
using Heurist.TinyModels.Onnx;
using DataType = Heurist.TinyModels.Onnx.TensorProto.Types.DataType;

namespace Heurist.TinyModels.Graph;

/// <summary>
/// Builds one ONNX graph in order: declare inputs, add initializers and nodes (each node's inputs must
/// already exist, so the node list is topologically sorted by construction), then declare outputs and
/// <see cref="Build"/> the model. Value names are scoped (<c>layer0/MatMul_12</c>) so the graph reads
/// well in a viewer such as Netron.
/// </summary>
public sealed class OnnxGraphBuilder
{
    /// <summary>ONNX IR version 8 (ONNX 1.10+), which every ONNX Runtime of the last years reads.</summary>
    public const long IrVersion = 8;

    /// <summary>The default-domain opset: LayerNormalization and Shape's start/end need 17 at least.</summary>
    public const long Opset = 17;

    private readonly GraphProto _graph;
    private readonly HashSet<string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _int64Constants = new(StringComparer.Ordinal);
    private readonly Stack<string> _scopes = new();
    private int _counter;

    public OnnxGraphBuilder(string graphName, DeterministicRandom random)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        ArgumentNullException.ThrowIfNull(random);
        _graph = new GraphProto { Name = graphName };
        Random = random;
    }

    /// <summary>Where the random weights come from.</summary>
    public DeterministicRandom Random { get; }

    /// <summary>Prefixes the names of the values and nodes added until the returned scope is disposed.</summary>
    public IDisposable Scope(string name)
    {
        _scopes.Push(name);
        return new ScopeExit(_scopes);
    }

    /// <summary>Declares a graph input and returns its value name.</summary>
    public string AddInput(string name, DataType type, params Dim[] shape)
    {
        Claim(name);
        _graph.Input.Add(ValueInfo(name, type, shape));
        return name;
    }

    /// <summary>
    /// Declares <paramref name="value"/> as the graph output <paramref name="name"/>. When the names
    /// differ an Identity node gives the value its public name.
    /// </summary>
    public void AddOutput(string value, string name, DataType type, params Dim[] shape)
    {
        if (!string.Equals(value, name, StringComparison.Ordinal))
        {
            Node("Identity", [value], name);
        }
        else if (!_values.Contains(value))
        {
            throw new InvalidOperationException($"Output '{name}' names no value of the graph.");
        }
        _graph.Output.Add(ValueInfo(name, type, shape));
    }

    /// <summary>A float initializer holding <paramref name="values"/> in the given shape.</summary>
    public string AddInitializer(string name, float[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckElementCount(name, values.Length, dims);
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }
        return AddRawInitializer(name, DataType.Float, bytes, dims);
    }

    /// <summary>An int64 initializer holding <paramref name="values"/> in the given shape.</summary>
    public string AddInitializer(string name, long[] values, params long[] dims)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckElementCount(name, values.Length, dims);
        return AddRawInitializer(name, DataType.Int64, Int64Bytes(values), dims);
    }

    /// <summary>A float initializer of random values, uniform in [-bound, bound).</summary>
    public string AddRandom(string name, float bound, params long[] dims)
    {
        var count = checked((int)dims.Aggregate(1L, (a, b) => a * b));
        return AddInitializer(name, Random.Uniform(count, bound), dims);
    }

    /// <summary>A float initializer with every element equal to <paramref name="value"/>.</summary>
    public string AddFilled(string name, float value, params long[] dims)
    {
        var values = new float[checked((int)dims.Aggregate(1L, (a, b) => a * b))];
        Array.Fill(values, value);
        return AddInitializer(name, values, dims);
    }

    /// <summary>A 1-D int64 constant (axes, shapes, slice bounds), shared by every node that uses the same values.</summary>
    public string Int64s(params long[] values)
    {
        var key = string.Join(",", values);
        if (!_int64Constants.TryGetValue(key, out var name))
        {
            name = AddRawInitializerUnscoped($"const_int64[{key}]", DataType.Int64, Int64Bytes(values), [values.Length]);
            _int64Constants[key] = name;
        }
        return name;
    }

    /// <summary>A float scalar constant (rank 0).</summary>
    public string Scalar(float value, string name) => AddInitializer(name, [value]);

    /// <summary>
    /// Adds a node with one output and returns the output's name: <paramref name="output"/> when given
    /// (graph outputs are named this way), else a fresh scoped name.
    /// </summary>
    public string Node(string opType, IReadOnlyList<string> inputs, string? output = null, params AttributeProto[] attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(inputs);
        foreach (var input in inputs)
        {
            // An empty name is how ONNX leaves out an optional input (Resize's roi, for one).
            if (input.Length > 0 && !_values.Contains(input))
            {
                throw new InvalidOperationException($"{opType}: input '{input}' is not a value of the graph yet.");
            }
        }
        var id = _counter++;
        var outputName = output ?? Scoped($"{opType}_{id}");
        Claim(outputName);
        var node = new NodeProto { OpType = opType, Name = Scoped($"{opType}_{id}_node") };
        node.Input.AddRange(inputs);
        node.Output.Add(outputName);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return outputName;
    }

    /// <summary>The model: IR version 8, opset 17 of the default domain, and this graph.</summary>
    public ModelProto Build(string docString)
    {
        if (_graph.Output.Count == 0)
        {
            throw new InvalidOperationException($"Graph '{_graph.Name}' declares no output.");
        }
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Heurist TinyModels",
            ProducerVersion = "1",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    private string AddRawInitializer(string name, DataType type, byte[] bytes, long[] dims)
        => AddRawInitializerUnscoped(Scoped(name), type, bytes, dims);

    private string AddRawInitializerUnscoped(string name, DataType type, byte[] bytes, long[] dims)
    {
        Claim(name);
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    private static byte[] Int64Bytes(long[] values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        }
        return bytes;
    }

    private static void CheckElementCount(string name, int count, long[] dims)
    {
        var expected = dims.Aggregate(1L, (a, b) => a * b);
        if (expected != count)
        {
            throw new ArgumentException($"Initializer '{name}' has {count} values for shape [{string.Join(", ", dims)}].", nameof(dims));
        }
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, Dim[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var dim in shape)
        {
            tensorShape.Dim.Add(dim.Name is { } symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = dim.Value!.Value });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }

    private void Claim(string name)
    {
        if (!_values.Add(name))
        {
            throw new InvalidOperationException($"The graph already has a value named '{name}'.");
        }
    }

    private string Scoped(string name) => _scopes.Count == 0 ? name : string.Join("/", _scopes.Reverse()) + "/" + name;

    private sealed class ScopeExit(Stack<string> scopes) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                scopes.Pop();
                _disposed = true;
            }
        }
    }
}
