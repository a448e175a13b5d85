using Microsoft.ML.OnnxRuntime;

namespace Heurist.TinyModels.Tests;

/// <summary>A graph input: its name, its data (float[], int[] or long[]) and its shape.</summary>
public sealed record NamedTensor(string Name, Array Data, long[] Shape)
{
    public OrtValue ToOrtValue() => Data switch
    {
        float[] f => OrtValue.CreateTensorValueFromMemory(f, Shape),
        int[] i => OrtValue.CreateTensorValueFromMemory(i, Shape),
        long[] l => OrtValue.CreateTensorValueFromMemory(l, Shape),
        _ => throw new NotSupportedException(Data.GetType().Name),
    };

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
                p => new RunOutput(p.Second.GetTensorDataAsSpan<float>().ToArray(), p.Second.GetTensorTypeAndShape().Shape),
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
}
