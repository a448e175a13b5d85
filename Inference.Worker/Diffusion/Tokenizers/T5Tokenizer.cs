using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Heurist.Inference.Worker.Diffusion.Tokenizers;

/// <summary>
/// The T5 tokenizer of Flux's second text encoder: a SentencePiece Unigram model (Kudo 2018) read from Hugging Face's
/// tokenizer.json, run as Hugging Face's tokenizers run it. The added tokens written in the text (&lt;/s&gt;,
/// &lt;pad&gt;, …) are split out first and keep their ids; the rest goes through the file's normalizer and
/// pre-tokenizer (WhitespaceSplit, Metaspace's "▁"), and each piece is segmented by Viterbi into the pieces whose
/// scores add up to the most, a run of uncovered characters becoming one unknown piece. Then &lt;/s&gt;, padding with
/// &lt;pad&gt;; a long text is truncated and keeps its &lt;/s&gt;.
/// </summary>
/// <remarks>
/// The segmentation, and the "Precompiled" normalizer (SentencePiece's character map), are Microsoft.ML.Tokenizers'
/// <see cref="SentencePieceTokenizer"/>. The steps around it are ours: the library's tokenizer.json reader prepends
/// "▁" to a piece that already starts with a space, and does not fuse unknown pieces, where Hugging Face does.
/// </remarks>
public sealed class T5Tokenizer : ITextTokenizer
{
    private readonly SentencePieceTokenizer _unigram;
    private readonly Func<string, string> _normalize;
    private readonly Func<string, bool, IEnumerable<string>> _preTokenize;
    private readonly (string Token, int Id)[] _addedTokens;
    private readonly string[] _pieceById;

    private T5Tokenizer(
        SentencePieceTokenizer unigram,
        Func<string, string> normalize,
        Func<string, bool, IEnumerable<string>> preTokenize,
        (string Token, int Id)[] addedTokens,
        string[] pieceById,
        int unkId,
        int maxLength,
        string eosToken,
        string padToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        _unigram = unigram;
        _normalize = normalize;
        _preTokenize = preTokenize;
        _addedTokens = addedTokens;
        _pieceById = pieceById;
        UnkId = unkId;
        MaxLength = maxLength;
        EosId = IdOf(eosToken, "eos_token");
        PadId = IdOf(padToken, "pad_token");
    }

    public int MaxLength { get; }

    public int EosId { get; }

    public int PadId { get; }

    public int UnkId { get; }

