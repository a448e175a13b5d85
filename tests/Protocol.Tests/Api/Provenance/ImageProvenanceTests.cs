using System.Text.Json;
using Heurist.Protocol.Api.Provenance;

namespace Heurist.Protocol.Tests.Api.Provenance;

public sealed class ImageProvenanceTests
{
    private static readonly string UnetSha = new('a', 64);
    private static readonly string VaeSha = new('b', 64);
    private static readonly string PngSha = new('c', 64);

    private static ImageProvenance Sample(IReadOnlyDictionary<string, string>? files = null) => new(
        "sd15",
        files ?? new Dictionary<string, string> { ["vae_decoder/model.onnx"] = VaeSha, ["unet/model.onnx"] = UnetSha },
        "a lighthouse at dawn, \"café\" <b>",
        "blurry",
        42,
        "euler",
        20,
        7.5,
        512,
        512,
        "1.2.0",
        "1.32.0",
        "CPUExecutionProvider",
        2,
        PngSha);

    [Fact]
    public void The_json_is_camel_case_in_declaration_order_with_the_files_sorted_by_path()
    {
        var json = Sample().ToJson();

        Assert.Equal(
            "{\"modelId\":\"sd15\",\"modelFiles\":{\"unet/model.onnx\":\"" + UnetSha + "\",\"vae_decoder/model.onnx\":\"" + VaeSha + "\"},"
            + "\"prompt\":\"a lighthouse at dawn, \\\"café\\\" <b>\",\"negativePrompt\":\"blurry\",\"seed\":42,\"scheduler\":\"euler\",\"steps\":20,"
            + "\"guidance\":7.5,\"width\":512,\"height\":512,\"workerVersion\":\"1.2.0\",\"onnxRuntimeVersion\":\"1.32.0\","
            + "\"executionProvider\":\"CPUExecutionProvider\",\"cpuThreads\":2,\"pngSha256\":\"" + PngSha + "\"}",
            json);
    }

    [Fact]
    public void The_same_provenance_gives_the_same_bytes_whatever_order_its_files_came_in()
    {
        var reversed = Sample(new Dictionary<string, string> { ["unet/model.onnx"] = UnetSha, ["vae_decoder/model.onnx"] = VaeSha });

        Assert.Equal(Sample().ToJson(), reversed.ToJson());
    }

    [Fact]
    public void It_round_trips_through_its_json()
    {
        var original = Sample();

        var read = ImageProvenance.FromJson(original.ToJson());

        Assert.Equal(original.ToJson(), read.ToJson());
        Assert.Equal(original with { ModelFiles = read.ModelFiles }, read);
        Assert.Equal(["unet/model.onnx", "vae_decoder/model.onnx"], read.ModelFiles.Keys);
    }

    [Fact]
    public void It_is_found_under_its_key_in_image_metadata_and_nft_metadata_or_as_the_whole_document()
    {
        var provenance = Sample().ToJson();
        var imageMetadata = "{\"model\":{\"id\":\"sd15\"},\"" + ImageProvenance.MetadataProperty + "\":" + provenance + "}";
        var nftMetadata = "{\"name\":\"Imaginary #1\",\"image\":\"x\",\"attributes\":[],\"provenance\":" + provenance + "}";

        Assert.Equal(provenance, ImageProvenance.FromMetadata(imageMetadata)!.ToJson());
        Assert.Equal(provenance, ImageProvenance.FromMetadata(nftMetadata)!.ToJson());
        Assert.Equal(provenance, ImageProvenance.FromMetadata(provenance)!.ToJson());
    }

    [Theory]
    [InlineData("{\"model\":{\"id\":\"sd15\"},\"job\":{}}")]
    [InlineData("{\"provenance\":null}")]
    [InlineData("[]")]
    public void Metadata_without_a_provenance_object_has_none(string metadata)
        => Assert.Null(ImageProvenance.FromMetadata(metadata));

