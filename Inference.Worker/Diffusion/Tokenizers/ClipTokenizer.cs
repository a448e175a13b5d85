using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Heurist.Inference.Worker.Diffusion.Tokenizers;

/// <summary>
/// The CLIP tokenizer of Stable Diffusion's text encoders (Radford et al. 2021; Hugging Face's CLIPTokenizerFast):
/// byte-level BPE with "&lt;/w&gt;" marking the end of a word, [bos] + ids + [eos], padded to <see cref="MaxLength"/>.
/// </summary>
/// <remarks>
/// The byte-level BPE itself (bytes to printable characters, the merges by rank, "&lt;/w&gt;", unknown symbols, the
/// special tokens' ids) is Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>. Before it, as CLIPTokenizerFast
/// normalizes: NFC, every run of whitespace becomes one space, and the text is lowercased as Unicode lowercases it
/// (final sigma, "İ" to "i̇"); then the special tokens are split out and the rest is split like CLIP's pattern
/// <c>'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>, scanned by code point. HTML entities are kept
/// as written, as CLIPTokenizerFast keeps them.
/// </remarks>
public sealed class ClipTokenizer : ITextTokenizer
{
    private const string StartOfText = "<|startoftext|>";
    private const string EndOfText = "<|endoftext|>";
    private static readonly string[] Contractions = ["s", "t", "re", "ve", "m", "ll", "d"];

    private readonly BpeTokenizer _bpe;

