using Heurist.Inference.Worker.Diffusion.Tokenizers;

namespace Heurist.Inference.Worker.Tests.Diffusion;

/// <summary>
/// The CLIP tokenizer on Fixtures/clip: a vocabulary of 37 symbols and 11 merges, ranked in this order:
/// 0 "h e", 1 "l l", 2 "he ll", 3 "hell o&lt;/w&gt;", 4 "w o", 5 "r l", 6 "i t&lt;/w&gt;", 7 "' s&lt;/w&gt;",
/// 8 "Ã ©&lt;/w&gt;", 9 "c a", 10 "ca f". &lt;|startoftext|&gt; is 40, &lt;|endoftext|&gt; 41 (also unk and, in
/// Fixtures/clip, pad), "!" 0 (pad in Fixtures/clip-pad-bang, as SDXL's tokenizer_2), model_max_length 8.
/// </summary>
public sealed class ClipTokenizerTests
{
    private const int Bos = 40, Eos = 41;

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Diffusion", "Fixtures", name);

    [Fact]
    public void The_files_give_the_special_ids_and_the_max_length()
    {
        var clip = ClipTokenizer.Load(Fixture("clip"));

        Assert.Equal((Bos, Eos, Eos, Eos, 8), (clip.BosId, clip.EosId, clip.PadId, clip.UnkId, clip.MaxLength));
        Assert.Equal(0, ClipTokenizer.Load(Fixture("clip-pad-bang")).PadId);
        Assert.Equal(77, ClipTokenizer.Load(Fixture("clip"), maxLength: 77).MaxLength);
    }

    [Fact]
    public void Text_is_lowercased_split_at_punctuation_and_merged_by_rank()
    {
        var clip = ClipTokenizer.Load(Fixture("clip"));

        // "Hello  World!" → whitespace collapsed, lowercased: "hello world!" → pieces "hello", "world", "!".
        // hello: h e l l o</w> → (h,e) rank 0 → he; (l,l) 1 → ll; (he,ll) 2 → hell; (hell,o</w>) 3 → hello</w> = 16.
        // world: w o r l d</w> → (w,o) 4 → wo; (r,l) 5 → rl; no merge for (wo,rl) or (rl,d</w>): 17, 18, 6.
        // "!" is one character, so "!</w>" = 1. Then eos and one pad (eos).
        Assert.Equal([Bos, 16, 17, 18, 6, 1, Eos, Eos], clip.Encode("  Hello  \t World! "));
    }

    [Fact]
    public void Contractions_digits_and_multibyte_letters_follow_the_clip_pattern()
    {
        var clip = ClipTokenizer.Load(Fixture("clip"), maxLength: 12);

        // "it's 42, café" → pieces "it", "'s", "4", "2", ",", "café" (digits are one piece each).
        // it: i t</w> → rank 6 → it</w> = 19. 's: ' s</w> → rank 7 → 's</w> = 20. 4</w> = 4, 2</w> = 3, ,</w> = 2.
        // café: é is UTF-8 C3 A9, which bytes_to_unicode maps to "Ã" (U+00C3) and "©" (U+00A9):
        // c a f Ã ©</w> → (Ã,©</w>) rank 8 first → Ã©</w>; (c,a) 9 → ca; (ca,f) 10 → caf: 22, 21.
        Assert.Equal([Bos, 19, 20, 4, 3, 2, 22, 21, Eos, Eos, Eos, Eos], clip.Encode("It's 42, café"));
    }

    [Fact]
    public void A_symbol_missing_from_the_vocabulary_becomes_the_unknown_token()
    {
        var clip = ClipTokenizer.Load(Fixture("clip"));

        // hez: h e z</w> → (h,e) → he = 13; "z</w>" is not in the vocabulary → unk = 41.
        Assert.Equal([Bos, 13, Eos, Eos, Eos, Eos, Eos, Eos], clip.Encode("hez"));
    }

    [Fact]
    public void Empty_text_is_bos_and_eos_then_padding()
    {
        Assert.Equal([Bos, Eos, Eos, Eos, Eos, Eos, Eos, Eos], ClipTokenizer.Load(Fixture("clip")).Encode(""));
        Assert.Equal([Bos, Eos, 0, 0, 0, 0, 0, 0], ClipTokenizer.Load(Fixture("clip-pad-bang")).Encode("   "));
    }