    /// <summary>
    /// Loads tokenizer.json (a Unigram model: "model.vocab" as [piece, score] pairs and "model.unk_id"; "added_tokens";
    /// "normalizer"; "pre_tokenizer") and tokenizer_config.json for model_max_length and the eos and pad tokens.
    /// <paramref name="maxLength"/> overrides model_max_length (Flux.1-dev encodes 512 tokens); 512 when neither gives
    /// one.
    /// </summary>
    public static T5Tokenizer Load(string folder, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var path = Path.Combine(folder, "tokenizer.json");
        using var tokenizer = TokenizerFiles.ReadJson(folder, "tokenizer.json", required: true)!;
        var root = tokenizer.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            throw new TokenizerFileException(path, "has no \"model\" object.");
        }
        var type = model.TryGetProperty("type", out var typeValue) ? typeValue.GetString() : null;
        if (type != "Unigram")
        {
            throw new TokenizerFileException(path, $"model.type is '{type}', but the T5 tokenizer needs a Unigram model.");
        }
        if (!model.TryGetProperty("vocab", out var vocabValue) || vocabValue.ValueKind != JsonValueKind.Array)
        {
            throw new TokenizerFileException(path, "model.vocab is missing or not an array.");
        }
        var vocabulary = new List<(string, float)>();
        foreach (var entry in vocabValue.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2
                || entry[0].ValueKind != JsonValueKind.String || entry[1].ValueKind != JsonValueKind.Number)
            {
                throw new TokenizerFileException(path, $"model.vocab[{vocabulary.Count}] is not a [piece, score] pair.");
            }
            vocabulary.Add((entry[0].GetString()!, entry[1].GetSingle()));
        }
        if (!model.TryGetProperty("unk_id", out var unkValue) || !unkValue.TryGetInt32(out var unkId))
        {
            throw new TokenizerFileException(path, "model.unk_id is missing.");
        }
        if (unkId < 0 || unkId >= vocabulary.Count)
        {
            throw new TokenizerFileException(path, $"model.unk_id {unkId} does not index the vocabulary of {vocabulary.Count} pieces.");
        }
        var byteFallback = model.TryGetProperty("byte_fallback", out var fallback) && fallback.ValueKind == JsonValueKind.True;

        var addedTokens = new List<(string, int)>();
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                if (token.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
                    && token.TryGetProperty("id", out var id) && id.TryGetInt32(out var addedId))
                {
                    addedTokens.Add((content.GetString()!, addedId));
                }
            }
        }

        var normalize = BuildNormalizer(root.TryGetProperty("normalizer", out var normalizer) ? normalizer : default, vocabulary, unkId, path);
        var preTokenize = BuildPreTokenizer(root.TryGetProperty("pre_tokenizer", out var preTokenizer) ? preTokenizer : default, path);
        // The library segments a piece as it is given: no normalization, no "▁" of its own.
        var unigram = SentencePieceTokenizer.Create(
            vocabulary,
            unkId,
            addBeginningOfSentence: false,
            addEndOfSentence: false,
            precompiledCharsMap: default,
            addDummyPrefix: false,
            escapeWhiteSpaces: false,
            treatWhitespaceAsSuffix: false,
            byteFallback: byteFallback,
            specialTokens: null);

        using var config = TokenizerFiles.ReadJson(folder, "tokenizer_config.json", required: false);
        try
        {
            return new T5Tokenizer(
                unigram,
                normalize,
                preTokenize,
                [.. addedTokens.OrderByDescending(t => t.Item1.Length)],
                vocabulary.Select(v => v.Item1).ToArray(),
                unkId,
                maxLength ?? TokenizerFiles.ModelMaxLength(config) ?? 512,
                TokenizerFiles.SpecialToken(config, "eos_token") ?? "</s>",
                TokenizerFiles.SpecialToken(config, "pad_token") ?? "<pad>");
        }
        catch (ArgumentException error)
        {
            throw new TokenizerFileException(path, error.Message, error);
        }
    }

    /// <inheritdoc/>
    public int[] Encode(string text)
    {
        // Padding and truncation are ours, as transformers applies them for padding="max_length", truncation=True:
        // the text is cut to leave room for </s>.
        var ids = new int[MaxLength];
        ids.AsSpan().Fill(PadId);
        var count = 0;
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

    /// <summary>The pieces of <paramref name="text"/>, without eos or padding.</summary>
    public IReadOnlyList<string> Tokenize(string text) => TokenIds(text).Select(id => _pieceById[id]).ToArray();

    /// <summary>The ids of <paramref name="text"/>, without eos or padding.</summary>
    public IEnumerable<int> TokenIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = true;
        var start = 0;
        while (start < text.Length)
        {
            var (at, token, tokenId) = NextAddedToken(text, start);
            if (at > start)
            {
                foreach (var piece in _preTokenize(_normalize(text[start..at]), first))
                {
                    foreach (var id in Segment(piece))
                    {
                        yield return id;
                    }
                }
            }
            if (token is null)
            {
                break;
            }
            yield return tokenId;
            first = false;
            start = at + token.Length;
        }
    }

    // Hugging Face matches added tokens in the text before anything else: the leftmost, the longest at one place.
    private (int At, string? Token, int Id) NextAddedToken(string text, int start)
    {
        var best = (At: text.Length, Token: (string?)null, Id: 0);
        foreach (var (token, id) in _addedTokens)
        {
            var at = text.IndexOf(token, start, StringComparison.Ordinal);
            if (at >= 0 && at < best.At)
            {
                best = (at, token, id);
            }
        }
        return best;
    }

    // Hugging Face's Unigram fuses a run of unknown pieces into one; the library leaves one per character.
    private IEnumerable<int> Segment(string piece)
    {
        var previous = -1;
        foreach (var id in _unigram.EncodeToIds(piece, addBeginningOfSentence: false, addEndOfSentence: false, considerPreTokenization: false, considerNormalization: false))
        {
            if (id != UnkId || previous != UnkId)
            {
                yield return id;
            }
            previous = id;
        }
    }

    private int IdOf(string token, string role)
    {
        var id = Array.IndexOf(_pieceById, token);
        return id >= 0 ? id : throw new ArgumentException($"the {role} '{token}' is not in the vocabulary.", nameof(token));
    }

    /// <summary>
    /// tokenizer.json's "normalizer" as a function. Ours because the library applies NFKC with string.Normalize, which
    /// leaves non-ASCII text unchanged under invariant globalization; "Precompiled" is the library's character map.
    /// </summary>
    private static Func<string, string> BuildNormalizer(JsonElement step, List<(string, float)> vocabulary, int unkId, string path)
    {
        if (step.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return text => text;
        }
        var type = step.TryGetProperty("type", out var typeValue) ? typeValue.GetString() : null;
        switch (type)
        {
            case "Sequence":
                var steps = step.GetProperty("normalizers").EnumerateArray().Select(s => BuildNormalizer(s, vocabulary, unkId, path)).ToArray();
                return text => steps.Aggregate(text, (current, next) => next(current));
            case "NFC":
                return UnicodeNormalization.Nfc;
            case "NFKC":
                return UnicodeNormalization.Nfkc;
            case "Strip":
                var left = !step.TryGetProperty("strip_left", out var l) || l.ValueKind == JsonValueKind.True;
                var right = !step.TryGetProperty("strip_right", out var r) || r.ValueKind == JsonValueKind.True;
                return text => left && right ? text.Trim() : left ? text.TrimStart() : right ? text.TrimEnd() : text;
            case "Replace":
                var content = step.GetProperty("content").GetString() ?? "";
                var pattern = step.GetProperty("pattern");
                if (pattern.TryGetProperty("Regex", out var regexValue))
                {
                    var regex = new Regex(regexValue.GetString()!, RegexOptions.CultureInvariant);
                    return text => regex.Replace(text, content.Replace("$", "$$", StringComparison.Ordinal));
                }
                var literal = pattern.GetProperty("String").GetString()!;
                return text => text.Replace(literal, content, StringComparison.Ordinal);
            case "Precompiled":
                var charsMap = step.TryGetProperty("precompiled_charsmap", out var map) && map.ValueKind == JsonValueKind.String
                    ? Convert.FromBase64String(map.GetString()!)
                    : [];
                if (charsMap.Length == 0)
                {
                    return text => text;
                }
                var normalizer = SentencePieceTokenizer.Create(
                    vocabulary, unkId, addBeginningOfSentence: false, addEndOfSentence: false, charsMap,
                    addDummyPrefix: false, escapeWhiteSpaces: false, treatWhitespaceAsSuffix: false, byteFallback: false,
                    specialTokens: null).Normalizer!;
                return normalizer.Normalize;
            default:
                throw new TokenizerFileException(path, $"the normalizer '{type}' is not supported.");
        }
    }

    /// <summary>
    /// tokenizer.json's "pre_tokenizer" as a function of a text and whether it starts the input. Ours because the
    /// library prepends "▁" even where the text starts with a space, which Hugging Face's Metaspace does not.
    /// </summary>
    private static Func<string, bool, IEnumerable<string>> BuildPreTokenizer(JsonElement step, string path)
    {
        if (step.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return (text, _) => text.Length > 0 ? [text] : [];
        }
        var type = step.TryGetProperty("type", out var typeValue) ? typeValue.GetString() : null;
        switch (type)
        {
            case "Sequence":
                var steps = step.GetProperty("pretokenizers").EnumerateArray().Select(s => BuildPreTokenizer(s, path)).ToArray();
                return (text, first) => steps.Aggregate(
                    (IEnumerable<string>)[text],
                    (pieces, next) => pieces.SelectMany((piece, i) => next(piece, first && i == 0)).ToList());
            case "WhitespaceSplit":
                return (text, _) => SplitAtWhitespace(text);
            case "Metaspace":
                var replacement = step.TryGetProperty("replacement", out var r) ? r.GetString() ?? "\u2581" : "\u2581";
                var scheme = step.TryGetProperty("prepend_scheme", out var s) ? s.GetString()
                    : step.TryGetProperty("add_prefix_space", out var a) && a.ValueKind == JsonValueKind.False ? "never" : "always";
                var split = !step.TryGetProperty("split", out var sp) || sp.ValueKind != JsonValueKind.False;
                return (text, first) => Metaspace(text, replacement, scheme == "always" || (scheme == "first" && first), split);
            default:
                throw new TokenizerFileException(path, $"the pre-tokenizer '{type}' is not supported.");
        }
    }

    private static List<string> SplitAtWhitespace(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune))
            {
                word.Append(rune.ToString());
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }
        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }
        return words;
    }

    // Spaces become the replacement, which is prepended unless the text starts with it; split, each piece starts at one.
    private static List<string> Metaspace(string text, string replacement, bool prepend, bool split)
    {
        if (text.Length == 0)
        {
            return [];
        }
        var escaped = text.Replace(" ", replacement, StringComparison.Ordinal);
        if (prepend && !escaped.StartsWith(replacement, StringComparison.Ordinal))
        {
            escaped = replacement + escaped;
        }
        if (!split)
        {
            return [escaped];
        }
        var pieces = new List<string>();
        var start = 0;
        for (var at = escaped.IndexOf(replacement, 1, StringComparison.Ordinal); at > 0; at = escaped.IndexOf(replacement, at + replacement.Length, StringComparison.Ordinal))
        {
            pieces.Add(escaped[start..at]);
            start = at;
        }
        pieces.Add(escaped[start..]);
        return pieces;
    }
}
