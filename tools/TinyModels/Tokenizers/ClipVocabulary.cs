namespace Heurist.TinyModels.Tokenizers;

/// <summary>
/// A tiny CLIP byte-level BPE vocabulary built the way CLIP builds its own: the 256 byte characters
/// (GPT-2's byte-to-unicode table), the same with <c>&lt;/w&gt;</c> (end of word), one token per merge in
/// merge order, then <c>&lt;|startoftext|&gt;</c> and <c>&lt;|endoftext|&gt;</c> as the last two ids.
/// The merges make a few common fragments and every word of <see cref="Words"/> a single token.
/// </summary>
public sealed class ClipVocabulary
{
    public const string EndOfWord = "</w>";
    public const string StartOfText = "<|startoftext|>";
    public const string EndOfText = "<|endoftext|>";

    /// <summary>Word-inner fragments merged first, so that unknown words still split into familiar pieces.</summary>
    public static readonly IReadOnlyList<string> Fragments =
        ["th", "he", "in", "er", "an", "re", "on", "at", "en", "or", "st", "ar", "ou", "al", "ing"];

    /// <summary>Words that become single tokens: articles, prepositions and a prompt writer's nouns and adjectives.</summary>
    public static readonly IReadOnlyList<string> Words =
    [
        "a", "an", "the", "of", "and", "in", "on", "with", "by", "at", "to", "is",
        "cat", "dog", "bird", "horse", "fox", "man", "woman", "girl", "boy", "robot", "astronaut", "dragon",
        "red", "blue", "green", "yellow", "white", "black", "golden", "dark", "bright",
        "photo", "portrait", "painting", "drawing", "art", "style", "digital", "oil", "anime", "render",
        "city", "forest", "mountain", "river", "lake", "sea", "sky", "sun", "moon", "star", "night",
        "light", "castle", "house", "tree", "flower", "garden", "snow", "fire", "space", "sunset",
        "beautiful", "detailed", "highly", "cinematic", "lighting", "cyberpunk", "landscape", "riding",
        "sitting", "old", "small", "big", "cute", "epic", "high", "quality", "hat",
    ];

    private readonly Dictionary<(string Left, string Right), int> _ranks = [];
    private readonly List<string> _tokens;
    private readonly HashSet<string> _known;
    private readonly List<(string Left, string Right)> _merges = [];

    private ClipVocabulary()
    {
        var bytes = ByteCharacters();
        _tokens = [.. bytes, .. bytes.Select(c => c + EndOfWord)];
        _known = new HashSet<string>(_tokens, StringComparer.Ordinal);
    }

    /// <summary>Tokens in id order.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>Merges in rank order (merges.txt after its version line).</summary>
    public IReadOnlyList<(string Left, string Right)> Merges => _merges;

    /// <summary>The tiny vocabulary: fragments, then words, then the two special tokens.</summary>
    public static ClipVocabulary Create()
    {
        var vocabulary = new ClipVocabulary();
        foreach (var fragment in Fragments)
        {
            vocabulary.AddAsOneToken(fragment, wordEnd: false);
        }
        foreach (var word in Words)
        {
            vocabulary.AddAsOneToken(word, wordEnd: true);
        }
        vocabulary._tokens.Add(StartOfText);
        vocabulary._tokens.Add(EndOfText);
        return vocabulary;
    }

    /// <summary>
    /// GPT-2 and CLIP's byte-to-unicode table in its order: the printable bytes ('!'…'~', '¡'…'¬',
    /// '®'…'ÿ') stand for themselves, and the 68 others map to U+0100 onwards in byte order, so no
    /// byte becomes whitespace or a control character.
    /// </summary>
    public static IReadOnlyList<string> ByteCharacters()
    {
        var printable = new List<int>();
        printable.AddRange(Enumerable.Range(0x21, 0x7E - 0x21 + 1)); // '!'…'~'
        printable.AddRange(Enumerable.Range(0xA1, 0xAC - 0xA1 + 1)); // '¡'…'¬'
        printable.AddRange(Enumerable.Range(0xAE, 0xFF - 0xAE + 1)); // '®'…'ÿ'
        var characters = printable.Select(b => ((char)b).ToString()).ToList();
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            if (!printable.Contains(b))
            {
                characters.Add(((char)next++).ToString());
            }
        }
        return characters;
    }

    /// <summary>
    /// CLIP's BPE of one lowercase ASCII word: start from characters (the last with &lt;/w&gt; when
    /// <paramref name="wordEnd"/>), then repeatedly merge every occurrence of the adjacent pair of lowest rank.
    /// </summary>
    public IReadOnlyList<string> Encode(string word, bool wordEnd = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(word);
        var symbols = word.Select(c => c.ToString()).ToList();
        if (wordEnd)
        {
            symbols[^1] += EndOfWord;
        }
        while (symbols.Count > 1)
        {
            var best = -1;
            var bestRank = int.MaxValue;
            for (var i = 0; i + 1 < symbols.Count; i++)
            {
                if (_ranks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0)
            {
                break;
            }
            var (left, right) = (symbols[best], symbols[best + 1]);
            var merged = new List<string>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i + 1 < symbols.Count && symbols[i] == left && symbols[i + 1] == right)
                {
                    merged.Add(left + right);
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

    // New merges rank after every existing one, so they apply only where the existing merges stop: joining
    // that stopping point left to right makes the word one token without changing any earlier word.
    private void AddAsOneToken(string word, bool wordEnd)
    {
        var pieces = Encode(word, wordEnd).ToList();
        while (pieces.Count > 1)
        {
            var pair = (pieces[0], pieces[1]);
            if (!_ranks.ContainsKey(pair))
            {
                _ranks[pair] = _merges.Count;
                _merges.Add(pair);
                var token = pieces[0] + pieces[1];
                if (_known.Add(token))
                {
                    _tokens.Add(token);
                }
            }
            pieces[0] += pieces[1];
            pieces.RemoveAt(1);
        }
    }
}