    [Fact]
    public void A_long_text_is_truncated_to_max_length_and_keeps_eos()
    {
        // Nine words "a" (a</w> = 5): only max − 2 = 6 fit between bos and eos.
        Assert.Equal([Bos, 5, 5, 5, 5, 5, 5, Eos], ClipTokenizer.Load(Fixture("clip")).Encode("a a a a a a a a a"));
    }

    [Fact]
    public void The_sdxl_second_tokenizer_pads_with_the_exclamation_mark()
    {
        // pad_token "!" in special_tokens_map.json is id 0, as in SDXL's tokenizer_2.
        Assert.Equal([Bos, 5, Eos, 0, 0, 0, 0, 0], ClipTokenizer.Load(Fixture("clip-pad-bang")).Encode("a"));
    }

    [Fact]
    public void The_pre_tokenizer_splits_like_the_clip_pattern()
    {
        // Letters run together, each digit stands alone, punctuation runs together (an apostrophe inside a punctuation
        // run stays in it), 's after a letter is its own piece, and the special tokens are kept whole.
        Assert.Equal(
            ["a", "'s", "b", "1", "2", "<|endoftext|>", "x", "!'", "s", "𝐀𝐁", "..."],
            ClipTokenizer.Split("a's b12<|endoftext|>x!'s 𝐀𝐁..."));
        // A special token is split out before the pattern runs, so a punctuation run ends where it starts.
        Assert.Equal(["x", "!", "<|startoftext|>", "?"], ClipTokenizer.Split("x!<|startoftext|>?"));
    }

    [Fact]
    public void Text_is_normalized_to_nfc_with_whitespace_collapsed_and_lowercased_as_unicode_lowercases_it()
    {
        // U+0301 composes with "E"; the tab and double space become one space; the capital sigma ending a word becomes
        // final sigma (ς) and the others σ; "İ" lowercases to "i" with a combining dot above, as SpecialCasing says.
        Assert.Equal("caf\u00e9 σοφος i\u0307", ClipTokenizer.Normalize("CAFE\u0301\t  ΣΟΦΟΣ İ"));

        var clip = ClipTokenizer.Load(Fixture("clip"), maxLength: 12);
        Assert.Equal(clip.Encode("café"), clip.Encode("CAFE\u0301"));
    }

