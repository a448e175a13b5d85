using System.Globalization;

namespace Heurist.TinyModels.Tokenizers;

/// <summary>
/// A tiny T5 SentencePiece Unigram vocabulary: <c>&lt;pad&gt;</c>, <c>&lt;/s&gt;</c> and <c>&lt;unk&gt;</c> at ids
/// 0, 1 and 2 as in T5, then <c>▁</c>, common words with <c>▁</c> (the word-start mark), a few suffixes, and
/// every lowercase and uppercase letter and digit alone and with <c>▁</c>, plus punctuation. Scores
/// (log-probabilities) fall by 0.05 per piece down the list, so whole words beat their letters.
/// </summary>
public sealed class T5Vocabulary
{
    public const int PadId = 0;
    public const int EndOfSequenceId = 1;
    public const int UnknownId = 2;
    public const string Pad = "<pad>";
    public const string EndOfSequence = "</s>";
    public const string Unknown = "<unk>";

    /// <summary>SentencePiece's word-start mark, U+2581.</summary>
    public const string WordStart = "\u2581";

    private static readonly string[] Suffixes = ["s", "ing", "ed", "er", "ly", "es"];
    private static readonly string[] Punctuation = [",", ".", "!", "?", "-", "'", ":", ";", "(", ")", "\""];

    private T5Vocabulary(IReadOnlyList<(string Piece, decimal Score)> pieces) => Pieces = pieces;

    /// <summary>Pieces in id order with their scores.</summary>
    public IReadOnlyList<(string Piece, decimal Score)> Pieces { get; }

    public static T5Vocabulary Create()
    {
        var ordered = new List<string> { WordStart };
        ordered.AddRange(ClipVocabulary.Words.Select(w => WordStart + w));
        ordered.AddRange(Suffixes);
        var characters = Enumerable.Range('a', 26).Concat(Enumerable.Range('0', 10)).Concat(Enumerable.Range('A', 26))
            .Select(c => ((char)c).ToString());
        foreach (var c in characters)
        {
            ordered.Add(c);
            ordered.Add(WordStart + c);
        }
        ordered.AddRange(Punctuation);

        var pieces = new List<(string Piece, decimal Score)> { (Pad, 0m), (EndOfSequence, 0m), (Unknown, 0m) };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var score = -2.0m;
        foreach (var piece in ordered.Where(seen.Add))
        {
            pieces.Add((piece, score));
            score = piece == WordStart ? -3.0m : score - 0.05m;
        }
        return new T5Vocabulary(pieces);
    }

    /// <summary>A score as tokenizer.json writes it, always with a decimal point (-2.0, -3.05).</summary>
    public static string FormatScore(decimal score) => score.ToString("0.0#", CultureInfo.InvariantCulture);
}
