using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Heurist.Inference.Worker.Diffusion.Onnx;

/// <summary>A graph's interface is not what a pipeline needs: says which file and which input or output.</summary>
public sealed class ModelInterfaceException(string message) : Exception(message);

/// <summary>
/// One ONNX graph of a model folder (a text encoder, the UNet, the VAE decoder…), loaded once into an
/// <see cref="InferenceSession"/>. Inputs and outputs are bound by name from the graph's metadata, converted to the
/// element type the graph declares (float16 or float32, int32 or int64), and a missing name is a clear error.
/// </summary>
public sealed class ModelGraph : IDisposable
{
    private readonly InferenceSession _session;

    public ModelGraph(string path, SessionOptions options, string component)
    {
        ArgumentNullException.ThrowIfNull(options);
        Path = path;
        Component = component;
        _session = new InferenceSession(path, options);
    }

    /// <summary>The file, for error messages and hashes.</summary>
    public string Path { get; }

    /// <summary>The folder the graph came from: "unet", "text_encoder_2"…</summary>
    public string Component { get; }

    public IReadOnlyCollection<string> InputNames => [.. _session.InputMetadata.Keys];

    public IReadOnlyCollection<string> OutputNames => [.. _session.OutputMetadata.Keys];

    public bool HasInput(string name) => _session.InputMetadata.ContainsKey(name);

    /// <summary>The session, for the denoising loops that bind it (see Pipelines/DenoiseLoop).</summary>
    internal InferenceSession Session => _session;

    /// <summary>The element type an input is declared with.</summary>
    public TensorElementType InputType(string name) => _session.InputMetadata[name].ElementDataType;

    /// <summary>The element type an output is declared with.</summary>
    public TensorElementType OutputType(string name) => _session.OutputMetadata[name].ElementDataType;

    /// <summary>Whether the graph takes or gives float16 tensors anywhere: an fp16 export.</summary>
    public bool IsFloat16 => _session.InputMetadata.Values.Concat(_session.OutputMetadata.Values).Any(m => m.ElementDataType == TensorElementType.Float16);

    public bool HasOutput(string name) => _session.OutputMetadata.ContainsKey(name);

    /// <summary>Fails with a message naming the file when the graph lacks an input or output a pipeline relies on.</summary>
    public ModelGraph Require(IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        if (MissingNamesMessage(Component, System.IO.Path.GetFileName(Path), InputNames, OutputNames, inputs, outputs) is { } message)
        {
            throw new ModelInterfaceException(message);
        }
        return this;
    }

    /// <summary>
    /// The message Require fails with, or null when the graph has every required name. Shared with
    /// <c>models check</c>, which reads the names from the file without loading the graph, so both say the same.
    /// </summary>
    public static string? MissingNamesMessage(
        string component, string fileName, IReadOnlyCollection<string> inputNames, IReadOnlyCollection<string> outputNames,
        IEnumerable<string> requiredInputs, IEnumerable<string> requiredOutputs)
    {
        ArgumentNullException.ThrowIfNull(inputNames);
        ArgumentNullException.ThrowIfNull(outputNames);
        ArgumentNullException.ThrowIfNull(requiredInputs);
        ArgumentNullException.ThrowIfNull(requiredOutputs);
        var missingInputs = requiredInputs.Where(i => !inputNames.Contains(i)).ToList();
        var missingOutputs = requiredOutputs.Where(o => !outputNames.Contains(o)).ToList();
        if (missingInputs.Count == 0 && missingOutputs.Count == 0)
        {
            return null;
        }
        var what = string.Join("; ", new[]
        {
            missingInputs.Count > 0 ? $"no input {string.Join(", ", missingInputs.Select(n => $"'{n}'"))} (it has {string.Join(", ", inputNames)})" : null,
            missingOutputs.Count > 0 ? $"no output {string.Join(", ", missingOutputs.Select(n => $"'{n}'"))} (it has {string.Join(", ", outputNames)})" : null,
        }.OfType<string>());
        return $"{component}/{fileName} has {what}.";
    }

    /// <summary>Requires the names a pipeline declares for this graph (see ModelInterfaces).</summary>
    public ModelGraph Require(Models.GraphInterface declared)
    {
        ArgumentNullException.ThrowIfNull(declared);
        return Require(declared.InputNames, declared.OutputNames);
    }

