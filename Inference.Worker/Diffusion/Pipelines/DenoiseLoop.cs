using System.Numerics.Tensors;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Schedulers;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Heurist.Inference.Worker.Diffusion.Pipelines;

/// <summary>
/// What a pipeline's denoiser takes for one job: the graph, its latent input and output, the constants computed once
/// (text embeddings, pooled embeddings, time ids, position ids), the timestep input (divided by
/// <see cref="TimestepDivisor"/>: Flux counts time in [0, 1]), and classifier-free guidance, which runs the graph at
/// batch 2 on [uncond, cond].
/// </summary>
internal sealed record DenoiserCall(
    ModelGraph Graph,
    string SampleInput,
    long[] LatentShape,
    string Output,
    double? Guidance,
    string TimestepInput,
    double TimestepDivisor,
    IReadOnlyDictionary<string, NamedTensor> Constants)
{
    public int Batch => Guidance is null ? 1 : 2;

    public long[] SampleShape => [Batch, .. LatentShape[1..]];

    public int LatentLength => (int)LatentShape.Aggregate(1L, (a, b) => a * b);

    /// <summary>A scalar, or one value per batch item (or a fixed count), as the graph declares it.</summary>
    public long[] TimestepShape
    {
        get
        {
            var dimensions = Graph.InputDimensions(TimestepInput);
            return dimensions.Length == 0 ? [] : [dimensions[0] > 0 ? dimensions[0] : Batch];
        }
    }

    public float TimestepValue(double timestep) => (float)(timestep / TimestepDivisor);

    /// <summary>What must match for a loop's buffers to serve another job: shapes and element types, not values.</summary>
    public string BufferKey(StepForm form)
        => string.Join(';', [
            $"{SampleInput}:{string.Join('x', SampleShape)}", $"{Output}", $"{TimestepInput}:{string.Join('x', TimestepShape)}", form.ToString(),
            .. Constants.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}:{string.Join('x', c.Value.Shape)}")]);
}

/// <summary>
/// The denoising loop's tensors and its two operations, the denoiser run and the scheduler step, in one of the
/// <see cref="DenoiseBinding"/> ways. A loop keeps its buffers between jobs of the same shapes (<see cref="Load"/>), so
/// a worker rendering job after job allocates none per step and none per job.
/// </summary>
internal abstract class DenoiseLoop : IDisposable
{
    protected DenoiseLoop(DenoiserCall call, StepForm form)
    {
        Call = call;
        Form = form;
    }

    protected DenoiserCall Call { get; private set; }

    protected StepForm Form { get; }

    protected int Length => Call.LatentLength;

    public static DenoiseLoop Create(DenoiseBinding binding, DenoiserCall call, StepForm form, DeviceMemory memory) => binding switch
    {
        DenoiseBinding.Unbound => new UnboundDenoiseLoop(call, form),
        DenoiseBinding.HostMemory => new HostBoundDenoiseLoop(call, form),
        DenoiseBinding.DeviceMemory => new DeviceBoundDenoiseLoop(call, form, memory),
        _ => throw new ArgumentOutOfRangeException(nameof(binding), binding, "Resolve Auto first."),
    };

    /// <summary>Takes another job's call with the same <see cref="DenoiserCall.BufferKey"/>: its constants and guidance.</summary>
    public virtual void Load(DenoiserCall call) => Call = call;

    /// <summary>Sets the latents and the denoiser's first input (the latents × <paramref name="inputScale"/>).</summary>
    public abstract void Start(ReadOnlySpan<float> latents, float inputScale);

    /// <summary>
    /// One step: the denoiser at <paramref name="timestep"/>, guidance, the scheduler step with <paramref name="k"/>
    /// (reading <paramref name="noise"/> when the form adds noise), and the next input (× <paramref name="nextInputScale"/>).
    /// </summary>
    public abstract void Step(double timestep, in StepCoefficients k, float[] noise, float nextInputScale);

    /// <summary>Copies the latents to the host: for a preview, and for the decoder at the end.</summary>
    public abstract void CopyLatents(float[] destination);

    public abstract void Dispose();

    /// <summary>The step's timestep in every slot of the host buffers bound to it (float, or rounded for int64 graphs).</summary>
    protected void FillTimestep(double timestep, float[] floats, long[]? longs)
    {
        Array.Fill(floats, Call.TimestepValue(timestep));
        if (longs is not null)
        {
            Array.Fill(longs, (long)Math.Round(floats[0]));
        }
    }

    /// <summary>The denoiser's input on the host: the scaled latents in every batch slot.</summary>
    protected void FillInput(ReadOnlySpan<float> latents, float scale, Span<float> input)
    {
        TensorPrimitives.Multiply(latents, scale, input[..Length]);
        for (var b = 1; b < Call.Batch; b++)
        {
            input[..Length].CopyTo(input.Slice(b * Length, Length));
        }
    }
}

/// <summary>Plain session runs on host arrays, converting to and from the graph's element types on the host: the reference.</summary>
internal sealed class UnboundDenoiseLoop(DenoiserCall call, StepForm form) : DenoiseLoop(call, form)
{
    private readonly float[] _latents = new float[call.LatentLength];
    private readonly float[] _input = new float[call.LatentLength * call.Batch];
    private readonly float[] _guided = new float[call.LatentLength];
    private readonly float[] _scratch = new float[3 * call.LatentLength];

    public override void Start(ReadOnlySpan<float> latents, float inputScale)
    {
        latents.CopyTo(_latents);
        FillInput(_latents, inputScale, _input);
    }

    public override void Step(double timestep, in StepCoefficients k, float[] noise, float nextInputScale)
    {
        var time = Call.TimestepShape;
        var inputs = new Dictionary<string, NamedTensor>(Call.Constants, StringComparer.Ordinal)
        {
            [Call.SampleInput] = NamedTensor.OfFloats(_input, Call.SampleShape),
            [Call.TimestepInput] = NamedTensor.OfFloats([.. Enumerable.Repeat(Call.TimestepValue(timestep), time.Length == 0 ? 1 : (int)time[0])], time),
        };
        var output = Call.Graph.Run(inputs, [Call.Output])[Call.Output].FloatsOrThrow(Call.Output);
        ReadOnlySpan<float> prediction = output;
        if (Call.Guidance is { } guidance)
        {
            LatentStep.Guide(output, (float)guidance, _guided);
            prediction = _guided;
        }
        LatentStep.Apply(Form, k, _latents, prediction, noise, _scratch);
        FillInput(_latents, nextInputScale, _input);
    }

    public override void CopyLatents(float[] destination) => _latents.CopyTo(destination, 0);

    public override void Dispose()
    {
        // Host arrays only.
    }
}

/// <summary>An IOBinding over host arrays, the scheduler step on the host: for float32 denoisers on the CPU.</summary>
internal sealed class HostBoundDenoiseLoop : DenoiseLoop
{
    private readonly float[] _latents;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly float[] _guided;
    private readonly float[] _scratch;
    private readonly float[] _time;
    private readonly long[]? _longTime;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly List<OrtValue> _values = [];
    private readonly List<OrtValue> _constants = [];

    public HostBoundDenoiseLoop(DenoiserCall call, StepForm form) : base(call, form)
    {
        var graph = call.Graph;
        if (graph.InputType(call.SampleInput) != TensorElementType.Float || graph.OutputType(call.Output) != TensorElementType.Float)
        {
            throw new InvalidOperationException($"{graph.Component} is not a float32 graph: bind it in device memory, where it is cast there.");
        }
        _latents = new float[Length];
        _input = new float[Length * call.Batch];
        _output = new float[Length * call.Batch];
        _guided = new float[Length];
        _scratch = new float[3 * Length];
        var timeShape = call.TimestepShape;
        _time = new float[timeShape.Length == 0 ? 1 : (int)timeShape[0]];
        _binding = graph.Session.CreateIoBinding();
        _binding.BindInput(call.SampleInput, Keep(OrtValue.CreateTensorValueFromMemory(_input, call.SampleShape)));
        _binding.BindOutput(call.Output, Keep(OrtValue.CreateTensorValueFromMemory(_output, call.SampleShape)));
        switch (graph.InputType(call.TimestepInput))
        {
            case TensorElementType.Float:
                _binding.BindInput(call.TimestepInput, Keep(OrtValue.CreateTensorValueFromMemory(_time, timeShape)));
                break;
            case TensorElementType.Int64:
                _longTime = new long[_time.Length];
                _binding.BindInput(call.TimestepInput, Keep(OrtValue.CreateTensorValueFromMemory(_longTime, timeShape)));
                break;
            default:
                throw new ModelInterfaceException($"{graph.Component}/{Path.GetFileName(graph.Path)} input '{call.TimestepInput}' is {graph.InputType(call.TimestepInput)}; a float32 denoiser on the host takes a float32 or int64 timestep.");
        }
        Load(call);
    }

    public override void Load(DenoiserCall call)
    {
        base.Load(call);
        foreach (var value in _constants)
        {
            value.Dispose();
        }
        _constants.Clear();
        foreach (var (name, tensor) in call.Constants)
        {
            var value = call.Graph.ToOrtValue(name, tensor, call.Graph.InputType(name));
            _constants.Add(value);
            _binding.BindInput(name, value);
        }
    }

    public override void Start(ReadOnlySpan<float> latents, float inputScale)
    {
        latents.CopyTo(_latents);
        FillInput(_latents, inputScale, _input);
    }

    public override void Step(double timestep, in StepCoefficients k, float[] noise, float nextInputScale)
    {
        FillTimestep(timestep, _time, _longTime);
        Call.Graph.Session.RunWithBinding(_runOptions, _binding);
        ReadOnlySpan<float> prediction = _output;
        if (Call.Guidance is { } guidance)
        {
            LatentStep.Guide(_output, (float)guidance, _guided);
            prediction = _guided;
        }
        LatentStep.Apply(Form, k, _latents, prediction, noise, _scratch);
        FillInput(_latents, nextInputScale, _input);
    }

    public override void CopyLatents(float[] destination) => _latents.CopyTo(destination, 0);

    public override void Dispose()
    {
        _binding.Dispose();
        foreach (var value in _values.Concat(_constants))
        {
            value.Dispose();
        }
        _runOptions.Dispose();
    }

    private OrtValue Keep(OrtValue value)
    {
        _values.Add(value);
        return value;
    }
}

/// <summary>
/// An IOBinding over tensors in the session's device memory: the constants are copied there once per job, the
/// latents stay there (two buffers, stepped from one into the other), the scheduler step and guidance run there as an
/// ONNX graph (<see cref="LatentStepGraph"/>) that also writes the denoiser's next input in its element type, and only
/// the timestep, the step's coefficients and its noise go up each step. The latents come down only when asked
/// (<see cref="CopyLatents"/>: a preview, the decoder).
/// </summary>
internal sealed class DeviceBoundDenoiseLoop : DenoiseLoop
{
    private static int s_graphIds;

    private readonly DeviceMemory _memory;
    private readonly List<OrtValue> _values = [];
    private readonly Dictionary<string, OrtValue> _constants = new(StringComparer.Ordinal);
    private readonly OrtValue _latentsA;
    private readonly OrtValue _latentsB;
    private readonly float[] _staging;
    private readonly OrtValue _stagingValue;
    private readonly float[] _time;
    private readonly long[]? _longTime;
    private readonly float[] _coefficients = new float[LatentStepGraph.Coefficients];
    private readonly float[]? _noise;
    private readonly OrtIoBinding _denoiser;
    private readonly RunOptions _denoiserRun = new();
    private readonly DeviceMemory.BoundCopy _timeCopy;
    private readonly InferenceSession _stepSession;
    private readonly InferenceSession _startSession;
    private readonly OrtIoBinding _stepFromA;
    private readonly OrtIoBinding _stepFromB;
    private readonly OrtIoBinding _start;
    private bool _currentIsA = true;

    public DeviceBoundDenoiseLoop(DenoiserCall call, StepForm form, DeviceMemory memory) : base(call, form)
    {
        _memory = memory;
        var graph = call.Graph;
        var inputType = graph.InputType(call.SampleInput);
        var outputType = graph.OutputType(call.Output);
        var input = Keep(memory.Allocate(inputType, call.SampleShape));
        var output = Keep(memory.Allocate(outputType, call.SampleShape));
        _latentsA = Keep(memory.Allocate(TensorElementType.Float, call.LatentShape));
        _latentsB = Keep(memory.Allocate(TensorElementType.Float, call.LatentShape));
        _staging = new float[Length];
        _stagingValue = Keep(OrtValue.CreateTensorValueFromMemory(_staging, call.LatentShape));

        var timeShape = call.TimestepShape;
        var timeType = graph.InputType(call.TimestepInput);
        _time = new float[timeShape.Length == 0 ? 1 : (int)timeShape[0]];
        var time = Keep(memory.Allocate(timeType, timeShape));
        OrtValue hostTime;
        if (timeType is TensorElementType.Float or TensorElementType.Float16)
        {
            // A float16 timestep is cast on the device, like every float16 input.
            hostTime = Keep(OrtValue.CreateTensorValueFromMemory(_time, timeShape));
        }
        else if (timeType == TensorElementType.Int64)
        {
            _longTime = new long[_time.Length];
            hostTime = Keep(OrtValue.CreateTensorValueFromMemory(_longTime, timeShape));
        }
        else
        {
            throw new ModelInterfaceException($"{graph.Component}/{Path.GetFileName(graph.Path)} input '{call.TimestepInput}' is {timeType}; the denoiser's timestep must be float32, float16 or int64.");
        }
        _timeCopy = memory.Copy(hostTime, time);

        _denoiser = graph.Session.CreateIoBinding();
        _denoiser.BindInput(call.SampleInput, input);
        _denoiser.BindInput(call.TimestepInput, time);
        _denoiser.BindOutput(call.Output, output);
        if (memory.Device.UsesCuda && memory.Device.Cuda.Graph)
        {
            // Each loop keeps its buffers for good, so the graph ONNX Runtime captures on its first run stays valid.
            _denoiserRun.AddRunConfigEntry("gpu_graph_id", Interlocked.Increment(ref s_graphIds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var coefficients = Keep(OrtValue.CreateTensorValueFromMemory(_coefficients, [LatentStepGraph.Coefficients]));
        var shape = new LatentStepGraph(form, call.Guidance is not null, outputType, inputType, call.SampleShape, call.LatentShape);
        _stepSession = memory.Session(shape.Key, shape.StepModel);
        _startSession = memory.Session(shape.Key + ";start", shape.StartModel);
        OrtValue? noise = null;
        if (form.AddsNoise)
        {
            _noise = new float[Length];
            noise = Keep(OrtValue.CreateTensorValueFromMemory(_noise, call.LatentShape));
        }
        _stepFromA = BindStep(_latentsA, _latentsB);
        _stepFromB = BindStep(_latentsB, _latentsA);
        _start = _startSession.CreateIoBinding();
        _start.BindInput(LatentStepGraph.Latents, _latentsA);
        _start.BindInput(LatentStepGraph.CoefficientsInput, coefficients);
        _start.BindOutput(LatentStepGraph.DenoiserInput, input);
        Load(call);

        OrtIoBinding BindStep(OrtValue from, OrtValue to)
        {
            var binding = _stepSession.CreateIoBinding();
            binding.BindInput(LatentStepGraph.Prediction, output);
            binding.BindInput(LatentStepGraph.Latents, from);
            binding.BindInput(LatentStepGraph.CoefficientsInput, coefficients);
            if (noise is not null)
            {
                binding.BindInput(LatentStepGraph.Noise, noise);
            }
            binding.BindOutput(LatentStepGraph.NextLatents, to);
            binding.BindOutput(LatentStepGraph.DenoiserInput, input);
            return binding;
        }
    }

    /// <summary>Copies this job's constants into the device buffers the denoiser is bound to (allocated by the first job).</summary>
    public override void Load(DenoiserCall call)
    {
        base.Load(call);
        foreach (var (name, tensor) in call.Constants)
        {
            var type = call.Graph.InputType(name);
            if (!_constants.TryGetValue(name, out var buffer))
            {
                buffer = Keep(_memory.Allocate(type, tensor.Shape));
                _constants[name] = buffer;
                _denoiser.BindInput(name, buffer);
            }
            // Floats go up as float32 and are cast on the device; integer ids are converted on the host, exactly.
            using var host = tensor.Floats is { } floats
                ? OrtValue.CreateTensorValueFromMemory(floats, tensor.Shape)
                : call.Graph.ToOrtValue(name, tensor, type);
            _memory.CopyOnce(host, buffer);
        }
    }

    public override void Start(ReadOnlySpan<float> latents, float inputScale)
    {
        latents.CopyTo(_staging);
        _memory.CopyOnce(_stagingValue, _latentsA);
        _currentIsA = true;
        _coefficients[LatentStepGraph.InputScale] = inputScale;
        _startSession.RunWithBinding(_memory.RunOptions, _start);
    }

    public override void Step(double timestep, in StepCoefficients k, float[] noise, float nextInputScale)
    {
        FillTimestep(timestep, _time, _longTime);
        _timeCopy.Run();
        Call.Graph.Session.RunWithBinding(_denoiserRun, _denoiser);
        LatentStepGraph.Write(k, nextInputScale, Call.Guidance, _coefficients);
        if (_noise is not null)
        {
            noise.AsSpan(0, Length).CopyTo(_noise);
        }
        _stepSession.RunWithBinding(_memory.RunOptions, _currentIsA ? _stepFromA : _stepFromB);
        _currentIsA = !_currentIsA;
    }

    public override void CopyLatents(float[] destination)
    {
        using var host = OrtValue.CreateTensorValueFromMemory(destination, Call.LatentShape);
        _memory.CopyOnce(_currentIsA ? _latentsA : _latentsB, host);
    }

    public override void Dispose()
    {
        foreach (var binding in new[] { _denoiser, _stepFromA, _stepFromB, _start })
        {
            binding.Dispose();
        }
        _timeCopy.Dispose();
        foreach (var value in _values)
        {
            value.Dispose();
        }
        _denoiserRun.Dispose();
    }

    private OrtValue Keep(OrtValue value)
    {
        _values.Add(value);
        return value;
    }
}
