using DataType = Heurist.TinyModels.Onnx.TensorProto.Types.DataType;

namespace Heurist.TinyModels.Graph;

/// <summary>
/// The standard operators the tiny models use, one method each, with opset 17 semantics (axes of
/// Unsqueeze, Squeeze and Slice are inputs; ReduceMean's axes are an attribute). All of them run on
/// ONNX Runtime's CPU provider.
/// </summary>
public static class Ops
{
    public static string Add(this OnnxGraphBuilder g, string a, string b) => g.Node("Add", [a, b]);

    public static string Sub(this OnnxGraphBuilder g, string a, string b) => g.Node("Sub", [a, b]);

    public static string Mul(this OnnxGraphBuilder g, string a, string b) => g.Node("Mul", [a, b]);

    public static string Div(this OnnxGraphBuilder g, string a, string b) => g.Node("Div", [a, b]);

    public static string MatMul(this OnnxGraphBuilder g, string a, string b) => g.Node("MatMul", [a, b]);

    public static string Sqrt(this OnnxGraphBuilder g, string x) => g.Node("Sqrt", [x]);

    public static string Tanh(this OnnxGraphBuilder g, string x, string? output = null) => g.Node("Tanh", [x], output);

    public static string Sigmoid(this OnnxGraphBuilder g, string x) => g.Node("Sigmoid", [x]);

    public static string Sin(this OnnxGraphBuilder g, string x) => g.Node("Sin", [x]);

    public static string Cos(this OnnxGraphBuilder g, string x) => g.Node("Cos", [x]);

    public static string Softmax(this OnnxGraphBuilder g, string x, long axis = -1)
        => g.Node("Softmax", [x], null, Attr.Of("axis", axis));

    public static string Cast(this OnnxGraphBuilder g, string x, DataType to)
        => g.Node("Cast", [x], null, Attr.Of("to", (long)to));

    public static string Transpose(this OnnxGraphBuilder g, string x, params long[] perm)
        => g.Node("Transpose", [x], null, Attr.List("perm", perm));

    /// <summary>Reshape; a 0 in <paramref name="shape"/> keeps that input dimension, -1 takes the rest.</summary>
    public static string Reshape(this OnnxGraphBuilder g, string x, params long[] shape)
        => g.Node("Reshape", [x, g.Int64s(shape)]);

    /// <summary>Reshape to a shape computed in the graph (an int64 1-D value).</summary>
    public static string ReshapeTo(this OnnxGraphBuilder g, string x, string shape) => g.Node("Reshape", [x, shape]);

    public static string Unsqueeze(this OnnxGraphBuilder g, string x, params long[] axes)
        => g.Node("Unsqueeze", [x, g.Int64s(axes)]);

    public static string Squeeze(this OnnxGraphBuilder g, string x, params long[] axes)
        => g.Node("Squeeze", [x, g.Int64s(axes)]);

    public static string Concat(this OnnxGraphBuilder g, long axis, params string[] inputs)
        => g.Node("Concat", inputs, null, Attr.Of("axis", axis));

    /// <summary>The shape of <paramref name="x"/>, or the part [start, end) of it (Shape-15 attributes).</summary>
    public static string Shape(this OnnxGraphBuilder g, string x, long start, long end)
        => g.Node("Shape", [x], null, Attr.Of("start", start), Attr.Of("end", end));

    public static string Shape(this OnnxGraphBuilder g, string x) => g.Node("Shape", [x]);

    /// <summary>Slice along one axis, with bounds that are graph values (int64, shape [1]).</summary>
    public static string Slice(this OnnxGraphBuilder g, string x, string starts, string ends, long axis)
        => g.Node("Slice", [x, starts, ends, g.Int64s(axis)]);

    public static string Gather(this OnnxGraphBuilder g, string data, string indices, long axis = 0)
        => g.Node("Gather", [data, indices], null, Attr.Of("axis", axis));

    public static string GatherElements(this OnnxGraphBuilder g, string data, string indices, long axis)
        => g.Node("GatherElements", [data, indices], null, Attr.Of("axis", axis));

    public static string ArgMax(this OnnxGraphBuilder g, string x, long axis, bool keepDims)
        => g.Node("ArgMax", [x], null, Attr.Of("axis", axis), Attr.Of("keepdims", keepDims ? 1 : 0));

    public static string Expand(this OnnxGraphBuilder g, string x, params long[] shape)
        => g.Node("Expand", [x, g.Int64s(shape)]);

    public static string ReduceMean(this OnnxGraphBuilder g, string x, bool keepDims, params long[] axes)
        => g.Node("ReduceMean", [x], null, Attr.List("axes", axes), Attr.Of("keepdims", keepDims ? 1 : 0));

    /// <summary>LayerNormalization over the last axis (opset 17).</summary>
    public static string LayerNormalization(this OnnxGraphBuilder g, string x, string scale, string bias, float epsilon = 1e-5f)
        => g.Node("LayerNormalization", [x, scale, bias], null, Attr.Of("axis", -1), Attr.Of("epsilon", epsilon));

    /// <summary>A 2-D convolution with square kernel, stride 1 and "same" padding.</summary>
    public static string Conv(this OnnxGraphBuilder g, string x, string weight, string bias, long kernel)
        => g.Node(
            "Conv",
            [x, weight, bias],
            null,
            Attr.List("kernel_shape", kernel, kernel),
            Attr.List("pads", kernel / 2, kernel / 2, kernel / 2, kernel / 2),
            Attr.List("strides", 1, 1));

    /// <summary>Resize an NCHW tensor by an integer factor in height and width.</summary>
    public static string Upsample(this OnnxGraphBuilder g, string x, int factor, string mode, string scalesName)
    {
        var scales = g.AddInitializer(scalesName, [1f, 1f, factor, factor], 4);
        return g.Node("Resize", [x, "", scales], null, Attr.Of("mode", mode));
    }
}
