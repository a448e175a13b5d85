using System.Buffers.Binary;
using Google.Protobuf;
using Heurist.TinyModels.Onnx;
using DataType = Heurist.TinyModels.Onnx.TensorProto.Types.DataType;

namespace Heurist.TinyModels.Graph;

/// <summary>
/// Gives a float32 tiny model the interface of an Optimum <c>--dtype fp16</c> export: every float32 graph
/// input and output is declared float16 and every float32 initializer is stored as float16 (its value
/// rounded to the nearest float16), under the same names. Integer inputs, outputs and initializers are
/// left as they are.
/// <para>
/// This is where these graphs differ from a real fp16 export, which computes in float16: here each float16
/// input and initializer is followed by a Cast to float32, the original float32 graph runs unchanged, and
/// each output is a Cast to float16 of what it computed. That is deliberate: ONNX Runtime's CPU provider,
/// on which the worker's tests run, lacks float16 kernels for many operators, and a float32 body keeps every
/// tiny graph running there, with outputs that differ from the float32 model's only by the rounding of
/// weights, inputs and outputs to float16. A caller sees the element types, names and shapes of a real fp16
/// export; float16 overflow or precision loss inside the graph is not reproduced.
/// </para>
/// </summary>
public static class Float16Interface
{
    /// <summary>Suffix of the float32 value that a Cast node makes of a float16 input, initializer or output.</summary>
    public const string Float32Suffix = "_float32";

    /// <summary>A float16 copy of <paramref name="model"/>; the model passed in is not changed.</summary>
    public static ModelProto Convert(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var result = model.Clone();
        var graph = result.Graph;
        var names = AllValueNames(graph);

        // Outputs first: their producers and consumers are renamed before the Cast nodes that read the new
        // names are added, so no Cast node is renamed by mistake.
        var outputCasts = new List<NodeProto>();
        foreach (var output in graph.Output.Where(IsFloat32))
        {
            var computed = FreshName(names, output.Name + Float32Suffix);
            RenameValue(graph, output.Name, computed);
            output.Type.TensorType.ElemType = (int)DataType.Float16;
            outputCasts.Add(Cast(computed, output.Name, DataType.Float16, computed + "_cast"));
        }

        var widened = new Dictionary<string, string>(StringComparer.Ordinal);
        var inputCasts = new List<NodeProto>();
        foreach (var input in graph.Input.Where(IsFloat32))
        {
            input.Type.TensorType.ElemType = (int)DataType.Float16;
            widened[input.Name] = FreshName(names, input.Name + Float32Suffix);
        }
        foreach (var initializer in graph.Initializer.Where(t => t.DataType == (int)DataType.Float))
        {
            initializer.RawData = ToFloat16Bytes(initializer);
            initializer.DataType = (int)DataType.Float16;
            widened[initializer.Name] = FreshName(names, initializer.Name + Float32Suffix);
        }
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (widened.TryGetValue(node.Input[i], out var float32Name))
                {
                    node.Input[i] = float32Name;
                }
            }
        }
        // Inputs in declaration order, then initializers in theirs, so the same model gives the same bytes.
        foreach (var input in graph.Input.Where(i => widened.ContainsKey(i.Name)))
        {
            inputCasts.Add(Cast(input.Name, widened[input.Name], DataType.Float, widened[input.Name] + "_cast"));
        }
        foreach (var initializer in graph.Initializer.Where(t => widened.ContainsKey(t.Name)))
        {
            inputCasts.Add(Cast(initializer.Name, widened[initializer.Name], DataType.Float, widened[initializer.Name] + "_cast"));
        }

        // Node order stays topological: the widening Casts read only inputs and initializers, and the
        // narrowing Casts read values that every earlier node has produced.
        var nodes = inputCasts.Concat(graph.Node).Concat(outputCasts).ToList();
        graph.Node.Clear();
        graph.Node.AddRange(nodes);
        result.DocString = $"{model.DocString} Float16 inputs, outputs and weights, computed in float32 behind Cast nodes.";
        return result;
    }

    private static bool IsFloat32(ValueInfoProto value)
        => value.Type.TensorType is { } tensor && tensor.ElemType == (int)DataType.Float;

    private static ByteString ToFloat16Bytes(TensorProto initializer)
    {
        if (initializer.FloatData.Count > 0)
        {
            throw new InvalidOperationException($"Initializer '{initializer.Name}' keeps its values in float_data; only raw_data is converted.");
        }
        var source = initializer.RawData.Span;
        var bytes = new byte[source.Length / sizeof(float) * 2];
        for (var i = 0; i < source.Length / sizeof(float); i++)
        {
            var value = BinaryPrimitives.ReadSingleLittleEndian(source[(i * sizeof(float))..]);
            var half = (Half)value;
            if (float.IsFinite(value) && !Half.IsFinite(half))
            {
                throw new InvalidOperationException($"Initializer '{initializer.Name}' holds {value}, beyond float16's range.");
            }
            BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), half);
        }
        return ByteString.CopyFrom(bytes);
    }

    private static NodeProto Cast(string input, string output, DataType to, string name)
    {
        var node = new NodeProto { OpType = "Cast", Name = name };
        node.Input.Add(input);
        node.Output.Add(output);
        node.Attribute.Add(Attr.Of("to", (long)to));
        return node;
    }

    private static void RenameValue(GraphProto graph, string from, string to)
    {
        var produced = false;
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Output.Count; i++)
            {
                if (node.Output[i] == from)
                {
                    node.Output[i] = to;
                    produced = true;
                }
            }
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == from)
                {
                    node.Input[i] = to;
                }
            }
        }
        if (!produced)
        {
            throw new InvalidOperationException($"Output '{from}' is not produced by a node, so it cannot be cast to float16.");
        }
    }

    private static HashSet<string> AllValueNames(GraphProto graph)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        names.UnionWith(graph.Input.Select(i => i.Name));
        names.UnionWith(graph.Initializer.Select(t => t.Name));
        names.UnionWith(graph.Node.SelectMany(n => n.Output));
        names.UnionWith(graph.Node.Select(n => n.Name));
        return names;
    }

    // Node names live beside value names here, so a Cast node's name "<value>_cast" is claimed too.
    private static string FreshName(HashSet<string> names, string name)
    {
        if (!names.Add(name) || !names.Add(name + "_cast"))
        {
            throw new InvalidOperationException($"The graph already has a value or node named '{name}'.");
        }
        return name;
    }
}
