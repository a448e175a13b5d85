using System.Text.Json;
using Heurist.TinyModels.Tokenizers;

namespace Heurist.TinyModels.Tests;

public sealed class TokenizerFileTests(GeneratedModels models)
{
    public static TheoryData<string> ClipTokenizers =>
        ["sd15/tokenizer", "sdxl/tokenizer", "sdxl/tokenizer_2", "flux-dev/tokenizer"];

    [Theory]
    [MemberData(nameof(ClipTokenizers))]
    public void Every_merge_joins_two_vocabulary_tokens_into_a_vocabulary_token(string tokenizer)
    {
        var vocabulary = ReadVocabulary(tokenizer);
        var lines = File.ReadAllLines(models.PathOf($"{tokenizer}/merges.txt"));

        Assert.Equal("#version: 0.2", lines[0]);
        Assert.True(lines.Length > 100, $"only {lines.Length - 1} merges");
        foreach (var line in lines.Skip(1))
        {
            var parts = line.Split(' ');
            Assert.Equal(2, parts.Length);
            Assert.Contains(parts[0], vocabulary.Keys);
            Assert.Contains(parts[1], vocabulary.Keys);
            Assert.Contains(parts[0] + parts[1], vocabulary.Keys);
        }
    }

    [Theory]
    [MemberData(nameof(ClipTokenizers))]
    public void The_vocabulary_is_clip_shaped_bytes_then_word_ends_then_merges_then_the_two_special_tokens(string tokenizer)
    {
        var vocabulary = ReadVocabulary(tokenizer);
        var byId = vocabulary.OrderBy(p => p.Value).Select(p => p.Key).ToList();

        Assert.Equal(Enumerable.Range(0, vocabulary.Count), vocabulary.Values.Order());
        Assert.InRange(vocabulary.Count, 600, 1000);
        // Byte 0x21 '!' is id 0, and bytes with no printable form start at U+0100 ('Ā' for byte 0x00).
        Assert.Equal("!", byId[0]);
        Assert.Equal(256, byId.Take(256).Distinct().Count());
        Assert.Contains("\u0100", byId.Take(256));
        Assert.Equal("!</w>", byId[256]);
        Assert.All(byId.Skip(256).Take(256), t => Assert.EndsWith("</w>", t, StringComparison.Ordinal));
        Assert.Equal(["<|startoftext|>", "<|endoftext|>"], byId[^2..]);
    }

    [Theory]
    [MemberData(nameof(ClipTokenizers))]
    public void Common_prompt_words_are_single_tokens_under_clip_bpe(string tokenizer)
    {
        var vocabulary = ReadVocabulary(tokenizer);
        var ranks = File.ReadAllLines(models.PathOf($"{tokenizer}/merges.txt")).Skip(1)
            .Select((line, rank) => (line, rank))
            .ToDictionary(m => m.line, m => m.rank, StringComparer.Ordinal);

        foreach (var word in new[] { "a", "the", "cat", "red", "portrait", "astronaut", "riding", "horse", "beautiful", "landscape" })
        {
            var tokens = Bpe(word, ranks);
            Assert.Equal([word + "</w>"], tokens);
            Assert.Contains(tokens[0], vocabulary.Keys);
        }
        // A word outside the list still splits into vocabulary tokens, some of them merged fragments.
        var unknown = Bpe("thinking", ranks);
        Assert.All(unknown, t => Assert.Contains(t, vocabulary.Keys));
        Assert.Contains(unknown, t => t.Length > 1 && !t.EndsWith("</w>", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sd15/tokenizer", "<|endoftext|>")]
    [InlineData("sdxl/tokenizer", "<|endoftext|>")]
    [InlineData("sdxl/tokenizer_2", "!")]
    [InlineData("flux-dev/tokenizer", "<|endoftext|>")]
    public void Clip_tokenizer_configs_carry_the_special_tokens_and_77_tokens(string tokenizer, string pad)
    {
        using var map = JsonDocument.Parse(File.ReadAllText(models.PathOf($"{tokenizer}/special_tokens_map.json")));
        using var config = JsonDocument.Parse(File.ReadAllText(models.PathOf($"{tokenizer}/tokenizer_config.json")));
        foreach (var root in new[] { map.RootElement, config.RootElement })
        {
            Assert.Equal("<|startoftext|>", root.GetProperty("bos_token").GetString());
            Assert.Equal("<|endoftext|>", root.GetProperty("eos_token").GetString());
            Assert.Equal("<|endoftext|>", root.GetProperty("unk_token").GetString());
            Assert.Equal(pad, root.GetProperty("pad_token").GetString());
        }
        Assert.Equal(77, config.RootElement.GetProperty("model_max_length").GetInt32());
        Assert.Contains(pad, ReadVocabulary(tokenizer).Keys);
    }

    [Fact]
    public void The_t5_tokenizer_is_a_unigram_model_with_pad_eos_and_unk_at_0_1_2()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(models.PathOf("flux-dev/tokenizer_2/tokenizer.json")));
        var model = document.RootElement.GetProperty("model");
        var pieces = model.GetProperty("vocab").EnumerateArray().Select(p => (Piece: p[0].GetString()!, Score: p[1].GetDouble())).ToList();

        Assert.Equal("Unigram", model.GetProperty("type").GetString());
        Assert.Equal(2, model.GetProperty("unk_id").GetInt32());
        Assert.Equal(["<pad>", "</s>", "<unk>"], pieces.Take(3).Select(p => p.Piece));
        Assert.Equal(
            [(0, "<pad>"), (1, "</s>"), (2, "<unk>")],
            document.RootElement.GetProperty("added_tokens").EnumerateArray().Select(t => (t.GetProperty("id").GetInt32(), t.GetProperty("content").GetString()!)));
        Assert.Equal("▁", document.RootElement.GetProperty("pre_tokenizer").GetProperty("replacement").GetString());
        Assert.Equal(pieces.Count, pieces.Select(p => p.Piece).Distinct().Count());
        Assert.InRange(pieces.Count, 200, 1000);
    }

    [Fact]
    public void The_t5_vocabulary_covers_every_lowercase_letter_and_digit_alone_and_word_initial_with_scores_falling_by_rarity()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(models.PathOf("flux-dev/tokenizer_2/tokenizer.json")));
        var pieces = document.RootElement.GetProperty("model").GetProperty("vocab").EnumerateArray()
            .Select(p => (Piece: p[0].GetString()!, Score: p[1].GetDouble())).ToList();
        var known = pieces.Select(p => p.Piece).ToHashSet();

