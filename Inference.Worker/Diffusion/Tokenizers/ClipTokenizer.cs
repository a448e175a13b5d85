using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Heurist.Inference.Worker.Diffusion.Tokenizers;

/// <summary>
/// The CLIP tokenizer of Stable Diffusion's text encoders (Radford et al. 2021; Hugging Face's CLIPTokenizer): byte-level
/// BPE with "&lt;/w&gt;" marking the end of a word, [bos] + ids + [eos], padded to <see cref="MaxLength"/>.
/// </summary>
/// <remarks>
/// Pre-processing: runs of whitespace become one space and the ends are trimmed; the text is lower-cased (.NET's
/// invariant simple case mapping); it is split like CLIP's pattern
/// <c>&lt;|startoftext|&gt;|&lt;|endoftext|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>, scanned by
/// code point so letters outside the BMP count as letters; every piece's UTF-8 bytes are mapped to printable
/// characters by GPT-2's bytes_to_unicode, and merged by the ranks of merges.txt. A symbol not in the vocabulary
/// becomes the unknown token. No Unicode normalization (NFC) is applied: this process runs with invariant
/// globalization, where .NET cannot normalize, and a miner must not tokenize differently from another.
/// </remarks>
public sealed class ClipTokenizer : ITextTokenizer
{
    private const string StartOfText = "<|startoftext|>";
    private const string EndOfText = "<|endoftext|>";
    private const int CacheLimit = 100_000;
    private static readonly string[] Contractions = ["s", "t", "re", "ve", "m", "ll", "d"];
    private static readonly char[] ByteToUnicode = BuildByteToUnicode();

    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<(string, string), int> _mergeRanks;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

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
        _vocabulary = new Dictionary<string, int>(vocabulary, StringComparer.Ordinal);
        _mergeRanks = [];
        foreach (var merge in merges)
        {
            _mergeRanks.TryAdd(merge, _mergeRanks.Count);
        }
        MaxLength = maxLength;
        BosId = Id(bosToken, "bos_token");
        EosId = Id(eosToken, "eos_token");
        PadId = Id(padToken, "pad_token");
        UnkId = Id(unkToken, "unk_token");
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
    public IEnumerable<int> TokenIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var piece in Split(Clean(text).ToLowerInvariant()))
        {
            foreach (var id in WordIds(piece))
            {
                yield return id;
            }
        }
    }

    /// <summary>Whitespace runs become one space; the ends are trimmed.</summary>
    private static string Clean(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            builder.Append(rune.ToString());
        }
        return builder.ToString();
    }

    /// <summary>CLIP's pre-tokenization pattern, as a scanner over code points.</summary>
    internal static List<string> Split(string text)
    {
        var pieces = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var rest = text.AsSpan(i);
            if (rest.StartsWith(StartOfText, StringComparison.Ordinal) || rest.StartsWith(EndOfText, StringComparison.Ordinal))
            {
                var special = rest.StartsWith(StartOfText, StringComparison.Ordinal) ? StartOfText : EndOfText;
                pieces.Add(special);
                i += special.Length;
                continue;
            }
            if (rest[0] == '\'' && Contraction(rest[1..]) is { } contraction)
            {
                pieces.Add(text.Substring(i, 1 + contraction.Length));
                i += 1 + contraction.Length;
                continue;
            }
            var rune = RuneAt(text, i, out var width);
            if (Rune.IsWhiteSpace(rune))
            {
                i += width;
                continue;
            }
            var start = i;
            if (Rune.IsLetter(rune))
            {
                while (i < text.Length && Rune.IsLetter(RuneAt(text, i, out width)))
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
                while (i < text.Length && RuneAt(text, i, out width) is var other
                       && !Rune.IsWhiteSpace(other) && !Rune.IsLetter(other) && !Rune.IsNumber(other))
                {
                    i += width;
                }
            }
            pieces.Add(text[start..i]);
        }
        return pieces;
    }

    /// <summary>The pattern's alternatives 's, 't, 're, 've, 'm, 'll, 'd in their order; the first that matches wins.</summary>
    private static string? Contraction(ReadOnlySpan<char> afterApostrophe)
    {
        foreach (var contraction in Contractions)
        {
            if (afterApostrophe.StartsWith(contraction, StringComparison.OrdinalIgnoreCase))
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

    private int[] WordIds(string piece)
    {
        if (piece is StartOfText or EndOfText)
        {
            return _vocabulary.TryGetValue(piece, out var special) ? [special] : [UnkId];
        }
        if (_cache.TryGetValue(piece, out var cached))
        {
            return cached;
        }
        var bytes = Encoding.UTF8.GetBytes(piece);
        var encoded = new string(bytes.Select(b => ByteToUnicode[b]).ToArray());
        var ids = Bpe(encoded).Select(symbol => _vocabulary.TryGetValue(symbol, out var id) ? id : UnkId).ToArray();
        if (_cache.Count >= CacheLimit)
        {
            _cache.Clear();
        }
        _cache[piece] = ids;
        return ids;
    }

    /// <summary>
    /// Byte-pair merging of one word (Sennrich et al. 2016): start from its characters with "&lt;/w&gt;" on the last,
    /// then repeatedly merge every occurrence, left to right, of the adjacent pair with the lowest rank.
    /// </summary>
    internal List<string> Bpe(string word)
    {
        var symbols = new List<string>(word.Length);
        for (var i = 0; i < word.Length - 1; i++)
        {
            symbols.Add(word[i].ToString());
        }
        symbols.Add(word[^1] + "</w>");
        while (symbols.Count > 1)
        {
            var bestRank = int.MaxValue;
            (string, string) best = default;
            for (var i = 0; i < symbols.Count - 1; i++)
            {
                if (_mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                {
                    bestRank = rank;
                    best = (symbols[i], symbols[i + 1]);
                }
            }
            if (bestRank == int.MaxValue)
            {
                break;
            }
            var merged = new List<string>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i < symbols.Count - 1 && symbols[i] == best.Item1 && symbols[i + 1] == best.Item2)
                {
                    merged.Add(best.Item1 + best.Item2);
                    i++;
                }
                else
                {
                    merged.Add(symbols[i]);
                }
            }
            symbols = merged;
        }
        return symbols;
    }

    /// <summary>GPT-2's bytes_to_unicode: printable Latin-1 bytes map to themselves, the other 68 to U+0100 onwards.</summary>
    private static char[] BuildByteToUnicode()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }

    private int Id(string token, string role)
        => _vocabulary.TryGetValue(token, out var id)
            ? id
            : throw new ArgumentException($"the {role} '{token}' is not in the vocabulary.", nameof(token));
}