    /// <summary>The declared rank of an input (the number of dimensions), for inputs that differ between exports.</summary>
    public int InputRank(string name) => _session.InputMetadata[name].Dimensions.Length;

    /// <summary>The declared size of each dimension of an input; −1 where it is symbolic (dynamic).</summary>
    public int[] InputDimensions(string name) => [.. _session.InputMetadata[name].Dimensions];

    /// <summary>Runs the graph and returns the requested outputs as float32 host tensors.</summary>
    public IReadOnlyDictionary<string, NamedTensor> Run(IReadOnlyDictionary<string, NamedTensor> inputs, IReadOnlyList<string> outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        var names = new List<string>(inputs.Count);
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (var (name, tensor) in inputs)
            {
                if (!_session.InputMetadata.TryGetValue(name, out var metadata))
                {
                    throw new ModelInterfaceException($"{Component}/{System.IO.Path.GetFileName(Path)} has no input '{name}' (it has {string.Join(", ", InputNames)}).");
                }
                names.Add(name);
                values.Add(ToOrtValue(name, tensor, metadata.ElementDataType));
            }
            using var runOptions = new RunOptions();
            using var results = _session.Run(runOptions, names, values, outputs);
            var read = new Dictionary<string, NamedTensor>(StringComparer.Ordinal);
            for (var i = 0; i < outputs.Count; i++)
            {
                read[outputs[i]] = FromOrtValue(outputs[i], results[i]);
            }
            return read;
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs the graph once with its output written straight into <paramref name="destination"/> (the decoded image:
    /// megabytes that would otherwise be allocated by ONNX Runtime, copied, and left to the garbage collector).
    /// </summary>
    public void RunInto(IReadOnlyDictionary<string, NamedTensor> inputs, string output, Memory<float> destination, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(shape);
        if (_session.OutputMetadata[output].ElementDataType != TensorElementType.Float)
        {
            // A float16 graph: ONNX Runtime cannot write into float32 memory, so convert its output.
            var values = Run(inputs, [output])[output].FloatsOrThrow($"{Component} {output}");
            if (values.Length != destination.Length)
            {
                throw new ModelInterfaceException($"{Component}/{System.IO.Path.GetFileName(Path)} output '{output}' has {values.Length} values; {destination.Length} were expected.");
            }
            values.CopyTo(destination);
            return;
        }
        using var run = Bind(inputs, output, destination, shape);
        run.Run();
    }

    /// <summary>
    /// Binds inputs and one float32 output to this graph once, for a graph run many times with buffers updated in
    /// place (the denoiser, every step): float32 inputs and the output are used where they are, with no copy;
    /// inputs of other element types are converted again on <see cref="BoundRun.Refresh"/>.
    /// </summary>
    public BoundRun Bind(IReadOnlyDictionary<string, NamedTensor> inputs, string output, Memory<float> destination, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (_session.OutputMetadata[output].ElementDataType != TensorElementType.Float)
        {
            throw new ModelInterfaceException($"{Component}/{System.IO.Path.GetFileName(Path)} output '{output}' is {_session.OutputMetadata[output].ElementDataType}; the denoising loop binds float32 outputs.");
        }
        var run = new BoundRun(_session, output, OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, destination, shape));
        foreach (var (name, tensor) in inputs)
        {
            if (!_session.InputMetadata.TryGetValue(name, out var metadata))
            {
                run.Dispose();
                throw new ModelInterfaceException($"{Component}/{System.IO.Path.GetFileName(Path)} has no input '{name}' (it has {string.Join(", ", InputNames)}).");
            }
            run.Add(name, tensor, metadata.ElementDataType, this);
        }
        return run;
    }

    /// <summary>A graph with its inputs and output bound to buffers; see <see cref="Bind"/>.</summary>
    public sealed class BoundRun : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly string _output;
        private readonly OrtValue _outputValue;
        private readonly RunOptions _runOptions = new();
        private readonly List<string> _names = [];
        private readonly List<OrtValue> _values = [];
        private readonly Dictionary<string, Action> _refresh = new(StringComparer.Ordinal);

        internal BoundRun(InferenceSession session, string output, OrtValue outputValue)
        {
            _session = session;
            _output = output;
            _outputValue = outputValue;
        }

        internal void Add(string name, NamedTensor tensor, TensorElementType type, ModelGraph graph)
        {
            _names.Add(name);
            switch (type)
            {
                case TensorElementType.Float when tensor.Floats is { } floats:
                    _values.Add(OrtValue.CreateTensorValueFromMemory(floats, tensor.Shape));
                    break;
                case TensorElementType.Int64 when tensor.Integers is { } integers:
                    _values.Add(OrtValue.CreateTensorValueFromMemory(integers, tensor.Shape));
                    break;
                case TensorElementType.Int64 when tensor.Floats is { } source:
                    var longs = new long[source.Length];
                    _values.Add(OrtValue.CreateTensorValueFromMemory(longs, tensor.Shape));
                    _refresh[name] = () => { for (var i = 0; i < source.Length; i++) { longs[i] = (long)Math.Round(source[i]); } };
                    break;
                case TensorElementType.Float16 when tensor.Floats is { } halfSource:
                    var halves = new Float16[halfSource.Length];
                    _values.Add(OrtValue.CreateTensorValueFromMemory(halves, tensor.Shape));
                    _refresh[name] = () => { for (var i = 0; i < halfSource.Length; i++) { halves[i] = (Float16)halfSource[i]; } };
                    break;
                default:
                    // Constant inputs of other types (int32 ids…) are converted once.
                    _values.Add(graph.ToOrtValue(name, tensor, type));
                    break;
            }
            Refresh(name);
        }

        /// <summary>Converts an input again after its source buffer changed (for inputs the graph takes in another element type).</summary>
        public void Refresh(string name)
        {
            if (_refresh.TryGetValue(name, out var refresh))
            {
                refresh();
            }
        }

        /// <summary>Runs the graph; the output buffer holds the result afterwards.</summary>
        public void Run()
        {
            _session.Run(_runOptions, _names, _values, [_output], [_outputValue]);
        }

        public void Dispose()
        {
            foreach (var value in _values)
            {
                value.Dispose();
            }
            _outputValue.Dispose();
            _runOptions.Dispose();
        }
    }

