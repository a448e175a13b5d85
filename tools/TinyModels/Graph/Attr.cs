using Heurist.TinyModels.Onnx;

namespace Heurist.TinyModels.Graph;

/// <summary>Node attributes, typed as the ONNX operator schemas declare them (INT, FLOAT, STRING, INTS).</summary>
public static class Attr
{
    public static AttributeProto Of(string name, long value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Of(string name, float value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Of(string name, string value)
        => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(value) };

    public static AttributeProto List(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }
}
