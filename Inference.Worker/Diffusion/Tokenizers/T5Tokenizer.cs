using System.Text;
using System.Text.Json;

namespace Heurist.Inference.Worker.Diffusion.Tokenizers;

/// <summary>
/// The T5 tokenizer of Flux's second text encoder: a SentencePiece Unigram model (Kudo 2018) read from Hugging Face's
/// tokenizer.json. The text is split at whitespace, each word gets the "▁" prefix (Metaspace), and each word is
/// segmented by Viterbi into the pieces whose log-probability scores add up to the most. Characters that no piece
/// covers become the unknown piece, scored min_score − 10 as SentencePiece does, and runs of them fuse into one.
/// Then &lt;/s&gt;, padding with &lt;pad&gt;; a long text is truncated and keeps its &lt;/s&gt;.
/// </summary>
/// <remarks>
/// T5's tokenizer.json also carries a "Precompiled" normalizer (SentencePiece's NFKC-based character map); it is not
/// applied here, for the reason <see cref="ClipTokenizer"/> gives for NFC: prompts are used as written.
/// </remarks>
public sealed class T5Tokenizer : ITextTokenizer
{
    private const string WordPrefix = "\u2581";
    private const double UnknownPenalty = 10.0;

    private readonly Dictionary<string, (int Id, double Score)> _pieces;
    private readonly Dictionary<string, (int Id, double Score)>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly string[] _pieceById;
    private readonly int _longestPiece;
    private readonly double _unknownScore;

    /// <param name="vocabulary">The pieces with their scores; a piece's id is its index.</param>
    /// <param name="unkId">The id of the unknown piece.</param>
    /// <param name="maxLength">The encoding length.</param>
    /// <param name="specialIds">Ids (pad, eos, unk, extra ids) that segmentation never produces.</param>
    /// <param name="eosToken">The end-of-sequence piece.</param>
    /// <param name="padToken">The padding piece.</param>
    public T5Tokenizer(
        IReadOnlyList<(string Piece, double Score)> vocabulary,
        int unkId,
        int maxLength,
        IReadOnlySet<int> specialIds,
        string eosToken = "</s>",
        string padToken = "<pad>")
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(specialIds);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (unkId < 0 || unkId >= vocabulary.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(unkId), unkId, $"unk_id must index the vocabulary of {vocabulary.Count} pieces.");
        }
        _pieceById = vocabulary.Select(v => v.Piece).ToArray();
        _pieces = new Dictionary<string, (int, double)>(StringComparer.Ordinal);
        for (var id = 0; id < vocabulary.Count; id++)
        {
            var (piece, score) = vocabulary[id];
            if (id != unkId && !specialIds.Contains(id) && piece.Length > 0)
            {
                _pieces.TryAdd(piece, (id, score));
                _longestPiece = Math.Max(_longestPiece, piece.Length);
            }
        }
        _lookup = _pieces.GetAlternateLookup<ReadOnlySpan<char>>();
        _unknownScore = vocabulary.Min(v => v.Score) - UnknownPenalty;
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
    /// Loads tokenizer.json (a Unigram model: "model.vocab" as [piece, score] pairs and "model.unk_id"; "added_tokens"
    /// marked special are left out of segmentation) and tokenizer_config.json for model_max_length and the eos and pad
    /// tokens. <paramref name="maxLength"/> overrides model_max_length (Flux.1-dev encodes 512 tokens); 512 when
    /// neither gives one.
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
        var vocabulary = new List<(string, double)>();
        foreach (var entry in vocabValue.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() != 2
                || entry[0].ValueKind != JsonValueKind.String || entry[1].ValueKind != JsonValueKind.Number)
            {
                throw new TokenizerFileException(path, $"model.vocab[{vocabulary.Count}] is not a [piece, score] pair.");
            }
            vocabulary.Add((entry[0].GetString()!, entry[1].GetDouble()));
        }
        if (!model.TryGetProperty("unk_id", out var unkValue) || !unkValue.TryGetInt32(out var unkId))
        {
            throw new TokenizerFileException(path, "model.unk_id is missing.");
        }
        var special = new HashSet<int>();
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                if (token.TryGetProperty("special", out var isSpecial) && isSpecial.ValueKind == JsonValueKind.True
                    && token.TryGetProperty("id", out var id) && id.TryGetInt32(out var specialId))
                {
                    special.Add(specialId);
                }
            }
        }

        using var config = TokenizerFiles.ReadJson(folder, "tokenizer_config.json", required: false);
        try
        {
            return new T5Tokenizer(
                vocabulary,
                unkId,
                maxLength ?? TokenizerFiles.ModelMaxLength(config) ?? 512,
                special,
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
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                if (word.Length > 0)
                {
                    foreach (var id in Segment(WordPrefix + word))
                    {
                        yield return id;
                    }
                    word.Clear();
                }
                continue;
            }
            word.Append(rune.ToString());
        }
        if (word.Length > 0)
        {
            foreach (var id in Segment(WordPrefix + word))
            {
                yield return id;
            }
        }
    }

    /// <summary>Viterbi over the lattice of pieces of one word; an uncovered character is an unknown node.</summary>
    private List<int> Segment(string word)
    {
        var n = word.Length;
        var best = new double[n + 1];
        var from = new int[n + 1];
        var piece = new int[n + 1];
        best.AsSpan(1).Fill(double.NegativeInfinity);
        for (var start = 0; start < n; start++)
        {
            if (double.IsNegativeInfinity(best[start]))
            {
                continue;
            }
            Rune.DecodeFromUtf16(word.AsSpan(start), out _, out var charWidth);
            var coversOneChar = false;
            for (var length = 1; length <= Math.Min(_longestPiece, n - start); length++)
            {
                if (_lookup.TryGetValue(word.AsSpan(start, length), out var entry))
                {
                    Relax(start, start + length, entry.Id, entry.Score);
                    coversOneChar |= length == charWidth;
                }
            }
            if (!coversOneChar)
            {
                Relax(start, start + charWidth, UnkId, _unknownScore);
            }
        }

        var ids = new List<int>();
        for (var end = n; end > 0; end = from[end])
        {
            ids.Add(piece[end]);
        }
        ids.Reverse();
        // SentencePiece fuses a run of unknown pieces into one.
        return ids.Where((id, i) => id != UnkId || i == 0 || ids[i - 1] != UnkId).ToList();

        void Relax(int start, int end, int id, double score)
        {
            var candidate = best[start] + score;
            if (candidate > best[end])
            {
                best[end] = candidate;
                from[end] = start;
                piece[end] = id;
            }
        }
    }

    private int IdOf(string token, string role)
    {
        var id = Array.IndexOf(_pieceById, token);
        return id >= 0 ? id : throw new ArgumentException($"the {role} '{token}' is not in the vocabulary.", nameof(token));
    }
}