        foreach (var c in "abcdefghijklmnopqrstuvwxyz0123456789")
        {
            Assert.Contains(c.ToString(), known);
            Assert.Contains("▁" + c, known);
        }
        Assert.Contains("▁the", known);
        Assert.Contains("▁cat", known);
        var scores = pieces.Skip(3).Select(p => p.Score).ToList();
        Assert.Equal(-2.0, scores[0]);
        Assert.All(scores.Zip(scores.Skip(1)), p => Assert.True(p.Second < p.First, $"{p.Second} after {p.First}"));
        // A whole word must beat spelling it out, or Unigram would never pick it.
        var score = pieces.ToDictionary(p => p.Piece, p => p.Score);
        Assert.True(score["▁cat"] > score["▁c"] + score["a"] + score["t"]);
    }

    [Fact]
    public void The_t5_tokenizer_config_pads_with_id_0_ends_with_id_1_and_allows_512_tokens()
    {
        using var map = JsonDocument.Parse(File.ReadAllText(models.PathOf("flux-dev/tokenizer_2/special_tokens_map.json")));
        using var config = JsonDocument.Parse(File.ReadAllText(models.PathOf("flux-dev/tokenizer_2/tokenizer_config.json")));
        foreach (var root in new[] { map.RootElement, config.RootElement })
        {
            Assert.Equal("<pad>", root.GetProperty("pad_token").GetString());
            Assert.Equal("</s>", root.GetProperty("eos_token").GetString());
            Assert.Equal("<unk>", root.GetProperty("unk_token").GetString());
        }
        Assert.Equal(512, config.RootElement.GetProperty("model_max_length").GetInt32());
        Assert.Equal((0, 1, 2), (T5Vocabulary.PadId, T5Vocabulary.EndOfSequenceId, T5Vocabulary.UnknownId));
    }

    private Dictionary<string, int> ReadVocabulary(string tokenizer)
        => JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(models.PathOf($"{tokenizer}/vocab.json")))!;

    // CLIP's BPE, written here from the files alone: merge the adjacent pair of lowest rank until none is left.
    private static List<string> Bpe(string word, Dictionary<string, int> ranks)
    {
        var symbols = word.Select(c => c.ToString()).ToList();
        symbols[^1] += "</w>";
        while (true)
        {
            var pairs = Enumerable.Range(0, symbols.Count - 1)
                .Select(i => (Index: i, Rank: ranks.GetValueOrDefault(symbols[i] + " " + symbols[i + 1], int.MaxValue)))
                .Where(p => p.Rank != int.MaxValue)
                .ToList();
            if (pairs.Count == 0)
            {
                return symbols;
            }
            // Every occurrence of the best pair merges, left to right, as CLIP's bpe() does.
            var best = pairs.MinBy(p => p.Rank).Index;
            var (left, right) = (symbols[best], symbols[best + 1]);
            for (var i = 0; i + 1 < symbols.Count; i++)
            {
                if (symbols[i] == left && symbols[i + 1] == right)
                {
                    symbols[i] = left + right;
                    symbols.RemoveAt(i + 1);
                }
            }
        }
    }
}
