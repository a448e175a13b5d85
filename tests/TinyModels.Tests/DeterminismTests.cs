using Heurist.TinyModels.Onnx;

namespace Heurist.TinyModels.Tests;

public sealed class DeterminismTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "heurist-tiny-determinism-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Writing_twice_with_the_same_seed_gives_byte_identical_files()
    {
        var first = Write("first", seed: 1);
        var second = Write("second", seed: 1);

        Assert.Equal(first.Keys, second.Keys);
        Assert.Equal(50, first.Count);
        foreach (var (file, bytes) in first)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(second[file]), $"{file} differs between two writes with seed 1");
        }
    }

    [Fact]
    public void Another_seed_gives_the_same_graphs_and_files_with_other_weights()
    {
        var one = Write("one", seed: 1);
        var two = Write("two", seed: 2);

        Assert.Equal(one.Keys, two.Keys);
        foreach (var (file, bytes) in one)
        {
            if (!file.EndsWith(".onnx", StringComparison.Ordinal))
            {
                Assert.True(bytes.AsSpan().SequenceEqual(two[file]), $"{file} should not depend on the seed");
                continue;
            }
            var a = ModelProto.Parser.ParseFrom(bytes).Graph;
            var b = ModelProto.Parser.ParseFrom(two[file]).Graph;
            Assert.Equal(a.Node, b.Node);
            Assert.Equal(a.Input, b.Input);
            Assert.Equal(a.Output, b.Output);
            Assert.Equal(a.Initializer.Select(t => (t.Name, t.Dims.Count)), b.Initializer.Select(t => (t.Name, t.Dims.Count)));
            // Random weights differ; the constant ones (LayerNorm scales, shapes, frequencies) do not.
            var changed = a.Initializer.Zip(b.Initializer).Count(p => p.First.RawData != p.Second.RawData);
            Assert.True(changed >= a.Initializer.Count / 3, $"{file}: only {changed} of {a.Initializer.Count} initializers changed with the seed");
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private SortedDictionary<string, byte[]> Write(string name, int seed)
    {
        var folder = Path.Combine(_root, name);
        var files = TinyModelWriter.WriteAll(folder, seed);
        var onDisk = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        Assert.Equal(onDisk.Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));
        return new SortedDictionary<string, byte[]>(
            files.ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes),
            StringComparer.Ordinal);
    }
}