    [Fact]
    public void Encoding_the_same_word_twice_uses_the_cache_and_gives_the_same_ids()
    {
        var clip = ClipTokenizer.Load(Fixture("clip"), maxLength: 6);

        Assert.Equal([Bos, 16, 16, 16, 16, Eos], clip.Encode("hello hello HELLO hello"));
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var folder = Directory.CreateTempSubdirectory("clip-missing").FullName;
        try
        {
            var error = Assert.Throws<TokenizerFileException>(() => ClipTokenizer.Load(folder));
            Assert.EndsWith("vocab.json", error.File, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>
/// The T5 tokenizer on Fixtures/t5: a Unigram vocabulary of 14 pieces, id = index: 0 &lt;pad&gt;, 1 &lt;/s&gt;,
/// 2 &lt;unk&gt; (all special), 3 "▁" −2, 4 "▁a" −3, 5 "▁cat" −4, 6 "▁c" −5, 7 "at" −3.5, 8 "a" −4.5, 9 "t" −4.6,
/// 10 "c" −5.5, 11 "s" −4, 12 "▁cats" −9, 13 "▁the" −3; model_max_length 6. The lowest score is −9, so an
/// unknown character scores −19.
/// </summary>
public sealed class T5TokenizerTests
{
    private const int Pad = 0, Eos = 1, Unk = 2;

    private static T5Tokenizer Load(int? maxLength = null)
        => T5Tokenizer.Load(Path.Combine(AppContext.BaseDirectory, "Diffusion", "Fixtures", "t5"), maxLength);

    [Fact]
    public void Words_get_the_metaspace_prefix_and_the_encoding_ends_with_eos_then_padding()
    {
        var t5 = Load();

        Assert.Equal((6, Eos, Pad, Unk), (t5.MaxLength, t5.EosId, t5.PadId, t5.UnkId));
        // "  the   cat " → words "the", "cat" → "▁the" (13), "▁cat" (5, −4, better than ▁c + at = −8.5).
        Assert.Equal([13, 5, Eos, Pad, Pad, Pad], t5.Encode("  the   cat "));
    }

    [Fact]
    public void Viterbi_picks_the_segmentation_with_the_best_total_score_not_the_longest_piece()
    {
        // "▁cats": ▁cat + s = −4 − 4 = −8 beats the whole piece ▁cats = −9, and ▁c + at + s = −12.5.
        Assert.Equal(["▁cat", "s"], Load().Tokenize("cats"));
        Assert.Equal([5, 11, Eos, Pad, Pad, Pad], Load().Encode("cats"));
    }

    [Fact]
    public void Unknown_characters_become_one_unknown_piece()
    {
        // "▁caz": ▁c (−5) + a (−4.5) + unk z (−19) = −28.5 beats ▁ + c + a + unk (−31).
        Assert.Equal([6, 8, Unk, Eos, Pad, Pad], Load().Encode("caz"));
        // "▁zz日": ▁ (−2), then three uncovered characters (日 included), fused into one unknown piece.
        Assert.Equal([3, Unk, Eos, Pad, Pad, Pad], Load().Encode("zz日"));
    }

    [Fact]
    public void Empty_text_is_eos_then_padding()
    {
        Assert.Equal([Eos, Pad, Pad, Pad, Pad, Pad], Load().Encode(""));
    }

    [Fact]
    public void A_long_text_is_truncated_and_keeps_eos()
    {
        // Eight words "a" (▁a = 4): max − 1 = 5 fit before eos.
        Assert.Equal([4, 4, 4, 4, 4, Eos], Load().Encode("a a a a a a a a"));
    }

    [Fact]
    public void The_max_length_argument_overrides_the_config_as_flux_does_with_512()
    {
        var ids = Load(maxLength: 512).Encode("the cat");

        Assert.Equal(512, ids.Length);
        Assert.Equal([13, 5, Eos, Pad], ids[..4]);
        Assert.All(ids[3..], id => Assert.Equal(Pad, id));
    }

    [Fact]
    public void An_added_token_written_in_the_text_keeps_its_id_as_hugging_face_matches_it()
    {
        // "</s>" is an added token, split out before segmentation: its own id, then the eos of the encoding.
        Assert.Equal([Eos, Eos, Pad, Pad, Pad, Pad], Load().Encode("</s>"));
        // The text around it is segmented on its own: "a" → "▁a" (4), "cat" → "▁cat" (5).
        Assert.Equal([4, Pad, 5, Eos, Pad, Pad], Load().Encode("a<pad>cat"));
    }

    [Fact]
    public void A_model_other_than_unigram_is_refused_by_file()
    {
        var folder = Directory.CreateTempSubdirectory("t5-bpe").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "tokenizer.json"), """{ "model": { "type": "BPE", "vocab": {} } }""");
            var error = Assert.Throws<TokenizerFileException>(() => T5Tokenizer.Load(folder));
            Assert.Contains("Unigram", error.Message, StringComparison.Ordinal);
            Assert.EndsWith("tokenizer.json", error.File, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed class TokenizerNormalizationTests
{
    [Theory]
    [InlineData("cafe\u0301", "caf\u00e9")]
    [InlineData("\u212Bngstr\u00f6m", "\u00c5ngstr\u00f6m")]
    [InlineData("q\u0307\u0323", "q\u0323\u0307")]
    [InlineData("\u1112\u1161\u11AB", "\ud55c")]
    [InlineData("ＡＢＣ１２３", "ＡＢＣ１２３")]
    [InlineData("plain ascii", "plain ascii")]
    public void Nfc_composes_and_orders_marks_and_leaves_compatibility_characters(string text, string expected)
    {
        Assert.Equal(expected, UnicodeNormalization.Nfc(text));
    }

    [Theory]
    [InlineData("ＡＢＣ１２３", "ABC123")]
    [InlineData("\ufb01ne \u2460 \u00bd", "fine 1 1\u20442")]
    [InlineData("\u3000a\u00a0b", " a b")]
    [InlineData("cafe\u0301", "caf\u00e9")]
    public void Nfkc_also_replaces_compatibility_characters(string text, string expected)
    {
        Assert.Equal(expected, UnicodeNormalization.Nfkc(text));
    }
}
