using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Heurist.Inference.Worker.Diffusion.Tokenizers;
using Heurist.Testing;

namespace Heurist.Inference.Worker.Tests.Diffusion;

/// <summary>
/// Our tokenizers against Hugging Face's: reference/tokenizer-vectors.json holds the input_ids that
/// @huggingface/tokenizers gives for hard prompts on the tiny models' tokenizer files (written by
/// tools/TokenizerVectors/generate.mjs, which says how to regenerate it), with the sha256 of every file it read.
/// </summary>
public sealed class TokenizerVectorTests(TinyModelsFixture tiny)
{
    private static readonly JsonObject Vectors = ReferenceData.Load("tokenizer-vectors.json");

    private static IEnumerable<JsonObject> Tokenizers => Vectors["tokenizers"]!.AsArray().Select(t => (JsonObject)t!);

    public static TheoryData<string, int> Cases
    {
        get
        {
            var cases = new TheoryData<string, int>();
            foreach (var tokenizer in Tokenizers)
            {
                for (var i = 0; i < tokenizer["vectors"]!.AsArray().Count; i++)
                {
                    cases.Add((string)tokenizer["name"]!, i);
                }
            }
            return cases;
        }
    }

    [Fact]
    public void The_tiny_models_tokenizer_files_are_the_ones_the_vectors_were_made_from()
    {
        foreach (var tokenizer in Tokenizers)
        {
            var recorded = tokenizer["files"]!.AsObject().ToDictionary(f => f.Key, f => (string)f.Value!);
            foreach (var folder in Folders(tokenizer))
            {
                var files = Directory.GetFiles(folder).ToDictionary(file => Path.GetFileName(file), Sha256);
                Assert.True(
                    recorded.Count == files.Count && recorded.All(f => files.GetValueOrDefault(f.Key) == f.Value),
                    $"{folder} no longer holds the files tokenizer-vectors.json was made from; regenerate it as "
                    + "tools/TokenizerVectors/generate.mjs says.\nrecorded: " + JsonSerializer.Serialize(recorded)
                    + "\nnow: " + JsonSerializer.Serialize(files));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Our_ids_are_the_oracles_ids(string name, int index)
    {
        var tokenizer = Tokenizers.Single(t => (string)t["name"]! == name);
        var vector = tokenizer["vectors"]![index]!;
        var prompt = (string)vector["prompt"]!;
        var expected = vector["ids"]!.AsArray().Select(id => (int)id!).ToArray();

        foreach (var folder in Folders(tokenizer))
        {
            var ours = Load(tokenizer, folder).Encode(prompt);

            Assert.True(
                expected.SequenceEqual(ours),
                $"{name}, prompt {JsonSerializer.Serialize(prompt)}:\noracle {string.Join(",", expected)}\nours   {string.Join(",", ours)}");
        }
    }

    [Fact]
    public void Our_tokenizers_pad_and_cut_to_the_lengths_the_oracle_used()
    {
        foreach (var tokenizer in Tokenizers)
        {
            var ours = Load(tokenizer, Folders(tokenizer).First());
            var padId = (int)tokenizer["pad_id"]!;

            Assert.Equal((int)tokenizer["max_length"]!, ours.MaxLength);
            Assert.Equal(padId, ours is ClipTokenizer clip ? clip.PadId : ((T5Tokenizer)ours).PadId);
        }
    }

    [Fact]
    public void Every_tokenizer_has_vectors_for_the_empty_prompt_a_prompt_that_fills_max_length_and_non_ascii_text()
    {
        foreach (var tokenizer in Tokenizers)
        {
            var vectors = tokenizer["vectors"]!.AsArray().Select(v => ((string)v!["prompt"]!, v["ids"]!.AsArray().Select(id => (int)id!).ToArray())).ToList();
            var padId = (int)tokenizer["pad_id"]!;

            Assert.Contains(vectors, v => v.Item1.Length == 0);
            // Truncated: the text fills every position up to the final end of text.
            Assert.Contains(vectors, v => v.Item2[^2] != padId);
            Assert.Contains(vectors, v => v.Item1.Any(c => c > 0x7F));
        }
    }

    private IEnumerable<string> Folders(JsonObject tokenizer)
        => tokenizer["folders"]!.AsArray().Select(f => Path.Combine(tiny.Folder, (string)f!));

    private static ITextTokenizer Load(JsonObject tokenizer, string folder)
        => (string)tokenizer["kind"]! == "clip" ? ClipTokenizer.Load(folder) : T5Tokenizer.Load(folder);

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
