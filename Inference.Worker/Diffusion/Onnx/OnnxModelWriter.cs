using System.Text;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Heurist.Inference.Worker.Diffusion.Onnx;

/// <summary>
/// Writes the small ONNX graphs the worker makes for itself (the scheduler step, copies between host and device) in
/// the protobuf wire format, with the field numbers of onnx.proto. Only what those graphs use: nodes with int
/// attributes, and inputs and outputs with an element type and fixed or named dimensions. Written by hand rather than
/// with generated protobuf classes, which would bring a code generator into the worker's build for some 80 lines.
/// </summary>
internal sealed class OnnxModelWriter
{
    /// <summary>ONNX's opset 17: Split without a split input cuts into equal parts (opset 13 onwards).</summary>
    private const long Opset = 17;

    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];
    private int _names;

    /// <summary>A fresh name for an intermediate value.</summary>
    public string Temporary() => $"t{_names++}";

    public void Input(string name, TensorElementType type, params object[] dimensions) => _inputs.Add(ValueInfo(name, type, dimensions));

    public void Output(string name, TensorElementType type, params object[] dimensions) => _outputs.Add(ValueInfo(name, type, dimensions));

    /// <summary>Adds a node; <paramref name="attributes"/> are int attributes (axis, to).</summary>
    public void Node(string op, string[] inputs, string[] outputs, params (string Name, long Value)[] attributes)
    {
        var node = new Message();
        foreach (var input in inputs)
        {
            node.String(1, input);
        }
        foreach (var output in outputs)
        {
            node.String(2, output);
        }
        node.String(3, $"{op}_{_nodes.Count}");
        node.String(4, op);
        foreach (var (name, value) in attributes)
        {
            var attribute = new Message();
            attribute.String(1, name);
            attribute.Varint(3, value);
            attribute.Varint(20, 2); // AttributeProto.INT
            node.Bytes(5, attribute.ToArray());
        }
        _nodes.Add(node.ToArray());
    }

    /// <summary>One output of a single-output node, named for the caller.</summary>
    public string Apply(string op, params string[] inputs)
    {
        var output = Temporary();
        Node(op, inputs, [output]);
        return output;
    }

    public byte[] ToBytes(string graphName)
    {
        var graph = new Message();
        foreach (var node in _nodes)
        {
            graph.Bytes(1, node);
        }
        graph.String(2, graphName);
        foreach (var input in _inputs)
        {
            graph.Bytes(11, input);
        }
        foreach (var output in _outputs)
        {
            graph.Bytes(12, output);
        }
        var opset = new Message();
        opset.String(1, "");
        opset.Varint(2, Opset);
        var model = new Message();
        model.Varint(1, 8); // IR version 8 (ONNX 1.13), which opset 17 needs at least.
        model.String(2, "heurist-worker");
        model.Bytes(7, graph.ToArray());
        model.Bytes(8, opset.ToArray());
        return model.ToArray();
    }

    /// <summary>ONNX's TensorProto.DataType for an ONNX Runtime element type.</summary>
    public static long DataType(TensorElementType type) => type switch
    {
        TensorElementType.Float => 1,
        TensorElementType.Int32 => 6,
        TensorElementType.Int64 => 7,
        TensorElementType.Float16 => 10,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "The worker's own graphs use float32, float16, int32 and int64."),
    };

    private static byte[] ValueInfo(string name, TensorElementType type, object[] dimensions)
    {
        var shape = new Message();
        foreach (var dimension in dimensions)
        {
            var dim = new Message();
            if (dimension is string symbolic)
            {
                dim.String(2, symbolic);
            }
            else
            {
                dim.Varint(1, Convert.ToInt64(dimension, System.Globalization.CultureInfo.InvariantCulture));
            }
            shape.Bytes(1, dim.ToArray());
        }
        var tensor = new Message();
        tensor.Varint(1, DataType(type));
        tensor.Bytes(2, shape.ToArray());
        var typeProto = new Message();
        typeProto.Bytes(1, tensor.ToArray());
        var info = new Message();
        info.String(1, name);
        info.Bytes(2, typeProto.ToArray());
        return info.ToArray();
    }

    /// <summary>A protobuf message being written: varint and length-delimited fields only.</summary>
    private sealed class Message
    {
        private readonly List<byte> _bytes = [];

        public void Varint(int field, long value)
        {
            Raw((ulong)field << 3);
            Raw((ulong)value);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Bytes(int field, byte[] value)
        {
            Raw(((ulong)field << 3) | 2);
            Raw((ulong)value.Length);
            _bytes.AddRange(value);
        }

        public byte[] ToArray() => [.. _bytes];

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }
            _bytes.Add((byte)value);
        }
    }
}
