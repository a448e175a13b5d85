namespace Heurist.Inference.Worker.Diffusion.Onnx;

/// <summary>A tensor on the host: float32 or integer data in row-major order, with its shape.</summary>
public sealed class NamedTensor
{
    private NamedTensor(long[] shape, float[]? floats, long[]? integers)
    {
        Shape = shape;
        Floats = floats;
        Integers = integers;
        var expected = shape.Aggregate(1L, (a, b) => a * b);
        var actual = floats?.LongLength ?? integers!.LongLength;
        if (expected != actual)
        {
            throw new ArgumentException($"A tensor of shape [{string.Join(", ", shape)}] holds {expected} values, not {actual}.");
        }
    }

    public long[] Shape { get; }

    /// <summary>The values of a floating-point tensor (float16 graphs get them converted).</summary>
    public float[]? Floats { get; }

    /// <summary>The values of an integer tensor (int32 graphs get them narrowed).</summary>
    public long[]? Integers { get; }

    public static NamedTensor OfFloats(float[] values, params long[] shape) => new(shape, values, null);

    public static NamedTensor OfIntegers(long[] values, params long[] shape) => new(shape, null, values);

    public float[] FloatsOrThrow(string what)
        => Floats ?? throw new InvalidOperationException($"{what} is an integer tensor where floats were expected.");
}
