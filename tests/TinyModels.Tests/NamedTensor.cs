using Microsoft.ML.OnnxRuntime;

namespace Heurist.TinyModels.Tests;

/// <summary>A graph input: its name, its data (float[], int[], long[], or Float16[] for an fp16 graph) and its shape.</summary>
public sealed record NamedTensor(string Name, Array Data, long[] Shape)
{
    public OrtValue ToOrtValue() => Data switch
    {
        float[] f => OrtValue.CreateTensorValueFromMemory(f, Shape),
        int[] i => OrtValue.CreateTensorValueFromMemory(i, Shape),
        long[] l => OrtValue.CreateTensorValueFromMemory(l, Shape),
        Float16[] h => OrtValue.CreateTensorValueFromMemory(h, Shape),
        _ => throw new NotSupportedException(Data.GetType().Name),
    };

    /// <summary>A float tensor with every value rounded to the nearest float16 and kept as float32; others as they are.</summary>
    public NamedTensor RoundedToFloat16() => Data is float[] f ? this with { Data = f.Select(v => (float)(Half)v).ToArray() } : this;

    /// <summary>A float tensor as float16 (each value rounded to the nearest), for an fp16 graph's input; others as they are.</summary>
    public NamedTensor AsFloat16() => Data is float[] f
        ? this with { Data = f.Select(v => new Float16(BitConverter.HalfToUInt16Bits((Half)v))).ToArray() }
        : this;

    /// <summary>
    /// The same input, changed the way a user's choice changes it: a float tensor moves by 0.25
    /// everywhere (another noise, timestep, guidance, size), an integer one gets one element raised by
    /// one (another prompt token, another timestep).
    /// </summary>
    public NamedTensor Changed() => this with
    {
        Data = Data switch
        {
            float[] f => f.Select(v => v + 0.25f).ToArray(),
            int[] i => Bump(i, v => v + 1),
            long[] l => Bump(l, v => v + 1),
            _ => throw new NotSupportedException(Data.GetType().Name),
        },
    };

    private static T[] Bump<T>(T[] values, Func<T, T> change)
    {
        var copy = (T[])values.Clone();
        var at = Math.Min(1, copy.Length - 1);
        copy[at] = change(copy[at]);
        return copy;
    }
}

/// <summary>One output of a run: its data and shape.</summary>
public sealed record RunOutput(float[] Data, long[] Shape);

public static class Runs
{
    /// <summary>Runs the session on <paramref name="inputs"/>, bound by name, and reads every output.</summary>
    public static IReadOnlyDictionary<string, RunOutput> Run(this InferenceSession session, IReadOnlyList<NamedTensor> inputs)
    {
        var values = inputs.Select(i => i.ToOrtValue()).ToList();
        try
        {
            using var options = new RunOptions();
            using var outputs = session.Run(options, inputs.Select(i => i.Name).ToList(), values, session.OutputNames);
            return session.OutputNames.Zip(outputs).ToDictionary(
                p => p.First,
                p => new RunOutput(ReadFloats(p.Second), p.Second.GetTensorTypeAndShape().Shape),
                StringComparer.Ordinal);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    // An fp16 graph's outputs are widened here, so every test compares float32 values.
    private static float[] ReadFloats(OrtValue value)
        => value.GetTensorTypeAndShape().ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16
            ? value.GetTensorDataAsSpan<Float16>().ToArray().Select(h => h.ToFloat()).ToArray()
            : value.GetTensorDataAsSpan<float>().ToArray();
}