    internal OrtValue ToOrtValue(string name, NamedTensor tensor, TensorElementType type) => type switch
    {
        TensorElementType.Float => OrtValue.CreateTensorValueFromMemory(tensor.Floats ?? tensor.Integers!.Select(v => (float)v).ToArray(), tensor.Shape),
        TensorElementType.Float16 => OrtValue.CreateTensorValueFromMemory(
            (tensor.Floats ?? tensor.Integers!.Select(v => (float)v).ToArray()).Select(v => (Float16)v).ToArray(), tensor.Shape),
        TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(tensor.Integers ?? tensor.Floats!.Select(v => (long)Math.Round(v)).ToArray(), tensor.Shape),
        TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(
            (tensor.Integers ?? tensor.Floats!.Select(v => (long)Math.Round(v)).ToArray()).Select(v => checked((int)v)).ToArray(), tensor.Shape),
        _ => throw new ModelInterfaceException($"{Component}/{System.IO.Path.GetFileName(Path)} input '{name}' is {type}; only float32, float16, int32 and int64 inputs are supported."),
    };

    private NamedTensor FromOrtValue(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        return info.ElementDataType switch
        {
            TensorElementType.Float => NamedTensor.OfFloats(value.GetTensorDataAsSpan<float>().ToArray(), shape),
            TensorElementType.Float16 => NamedTensor.OfFloats(Widen(value.GetTensorDataAsSpan<Float16>()), shape),
            _ => throw new ModelInterfaceException($"{Component}/{System.IO.Path.GetFileName(Path)} output '{name}' is {info.ElementDataType}; a float tensor was expected."),
        };
    }

    private static float[] Widen(ReadOnlySpan<Float16> halves)
    {
        var floats = new float[halves.Length];
        for (var i = 0; i < halves.Length; i++)
        {
            floats[i] = (float)halves[i];
        }
        return floats;
    }

    public void Dispose() => _session.Dispose();
}
