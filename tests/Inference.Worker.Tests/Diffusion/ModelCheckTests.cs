using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf;
using Heurist.Inference.Worker.Device;
using Heurist.Inference.Worker.Diffusion.Models;
using Heurist.Inference.Worker.Diffusion.Onnx;
using Heurist.Inference.Worker.Diffusion.Pipelines;
using Heurist.Protocol.Miners;
using Heurist.Protocol.Models;
using Heurist.Testing;
using Heurist.TinyModels.Onnx;
using Microsoft.ML.OnnxRuntime;
using DataType = Heurist.TinyModels.Onnx.TensorProto.Types.DataType;

namespace Heurist.Inference.Worker.Tests.Diffusion;

public sealed class ModelCheckTests(TinyModelsFixture tiny) : IDisposable
{
    private static readonly ModelCatalog Catalog = ModelCatalog.CreateDefault();
    private static readonly InferenceDevice Cpu = new(new DeviceInfo("test CPU", DeviceKind.Cpu, 8L << 30), cpuThreads: 2);

    private readonly string _scratch = Path.Combine(Path.GetTempPath(), $"heurist-model-check-{Guid.NewGuid():N}");

    [Fact]
    public void Every_tiny_model_in_a_models_folder_passes_with_exit_code_0()
    {
        var (exitCode, output) = Check(tiny.Folder);

        Assert.Equal(ModelCheckCommand.Ok, exitCode);
        Assert.Equal(["flux-dev: OK (fp32, 4 graphs)", "sd15: OK (fp32, 3 graphs)", "sdxl: OK (fp32, 4 graphs)"], Verdicts(output));
        var unetHash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(tiny.ModelFolder("sd15"), "unet", "model.onnx"))));
        Assert.Matches($@"\n    unet/model\.onnx +\d+\.\d KiB  {unetHash}\n", output);
        Assert.Matches(@"\n    in   timestep +int64 +\[steps\] +✓ float32, float16 or int64\n", output);
        Assert.Matches(@"\n    out  hidden_states\.1 +float32 +\[batch, sequence, 48\] +✓ float32 or float16, 3 dimensions\n", output);
        Assert.Matches(@"\n    in   img_ids +float32 +\[image_sequence, 3\] +✓ float32 or float16, 2 dimensions\n", output);
        Assert.DoesNotContain("✗", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sd15", "StableDiffusion15")]
    [InlineData("sdxl", "StableDiffusionXl")]
    [InlineData("flux-dev", "Flux")]
    public void One_model_folder_is_checked_on_its_own(string modelId, string pipeline)
    {
        var (exitCode, output) = Check(tiny.ModelFolder(modelId));

        Assert.Equal(ModelCheckCommand.Ok, exitCode);
        Assert.StartsWith($"{modelId}: OK (fp32, ", Assert.Single(Verdicts(output)), StringComparison.Ordinal);
        Assert.Contains($"  pipeline  {pipeline} (heurist-model.json, a demo model)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sd15", 3)]
    [InlineData("sdxl", 4)]
    [InlineData("flux-dev", 4)]
    public void An_fp16_export_passes_as_fp16(string modelId, int graphs)
    {
        var (exitCode, output) = Check(tiny.Fp16ModelFolder(modelId));

        Assert.Equal(ModelCheckCommand.Ok, exitCode);
        Assert.Equal($"{modelId}: OK (fp16, {graphs} graphs)", Assert.Single(Verdicts(output)));
    }

    [Fact]
    public void A_missing_graph_fails_with_a_verdict_naming_the_file()
    {
        var folder = CopyOf("sd15");
        File.Delete(Path.Combine(folder, "unet", "model.onnx"));

        var (exitCode, output) = Check(folder);

        Assert.Equal(ModelCheckCommand.Fails, exitCode);
        Assert.Equal("sd15: FAILS — unet/model.onnx is missing.", Assert.Single(Verdicts(output)));
    }

    [Fact]
    public void A_renamed_input_fails_with_the_same_message_as_loading_the_pipeline()
    {
        var folder = CopyOf("sd15");
        Rewrite(Path.Combine(folder, "unet", "model.onnx"), graph => RenameValue(graph, "timestep", "timesteps"));

        var (exitCode, output) = Check(folder);

        Assert.Equal(ModelCheckCommand.Fails, exitCode);
        var verdict = Assert.Single(Verdicts(output));
        Assert.Contains("unet/model.onnx has no input 'timestep' (it has sample, timesteps, encoder_hidden_states).", verdict, StringComparison.Ordinal);
        var model = Catalog.FindImageModel("sd15")!;
        var load = Assert.Throws<ModelInterfaceException>(() => PipelineFactory.Create(ModelFolder.Inspect(folder, model), model, Cpu));
        Assert.Contains(load.Message, verdict, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text_encoder", "input_ids", DataType.Float, "float32", "int32 or int64")]
    [InlineData("unet", "sample", DataType.Int64, "int64", "float32 or float16")]
    public void An_input_of_the_wrong_element_type_fails_naming_the_input_and_both_types(
        string component, string input, DataType declared, string actual, string expected)
    {
        var folder = CopyOf("sd15");
        Rewrite(Path.Combine(folder, component, "model.onnx"), graph => graph.Input.Single(i => i.Name == input).Type.TensorType.ElemType = (int)declared);

        var (exitCode, output) = Check(folder);

        Assert.Equal(ModelCheckCommand.Fails, exitCode);
        Assert.Equal($"sd15: FAILS — {component}/model.onnx input '{input}' is {actual}; the pipeline feeds {expected}.", Assert.Single(Verdicts(output)));
        Assert.Matches($@"\n    in   {input} +{actual} .*✗ the pipeline feeds {expected}\n", output);
    }

    [Fact]
    public void An_input_the_pipeline_does_not_feed_fails_where_onnx_runtime_would_refuse_to_run()
    {
        var folder = CopyOf("sd15");
        // As an LCM UNet has timestep_cond: an input the graph adds into its sample before anything else reads it.
        Rewrite(Path.Combine(folder, "unet", "model.onnx"), graph =>
        {
            graph.Input.Add(FloatInput("timestep_cond"));
            RenameValue(graph, "sample", "conditioned_sample");
            graph.Input.Single(i => i.Name == "conditioned_sample").Name = "sample";
            graph.Node.Insert(0, new NodeProto { OpType = "Add", Input = { "sample", "timestep_cond" }, Output = { "conditioned_sample" } });
        });

        var (exitCode, output) = Check(folder);

        Assert.Equal(ModelCheckCommand.Fails, exitCode);
        Assert.Equal(
            "sd15: FAILS — unet/model.onnx input 'timestep_cond' gets no value from the pipeline, and ONNX Runtime will not run without it.",
            Assert.Single(Verdicts(output)));
        var model = Catalog.FindImageModel("sd15")!;
        var load = Assert.Throws<OnnxRuntimeException>(() => PipelineFactory.Create(ModelFolder.Inspect(folder, model), model, Cpu));
        Assert.Contains("timestep_cond", load.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_no_node_reads_needs_no_value_as_onnx_runtime_needs_none()
    {
        var folder = CopyOf("sd15");
        Rewrite(Path.Combine(folder, "unet", "model.onnx"), graph => graph.Input.Add(FloatInput("unused")));

        var (exitCode, output) = Check(folder);

        Assert.Equal(ModelCheckCommand.Ok, exitCode);
        Assert.Matches(@"\n    in   unused +float32 +\[\] +· not fed, and no node reads it\n", output);
        var model = Catalog.FindImageModel("sd15")!;
        PipelineFactory.Create(ModelFolder.Inspect(folder, model), model, Cpu).Dispose();
    }

    [Fact]
    public void External_weights_are_checked_by_the_file_the_graph_names()
    {
        var folder = CopyOf("sd15");
        var unet = Path.Combine(folder, "unet", "model.onnx");
        Rewrite(unet, graph => MoveWeightsTo(graph, Path.Combine(folder, "unet"), "model.onnx_data"));

        var (exitCode, output) = Check(folder);

        Assert.Equal(ModelCheckCommand.Ok, exitCode);
        Assert.Contains("    weights in unet/model.onnx_data  ✓", output, StringComparison.Ordinal);
        // The moved weights are real external data: ONNX Runtime loads and runs the folder.
        var model = Catalog.FindImageModel("sd15")!;
        PipelineFactory.Create(ModelFolder.Inspect(folder, model), model, Cpu).Dispose();

        File.Delete(Path.Combine(folder, "unet", "model.onnx_data"));
        (exitCode, output) = Check(folder);

        Assert.Equal(ModelCheckCommand.Fails, exitCode);
        Assert.Equal("sd15: FAILS — unet/model.onnx keeps its weights in unet/model.onnx_data, which is missing.", Assert.Single(Verdicts(output)));
    }

    [Fact]
    public void Tokenizer_and_scheduler_files_are_loaded_as_the_pipeline_loads_them()
    {
        var folder = CopyOf("flux-dev");
        File.Delete(Path.Combine(folder, "tokenizer_2", "tokenizer.json"));
        File.WriteAllText(Path.Combine(folder, "scheduler", "scheduler_config.json"), """{ "num_train_timesteps": "many" }""");

        var (exitCode, output) = Check(folder);

        Assert.Equal(ModelCheckCommand.Fails, exitCode);
        Assert.Equal(
            "flux-dev: FAILS — tokenizer_2/tokenizer.json: the file is missing. scheduler/scheduler_config.json: num_train_timesteps: expected an integer, found many.",
            Assert.Single(Verdicts(output)));
    }

    [Fact]
    public void A_missing_folder_is_one_line_and_exit_code_2()
    {
        var (exitCode, output) = Check("/nonexistent/heurist/models");

        Assert.Equal(ModelCheckCommand.CannotCheck, exitCode);
        Assert.Equal("cannot check: there is no folder at /nonexistent/heurist/models\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_folder_without_model_folders_is_one_line_and_exit_code_2()
    {
        Directory.CreateDirectory(Path.Combine(_scratch, "notes"));

        var (exitCode, output) = Check(_scratch);

        Assert.Equal(ModelCheckCommand.CannotCheck, exitCode);
        Assert.StartsWith($"cannot check: {_scratch} is not a model folder", Assert.Single(output.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PipelineKind.StableDiffusion15)]
    [InlineData(PipelineKind.StableDiffusionXl)]
    [InlineData(PipelineKind.Flux)]
    public void The_declarations_cover_the_graphs_a_model_folder_must_have(PipelineKind pipeline)
        => Assert.Equal(ModelFolder.RequiredGraphs(pipeline), ModelInterfaces.Graphs(pipeline).Select(g => g.Component));

    public void Dispose()
    {
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
        GC.SuppressFinalize(this);
    }

    private static (int ExitCode, string Output) Check(string folder)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var exitCode = ModelCheckCommand.Run(["check", folder], output);
        return (exitCode, output.ToString().ReplaceLineEndings("\n"));
    }

    private static List<string> Verdicts(string output)
        => [.. output.Split('\n').Where(l => l.Contains(": OK (", StringComparison.Ordinal) || l.Contains(": FAILS — ", StringComparison.Ordinal))];

    private string CopyOf(string modelId)
    {
        var source = tiny.ModelFolder(modelId);
        var destination = Path.Combine(_scratch, modelId);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return destination;
    }

    private static void Rewrite(string path, Action<GraphProto> change)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        change(model.Graph);
        File.WriteAllBytes(path, model.ToByteArray());
    }

    private static ValueInfoProto FloatInput(string name) => new()
    {
        Name = name,
        Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = new TensorShapeProto() } },
    };

    /// <summary>Renames a graph input and every node input that reads it, so the graph still loads.</summary>
    private static void RenameValue(GraphProto graph, string from, string to)
    {
        graph.Input.Single(i => i.Name == from).Name = to;
        foreach (var node in graph.Node)
        {
            for (var i = 0; i < node.Input.Count; i++)
            {
                if (node.Input[i] == from)
                {
                    node.Input[i] = to;
                }
            }
        }
    }

    /// <summary>
    /// Moves the initializers' raw data into one file beside the graph, as exports of large models do. Tensors under
    /// 1 KiB stay inline, as the onnx package leaves them: ONNX Runtime reads small constants (axes) while loading.
    /// </summary>
    private static void MoveWeightsTo(GraphProto graph, string folder, string fileName)
    {
        using var data = File.Create(Path.Combine(folder, fileName));
        foreach (var tensor in graph.Initializer.Where(t => t.RawData.Length >= 1024))
        {
            var offset = data.Position;
            tensor.RawData.WriteTo(data);
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = fileName });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(CultureInfo.InvariantCulture) });
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = tensor.RawData.Length.ToString(CultureInfo.InvariantCulture) });
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
            tensor.RawData = ByteString.Empty;
        }
    }
}
