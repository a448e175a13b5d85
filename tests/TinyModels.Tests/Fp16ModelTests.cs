using System.Buffers.Binary;
using Heurist.TinyModels.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using DataType = Heurist.TinyModels.Onnx.TensorProto.Types.DataType;

namespace Heurist.TinyModels.Tests;

public sealed class Fp16ModelTests(GeneratedModels fp32, GeneratedFp16Models fp16) : IClassFixture<GeneratedFp16Models>, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "heurist-tiny-fp16-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [MemberData(nameof(ModelInterfaces.Models), MemberType = typeof(ModelInterfaces))]
    public void Fp16_inputs_are_the_fp32_inputs_with_float16_for_every_float_and_integers_unchanged(string model)
    {
        var expected = fp32.Session(model);
        var actual = fp16.Session(model);

        Assert.Equal(expected.InputNames, actual.InputNames);
        AssertFloat16Ports(expected.InputMetadata, actual.InputMetadata);
    }

    [Theory]
    [MemberData(nameof(ModelInterfaces.Models), MemberType = typeof(ModelInterfaces))]
    public void Fp16_outputs_are_the_fp32_outputs_with_float16_for_every_float(string model)
    {
        var expected = fp32.Session(model);
        var actual = fp16.Session(model);

        Assert.Equal(expected.OutputNames, actual.OutputNames);
        AssertFloat16Ports(expected.OutputMetadata, actual.OutputMetadata);
    }

    [Theory]
    [InlineData("sd15/unet/model.onnx", TensorElementType.Int64)]
    [InlineData("sdxl/unet/model.onnx", TensorElementType.Float16)]
    [InlineData("flux-dev/transformer/model.onnx", TensorElementType.Float16)]
    public void The_denoisers_timestep_is_float16_where_the_fp32_export_has_it_float(string model, TensorElementType expected)
    {
        Assert.Equal(expected, fp16.Session(model).InputMetadata["timestep"].ElementDataType);
    }

    [Theory]
    [MemberData(nameof(ModelInterfaces.Models), MemberType = typeof(ModelInterfaces))]
    public void Every_fp16_weight_is_the_fp32_weight_rounded_to_float16(string model)
    {
        var expected = ModelProto.Parser.ParseFrom(File.ReadAllBytes(fp32.PathOf(model)));
        var actual = ModelProto.Parser.ParseFrom(File.ReadAllBytes(fp16.PathOf(model)));
        var actualByName = actual.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);

        Assert.Equal((8L, 17L), (actual.IrVersion, Assert.Single(actual.OpsetImport).Version));
        Assert.DoesNotContain(actual.Graph.Initializer, t => t.DataType == (int)DataType.Float);
        Assert.Equal(expected.Graph.Initializer.Count, actual.Graph.Initializer.Count);
        var floats = 0;
        foreach (var weight in expected.Graph.Initializer)
        {
            var stored = actualByName[weight.Name];
            Assert.Equal(weight.Dims, stored.Dims);
            if (weight.DataType != (int)DataType.Float)
            {
                Assert.Equal(weight, stored);
                continue;
            }
            floats++;
            Assert.Equal((int)DataType.Float16, stored.DataType);
            var values = weight.RawData.Span;
            var halves = stored.RawData.Span;
            Assert.Equal(values.Length / 2, halves.Length);
            for (var i = 0; i < values.Length / sizeof(float); i++)
            {
                var rounded = (Half)BinaryPrimitives.ReadSingleLittleEndian(values[(i * sizeof(float))..]);
                Assert.Equal(rounded, BinaryPrimitives.ReadHalfLittleEndian(halves[(i * 2)..]));
            }
        }
        Assert.True(floats > 0, $"{model} has no float weights to check");
    }

    [Theory]
    [MemberData(nameof(ModelInterfaces.Models), MemberType = typeof(ModelInterfaces))]
    public void Fp16_models_run_on_float16_inputs_and_give_the_fp32_models_outputs_within_fp16_precision(string model)
    {
        // Both graphs see the same values: the fp32 graph gets the float16 inputs widened back to float32.
        var inputs = ModelInputs.For(model, 2, 64, 96).Inputs;
        var expected = fp32.Session(model).Run([.. inputs.Select(i => i.RoundedToFloat16())]);

        var actual = fp16.Session(model).Run([.. inputs.Select(i => i.AsFloat16())]);

        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, output) in expected)
        {
            Assert.Equal(output.Shape, actual[name].Shape);
            // Relative to the output's largest value, since an element near zero has no meaningful relative error.
            var scale = Math.Max(output.Data.Max(MathF.Abs), 1f);
            var worst = output.Data.Zip(actual[name].Data).Max(p => MathF.Abs(p.First - p.Second));
            Assert.True(worst <= 1e-2f * scale, $"{name}: the fp16 output is off by {worst} at scale {scale}");
        }
    }

    [Fact]
    public void Writing_fp16_twice_gives_byte_identical_files_named_as_the_fp32_ones()
    {
        var first = Write("first");
        var second = Write("second");

        var fp32Files = fp32.Files.Select(f => Path.GetRelativePath(fp32.Folder, f)).Order(StringComparer.Ordinal);
        Assert.Equal(fp32Files, first.Keys);
        Assert.Equal(first.Keys, second.Keys);
        foreach (var (file, bytes) in first)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(second[file]), $"{file} differs between two fp16 writes with seed 1");
            // Only the graphs and the demo label's description say float16; configs and tokenizers are the fp32 ones.
            var sameAsFp32 = bytes.AsSpan().SequenceEqual(File.ReadAllBytes(fp32.PathOf(file)));
            var differs = file.EndsWith(".onnx", StringComparison.Ordinal) || file.EndsWith("heurist-model.json", StringComparison.Ordinal);
            Assert.True(sameAsFp32 != differs, $"{file} should {(differs ? "differ from" : "equal")} the fp32 file");
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static void AssertFloat16Ports(IReadOnlyDictionary<string, NodeMetadata> expected, IReadOnlyDictionary<string, NodeMetadata> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, port) in expected)
        {
            var fp16Port = actual[name];
            var type = port.ElementDataType == TensorElementType.Float ? TensorElementType.Float16 : port.ElementDataType;
            Assert.True(fp16Port.IsTensor, $"{name} is a tensor");
            Assert.Equal(type, fp16Port.ElementDataType);
            Assert.Equal(port.Dimensions, fp16Port.Dimensions);
            Assert.Equal(port.SymbolicDimensions, fp16Port.SymbolicDimensions);
        }
    }

    private SortedDictionary<string, byte[]> Write(string name)
    {
        var folder = Path.Combine(_root, name);
        var files = TinyModelWriter.WriteAll(folder, seed: 1, TinyPrecision.Fp16);
        return new SortedDictionary<string, byte[]>(
            files.ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes),
            StringComparer.Ordinal);
    }
}