    [Fact]
    public void A_provenance_that_lacks_a_field_is_refused_naming_it()
    {
        var json = Sample().ToJson().Replace(",\"seed\":42", "", StringComparison.Ordinal);

        var error = Assert.Throws<JsonException>(() => ImageProvenance.FromJson(json));

        Assert.Contains("seed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provenance_with_a_null_hash_is_refused()
        => Assert.Throws<JsonException>(() => ImageProvenance.FromJson(Sample().ToJson().Replace("\"" + PngSha + "\"", "null", StringComparison.Ordinal)));

    [Fact]
    public void Environment_differences_name_each_field_with_both_values()
    {
        var expected = Sample();
        var actual = expected with { OnnxRuntimeVersion = "1.31.0", ExecutionProvider = "CUDAExecutionProvider", CpuThreads = 16, WorkerVersion = "1.3.0" };

        Assert.Equal(
            ["onnxRuntimeVersion: 1.32.0 → 1.31.0", "executionProvider: CPUExecutionProvider → CUDAExecutionProvider", "cpuThreads: 2 → 16", "workerVersion: 1.2.0 → 1.3.0"],
            expected.EnvironmentDifferences(actual));
        Assert.Empty(expected.EnvironmentDifferences(expected with { Prompt = "another" }));
    }

    [Fact]
    public void Model_file_differences_name_changed_missing_and_unrecorded_files_and_ignore_the_others()
    {
        var other = new string('d', 64);
        var found = new Dictionary<string, string>
        {
            ["unet/model.onnx"] = other,
            ["text_encoder/model.onnx"] = UnetSha,
            ["heurist-model.json"] = other,
            ["model_index.json"] = other,
        };

        Assert.Equal(
            ["unet/model.onnx: " + UnetSha + " → " + other, "vae_decoder/model.onnx: missing", "text_encoder/model.onnx: not recorded"],
            Sample().ModelFileDifferences(found));
        var same = new Dictionary<string, string> { ["unet/model.onnx"] = UnetSha, ["vae_decoder/model.onnx"] = VaeSha, ["README.md"] = other };
        Assert.Empty(Sample().ModelFileDifferences(same));
    }

    [Fact]
    public void The_recorded_files_are_those_of_the_graph_tokenizer_and_scheduler_folders()
    {
        var files = new[]
        {
            "heurist-model.json", "model_index.json", "unet/model.onnx", "unet/model.onnx_data", "unet/config.json", "vae_decoder/model.onnx",
            "vae_decoder/config.json", "tokenizer/vocab.json", "tokenizer_2/merges.txt", "scheduler/scheduler_config.json", "feature_extractor/preprocessor_config.json",
            "nested/deeper/model.onnx",
        }.ToDictionary(f => f, _ => UnetSha);

        Assert.Equal(
            ["scheduler/scheduler_config.json", "tokenizer/vocab.json", "tokenizer_2/merges.txt", "unet/config.json", "unet/model.onnx", "unet/model.onnx_data",
                "vae_decoder/config.json", "vae_decoder/model.onnx"],
            ModelFileSelection.Select(files).Keys);
    }
}

public sealed class VerificationOutcomeTests
{
    private static readonly ImageProvenance Recorded = new("sd15", new Dictionary<string, string> { ["unet/model.onnx"] = new('a', 64) },
        "p", "", 1, "euler", 4, 7, 256, 256, "1.0.0", "1.32.0", "CPUExecutionProvider", 1, new string('c', 64));

    [Fact]
    public void The_same_png_hash_is_identical_even_in_another_environment_and_says_what_differed()
    {
        var outcome = VerificationOutcome.Compare(Recorded, Recorded with { CpuThreads = 4 });

        Assert.Equal(VerificationState.Identical, outcome.State);
        Assert.Equal(Recorded.PngSha256, outcome.ActualSha256);
        Assert.Equal(["cpuThreads: 1 → 4"], outcome.Differences);
    }

    [Fact]
    public void Another_png_hash_is_different_with_both_hashes_and_the_environment_differences()
    {
        var actual = Recorded with { PngSha256 = new string('e', 64), ExecutionProvider = "CUDAExecutionProvider" };

        var outcome = VerificationOutcome.Compare(Recorded, actual);

        Assert.Equal(VerificationState.Different, outcome.State);
        Assert.Equal(actual.PngSha256, outcome.ActualSha256);
        Assert.Equal(["executionProvider: CPUExecutionProvider → CUDAExecutionProvider"], outcome.Differences);
        Assert.Null(outcome.Reason);
    }

    [Fact]
    public void Other_bytes_from_the_same_environment_say_so()
    {
        var outcome = VerificationOutcome.Compare(Recorded, Recorded with { PngSha256 = new string('e', 64) });

        Assert.Equal(VerificationState.Different, outcome.State);
        Assert.Empty(outcome.Differences);
        Assert.Contains("same model files and environment", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_files_that_differ_cannot_be_verified_and_matching_ones_can()
    {
        var tampered = VerificationOutcome.CheckModelFiles(Recorded, "miner rig-1", new Dictionary<string, string> { ["unet/model.onnx"] = new('f', 64) });

        Assert.NotNull(tampered);
        Assert.Equal(VerificationState.CannotVerify, tampered.State);
        Assert.Contains("miner rig-1", tampered.Reason, StringComparison.Ordinal);
        Assert.StartsWith("unet/model.onnx: ", Assert.Single(tampered.Differences), StringComparison.Ordinal);
        Assert.Null(VerificationOutcome.CheckModelFiles(Recorded, "miner rig-1", Recorded.ModelFiles));
    }

    [Fact]
    public void A_verification_view_is_finished_only_with_an_outcome()
    {
        var view = new VerificationView(Guid.NewGuid(), Recorded.PngSha256, VerificationState.Queued, Recorded.PngSha256, null, [], null, DateTimeOffset.UnixEpoch, null);

        Assert.False(view.IsFinished);
        Assert.False((view with { State = VerificationState.Running }).IsFinished);
        Assert.True((view with { State = VerificationState.CannotVerify }).IsFinished);
        var json = JsonSerializer.Serialize(view with { State = VerificationState.CannotVerify }, JsonSerializerOptions.Web);
        Assert.Contains("\"state\":\"CannotVerify\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isFinished", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_routes_are_the_ones_the_server_maps()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        Assert.Equal("api/images/abc/verify", ProvenanceRoutes.Verify("abc"));
        Assert.Equal("api/verifications/0f8fad5b-d9cb-469f-a165-70867728950e", ProvenanceRoutes.Verification(id));
        Assert.Equal("api/images/abc/verifications", ProvenanceRoutes.Verifications("abc"));
    }
}