    public ClipTokenizer(
        IReadOnlyDictionary<string, int> vocabulary,
        IEnumerable<(string First, string Second)> merges,
        int maxLength,
        string bosToken = StartOfText,
        string eosToken = EndOfText,
        string padToken = EndOfText,
        string unkToken = EndOfText)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(merges);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        MaxLength = maxLength;
        BosId = Id(vocabulary, bosToken, "bos_token");
        EosId = Id(vocabulary, eosToken, "eos_token");
        PadId = Id(vocabulary, padToken, "pad_token");
        UnkId = Id(vocabulary, unkToken, "unk_token");
        var specialTokens = new Dictionary<string, int>(StringComparer.Ordinal) { [bosToken] = BosId, [eosToken] = EosId };
        _bpe = BpeTokenizer.Create(new BpeOptions(vocabulary)
        {
            Merges = merges.Select(merge => $"{merge.First} {merge.Second}"),
            SpecialTokens = specialTokens,
            Normalizer = new ClipNormalizer(),
            PreTokenizer = new ClipPreTokenizer(specialTokens.Keys),
            UnknownToken = unkToken,
            FuseUnknownTokens = false,
            EndOfWordSuffix = "</w>",
            ByteLevel = true,
        });
    }

    public int MaxLength { get; }

    public int BosId { get; }

    public int EosId { get; }

    public int PadId { get; }

    public int UnkId { get; }

    /// <summary>
    /// Loads a Hugging Face CLIP tokenizer folder: vocab.json, merges.txt (its "#version" line skipped),
    /// special_tokens_map.json and tokenizer_config.json (model_max_length, and the special tokens when the map lacks
    /// them). <paramref name="maxLength"/> overrides model_max_length; 77 when neither gives one.
    /// </summary>
    public static ClipTokenizer Load(string folder, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        using var vocabularyJson = TokenizerFiles.ReadJson(folder, "vocab.json", required: true)!;
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        var vocabularyPath = Path.Combine(folder, "vocab.json");
        if (vocabularyJson.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new TokenizerFileException(vocabularyPath, "expected an object of token → id.");
        }
        foreach (var entry in vocabularyJson.RootElement.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id))
            {
                throw new TokenizerFileException(vocabularyPath, $"the id of '{entry.Name}' is not an integer.");
            }
            vocabulary[entry.Name] = id;
        }

        var mergesPath = Path.Combine(folder, "merges.txt");
        if (!File.Exists(mergesPath))
        {
            throw new TokenizerFileException(mergesPath, "the file is missing.");
        }
        var merges = new List<(string, string)>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(mergesPath))
        {
            lineNumber++;
            if ((lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)) || line.Length == 0)
            {
                continue;
            }
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new TokenizerFileException(mergesPath, $"line {lineNumber} is not two symbols separated by one space.");
            }
            merges.Add((parts[0], parts[1]));
        }

        using var specialTokens = TokenizerFiles.ReadJson(folder, "special_tokens_map.json", required: false);
        using var config = TokenizerFiles.ReadJson(folder, "tokenizer_config.json", required: false);
        string Special(string key, string fallback)
            => TokenizerFiles.SpecialToken(specialTokens, key) ?? TokenizerFiles.SpecialToken(config, key) ?? fallback;

        var eos = Special("eos_token", EndOfText);
        try
        {
            return new ClipTokenizer(
                vocabulary,
                merges,
                maxLength ?? TokenizerFiles.ModelMaxLength(config) ?? 77,
                Special("bos_token", StartOfText),
                eos,
                Special("pad_token", eos),
                Special("unk_token", EndOfText));
        }
        catch (ArgumentException error)
        {
            throw new TokenizerFileException(vocabularyPath, error.Message, error);
        }
    }

    /// <inheritdoc/>
    public int[] Encode(string text)
    {
        // Padding and truncation are ours, as transformers applies them for padding="max_length", truncation=True:
        // the text is cut to leave room for bos and eos.
        var ids = new int[MaxLength];
        ids.AsSpan().Fill(PadId);
        ids[0] = BosId;
        var count = 1;
        foreach (var id in TokenIds(text))
        {
            if (count == MaxLength - 1)
            {
                break;
            }
            ids[count++] = id;
        }
        ids[count] = EosId;
        return ids;
    }

    /// <summary>The BPE ids of <paramref name="text"/>, without bos, eos, truncation or padding.</summary>
    public IReadOnlyList<int> TokenIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _bpe.EncodeToIds(text);
    }

    /// <summary><paramref name="text"/> as CLIPTokenizerFast normalizes it before splitting it.</summary>
    internal static string Normalize(string text) => new ClipNormalizer().Normalize(text);

    /// <summary>The pieces CLIP's pattern splits already normalized <paramref name="text"/> into, special tokens whole.</summary>
    internal static List<string> Split(string text)
        => new ClipPreTokenizer([StartOfText, EndOfText]).PreTokenize(text).Select(piece => text.Substring(piece.Offset, piece.Length)).ToList();

    private static int Id(IReadOnlyDictionary<string, int> vocabulary, string token, string role)
        => vocabulary.TryGetValue(token, out var id)
            ? id
            : throw new ArgumentException($"the {role} '{token}' is not in the vocabulary.", nameof(token));

    /// <summary>
    /// CLIPTokenizerFast's normalizer: NFC, runs of whitespace to one space, Unicode lowercasing. Ours because the
    /// library's normalizers lowercase with .NET's simple case mapping and cannot normalize under invariant globalization.
    /// </summary>
    private sealed class ClipNormalizer : Normalizer
    {
        public override string Normalize(string original) => Lowercase(CollapseWhitespace(UnicodeNormalization.Nfc(original)));

        public override string Normalize(ReadOnlySpan<char> original) => Normalize(original.ToString());

        private static string CollapseWhitespace(string text)
        {
            var builder = new StringBuilder(text.Length);
            var inWhitespace = false;
            foreach (var rune in text.EnumerateRunes())
            {
                var isWhitespace = Rune.IsWhiteSpace(rune);
                if (!isWhitespace)
                {
                    builder.Append(rune.ToString());
                }
                else if (!inWhitespace)
                {
                    builder.Append(' ');
                }
                inWhitespace = isWhitespace;
            }
            return builder.ToString();
        }

        // Unicode's full lowercase mapping, as Rust's and JavaScript's lowercasing give it: .NET's simple mapping plus
        // SpecialCasing's two rules that do not depend on the language.
        private static string Lowercase(string text)
        {
            var builder = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length;)
            {
                Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var width);
                if (rune.Value == 0x0130)
                {
                    builder.Append("i\u0307");
                }
                else if (rune.Value == 0x03A3)
                {
                    builder.Append(IsFinalSigma(text, i, width) ? 'ς' : 'σ');
                }
                else
                {
                    builder.Append(Rune.ToLowerInvariant(rune).ToString());
                }
                i += width;
            }
            return builder.ToString();
        }

        // Final_Sigma: a cased letter comes before (case-ignorable characters skipped) and none comes after.
        private static bool IsFinalSigma(string text, int index, int width)
        {
            var before = false;
            for (var i = index; i > 0;)
            {
                Rune.DecodeLastFromUtf16(text.AsSpan(0, i), out var rune, out var size);
                i -= size;
                if (!IsCaseIgnorable(rune))
                {
                    before = IsCased(rune);
                    break;
                }
            }
            if (!before)
            {
                return false;
            }
            for (var i = index + width; i < text.Length;)
            {
                Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var size);
                i += size;
                if (!IsCaseIgnorable(rune))
                {
                    return !IsCased(rune);
                }
            }
            return true;
        }

        private static bool IsCased(Rune rune)
            => Rune.GetUnicodeCategory(rune) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

        private static bool IsCaseIgnorable(Rune rune)
            => rune.Value is '\'' or '.' or ':' or 0x00B7 or 0x2018 or 0x2019 or 0x2024 or 0x2027
               || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
                   or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
    }

    /// <summary>
    /// The special tokens, then CLIP's pattern over the text between them. Ours because .NET's Regex matches \p{L} and
    /// \p{N} per UTF-16 unit, so a letter outside the BMP (𝐀, 𠀀) would fall into the punctuation alternative.
    /// </summary>
    private sealed class ClipPreTokenizer(IEnumerable<string> specialTokens) : PreTokenizer
    {
        private readonly string[] _specialTokens = specialTokens.Distinct(StringComparer.Ordinal).ToArray();

        public override IEnumerable<(int Offset, int Length)> PreTokenize(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            var pieces = new List<(int, int)>();
            var start = 0;
            while (start < text.Length)
            {
                var (at, special) = NextSpecialToken(text, start);
                Scan(text, start, at, pieces);
                if (special is null)
                {
                    break;
                }
                pieces.Add((at, special.Length));
                start = at + special.Length;
            }
            return pieces;
        }

        public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => PreTokenize(text.ToString());

        // The leftmost special token, the longest where two start at the same place.
        private (int At, string? Token) NextSpecialToken(string text, int start)
        {
            var best = (At: text.Length, Token: (string?)null);
            foreach (var token in _specialTokens)
            {
                var at = text.IndexOf(token, start, StringComparison.Ordinal);
                if (at >= 0 && (at < best.At || (at == best.At && token.Length > best.Token!.Length)))
                {
                    best = (at, token);
                }
            }
            return best;
        }

        private static void Scan(string text, int start, int end, List<(int, int)> pieces)
        {
            var i = start;
            while (i < end)
            {
                if (text[i] == '\'' && Contraction(text.AsSpan(i + 1, end - i - 1)) is { } contraction)
                {
                    pieces.Add((i, 1 + contraction.Length));
                    i += 1 + contraction.Length;
                    continue;
                }
                var rune = RuneAt(text, i, out var width);
                if (Rune.IsWhiteSpace(rune))
                {
                    i += width;
                    continue;
                }
                var pieceStart = i;
                if (Rune.IsLetter(rune))
                {
                    while (i < end && Rune.IsLetter(RuneAt(text, i, out width)))
                    {
                        i += width;
                    }
                }
                else if (Rune.IsNumber(rune))
                {
                    i += width;
                }
                else
                {
                    while (i < end && RuneAt(text, i, out width) is var other
                           && !Rune.IsWhiteSpace(other) && !Rune.IsLetter(other) && !Rune.IsNumber(other))
                    {
                        i += width;
                    }
                }
                pieces.Add((pieceStart, i - pieceStart));
            }
        }

        // The pattern's alternatives 's, 't, 're, 've, 'm, 'll, 'd in their order; the first that matches wins.
        private static string? Contraction(ReadOnlySpan<char> afterApostrophe)
        {
            foreach (var contraction in Contractions)
            {
                if (afterApostrophe.StartsWith(contraction, StringComparison.Ordinal))
                {
                    return contraction;
                }
            }
            return null;
        }

        private static Rune RuneAt(string text, int index, out int width)
        {
            Rune.DecodeFromUtf16(text.AsSpan(index), out var rune, out width);
            return rune;
        }
    }
}
