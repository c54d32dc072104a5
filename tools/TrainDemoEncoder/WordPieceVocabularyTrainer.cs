using System.Globalization;

namespace MlNetIso.Tools.TrainDemoEncoder;

/// <summary>
/// Builds a BERT WordPiece vocabulary (<c>vocab.txt</c>, one piece per line, id = line number) that
/// Microsoft.ML.Tokenizers' <c>BertTokenizer</c> reads. Procedure, a frequency-merge (BPE-style) trainer:
/// <list type="number">
/// <item>Pre-tokenise like BERT's BasicTokenizer: lower-case, split on whitespace, make every punctuation
/// character its own word.</item>
/// <item>Start from the alphabet: every character c of the corpus as a word-initial piece <c>c</c> and as a
/// continuation piece <c>##c</c>; each word is a sequence of such pieces.</item>
/// <item>Repeatedly merge the adjacent pair of pieces with the highest corpus frequency (ties broken by the
/// earlier-created pair) into one piece (<c>a</c> + <c>##b</c> → <c>ab</c>, <c>##a</c> + <c>##b</c> → <c>##ab</c>)
/// until the vocabulary has the requested size.</item>
/// </list>
/// The special tokens come first: [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4. Tokenisation at inference uses
/// BERT's greedy longest-match-first WordPiece, which every merged piece supports because all its prefixes exist.
/// The result is deterministic for a given corpus order.
/// </summary>
internal static class WordPieceVocabularyTrainer
{
    public static readonly string[] SpecialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    public static List<string> Train(IEnumerable<string> texts, int vocabSize, int minWordCount = 1)
    {
        var wordCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var firstSeen = new List<string>();
        foreach (var text in texts)
            foreach (var w in PreTokenize(text))
            {
                if (wordCounts.TryGetValue(w, out var c)) wordCounts[w] = c + 1;
                else { wordCounts[w] = 1; firstSeen.Add(w); }
            }

        var pieces = new List<string>(SpecialTokens);
        var pieceIds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in SpecialTokens) pieceIds[s] = pieceIds.Count;
        int Id(string piece)
        {
            if (!pieceIds.TryGetValue(piece, out var id))
            {
                id = pieces.Count;
                pieces.Add(piece);
                pieceIds[piece] = id;
            }
            return id;
        }

        // Alphabet: all characters (sorted for determinism), initial and continuation forms.
        var alphabet = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var w in firstSeen)
            foreach (var ch in TextElements(w)) alphabet.Add(ch);
        foreach (var ch in alphabet) Id(ch);
        foreach (var ch in alphabet) Id("##" + ch);
        if (pieces.Count >= vocabSize) return pieces;

        var words = new List<(List<int> Symbols, long Count)>();
        foreach (var w in firstSeen)
        {
            if (wordCounts[w] < minWordCount) continue;
            var els = TextElements(w).ToList();
            words.Add((els.Select((e, i) => pieceIds[i == 0 ? e : "##" + e]).ToList(), wordCounts[w]));
        }

        var pairCounts = new Dictionary<(int, int), long>();
        var pairWords = new Dictionary<(int, int), HashSet<int>>();
        var pairOrder = new Dictionary<(int, int), long>();
        long orderCounter = 0;
        var queue = new PriorityQueue<(int, int), (long NegCount, long Order)>();

        void AddPair((int, int) p, long delta, int wordIndex)
        {
            pairCounts.TryGetValue(p, out var c);
            c += delta;
            pairCounts[p] = c;
            if (!pairWords.TryGetValue(p, out var set)) pairWords[p] = set = new HashSet<int>();
            set.Add(wordIndex);
            if (!pairOrder.ContainsKey(p)) pairOrder[p] = orderCounter++;
            if (c > 0) queue.Enqueue(p, (-c, pairOrder[p]));
        }

        for (int wi = 0; wi < words.Count; wi++)
        {
            var s = words[wi].Symbols;
            for (int i = 0; i + 1 < s.Count; i++) AddPair((s[i], s[i + 1]), words[wi].Count, wi);
        }

        while (pieces.Count < vocabSize && queue.TryDequeue(out var best, out var priority))
        {
            if (!pairCounts.TryGetValue(best, out var current) || current <= 0 || -priority.NegCount != current)
                continue; // stale queue entry
            var left = pieces[best.Item1];
            var right = pieces[best.Item2];
            int merged = Id(left + (right.StartsWith("##", StringComparison.Ordinal) ? right[2..] : right));
            foreach (var wi in pairWords[best].ToList())
            {
                var (s, count) = words[wi];
                bool touched = false;
                for (int i = 0; i + 1 < s.Count; i++)
                {
                    if (s[i] != best.Item1 || s[i + 1] != best.Item2) continue;
                    if (!touched)
                    {
                        for (int j = 0; j + 1 < s.Count; j++) AddPair((s[j], s[j + 1]), -count, wi);
                        touched = true;
                    }
                    s[i] = merged;
                    s.RemoveAt(i + 1);
                }
                if (touched)
                    for (int j = 0; j + 1 < s.Count; j++) AddPair((s[j], s[j + 1]), count, wi);
            }
            pairCounts[best] = 0;
        }
        return pieces;
    }

    /// <summary>BERT BasicTokenizer-style pre-tokenisation: lower-case, whitespace split, punctuation isolated.</summary>
    public static IEnumerable<string> PreTokenize(string text)
    {
        var current = new System.Text.StringBuilder();
        foreach (var raw in text.ToLowerInvariant())
        {
            if (char.IsWhiteSpace(raw) || char.IsControl(raw))
            {
                if (current.Length > 0) { yield return current.ToString(); current.Clear(); }
            }
            else if (IsPunctuation(raw))
            {
                if (current.Length > 0) { yield return current.ToString(); current.Clear(); }
                yield return raw.ToString();
            }
            else current.Append(raw);
        }
        if (current.Length > 0) yield return current.ToString();
    }

    private static bool IsPunctuation(char c)
        => c is >= '!' and <= '/' or >= ':' and <= '@' or >= '[' and <= '`' or >= '{' and <= '~' || char.IsPunctuation(c);

    private static IEnumerable<string> TextElements(string word)
    {
        var e = StringInfo.GetTextElementEnumerator(word);
        while (e.MoveNext()) yield return (string)e.Current;
    }
}
