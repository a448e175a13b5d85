using Heurist.TinyModels.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace Heurist.TinyModels.Tests;

public sealed class ModelInterfaceTests(GeneratedModels models)
{
    [Theory]
    [MemberData(nameof(ModelInterfaces.Models), MemberType = typeof(ModelInterfaces))]
    public void Each_model_has_exactly_the_input_names_types_and_ranks_of_the_real_export(string model)
    {
        var session = models.Session(model);
        AssertPorts(ModelInterfaces.All[model].Inputs, session.InputNames, session.InputMetadata);
    }

    [Theory]
    [MemberData(nameof(ModelInterfaces.Models), MemberType = typeof(ModelInterfaces))]
    public void Each_model_has_exactly_the_output_names_types_and_ranks_of_the_real_export(string model)
    {
        var session = models.Session(model);
        AssertPorts(ModelInterfaces.All[model].Outputs, session.OutputNames, session.OutputMetadata);
    }

    [Fact]
    public void The_writer_writes_exactly_the_model_files_of_the_interface_table()
    {
        var written = models.Files
            .Where(f => f.EndsWith(".onnx", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(models.Folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        Assert.Equal(ModelInterfaces.All.Keys.Order(StringComparer.Ordinal), written);
    }

    [Theory]
    [MemberData(nameof(ModelInterfaces.Models), MemberType = typeof(ModelInterfaces))]
    public void Each_model_is_ir_version_8_on_opset_17_of_the_default_domain_only(string model)
    {
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(models.PathOf(model)));
        Assert.Equal(8, proto.IrVersion);
        var opset = Assert.Single(proto.OpsetImport);
        Assert.Equal(("", 17L), (opset.Domain, opset.Version));
        Assert.All(proto.Graph.Node, node => Assert.False(node.HasDomain && node.Domain.Length > 0, $"{node.Name} is in domain {node.Domain}"));
    }

    private static void AssertPorts(Port[] expected, IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata)
    {
        Assert.Equal(expected.Select(p => p.Name), names);
        foreach (var port in expected)
        {
            var actual = metadata[port.Name];
            Assert.True(actual.IsTensor, $"{port.Name} is a tensor");
            Assert.Equal(port.Type, actual.ElementDataType);
            Assert.Equal(port.Shape.Length, actual.Dimensions.Length);
            for (var i = 0; i < port.Shape.Length; i++)
            {
                if (port.Shape[i] is string symbol)
                {
                    // -1 is how ONNX Runtime reports a dynamic dimension; the name is the export's dim_param.
                    Assert.Equal(-1, actual.Dimensions[i]);
                    Assert.Equal(symbol, actual.SymbolicDimensions[i]);
                }
                else
                {
                    Assert.Equal((int)port.Shape[i], actual.Dimensions[i]);
                }
            }
        }
    }
}
