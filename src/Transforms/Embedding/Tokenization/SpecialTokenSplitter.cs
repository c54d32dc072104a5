namespace MlNetIso.Transforms.Embedding.Tokenization;

/// <summary>
/// Splits text on literal special tokens ("[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"), as the added-token trie of
/// HF's <c>PreTrainedTokenizer.tokenize</c> does: case-sensitive, anywhere in the text (also inside a word), and
/// the matched token becomes its own id without basic tokenisation or WordPiece.
/// </summary>
internal sealed class SpecialTokenSplitter(IReadOnlyList<(string Token, int Id)> specials)
{
    /// <summary>A piece of text: either a special token's id, or a plain text range to tokenise.</summary>
    public readonly record struct Piece(int Start, int Length, int? SpecialId);

    /// <summary>The pieces of <paramref name="text"/> in order; plain ranges are never empty but may be whitespace only.</summary>
    public IEnumerable<Piece> Split(string text)
    {
        int plainStart = 0;
        int i = text.IndexOf('[');
        while (i >= 0)
        {
            var match = Match(text, i);
            if (match is { } m)
            {
                if (i > plainStart) yield return new Piece(plainStart, i - plainStart, null);
                yield return new Piece(i, m.Token.Length, m.Id);
                plainStart = i + m.Token.Length;
                i = plainStart < text.Length ? text.IndexOf('[', plainStart) : -1;
            }
            else
            {
                i = i + 1 < text.Length ? text.IndexOf('[', i + 1) : -1;
            }
        }
        if (plainStart < text.Length) yield return new Piece(plainStart, text.Length - plainStart, null);
    }

    private (string Token, int Id)? Match(string text, int at)
    {
        (string Token, int Id)? best = null;
        foreach (var s in specials)
        {
            if (text.AsSpan(at).StartsWith(s.Token, StringComparison.Ordinal)
                && (best is null || s.Token.Length > best.Value.Token.Length))
                best = s;
        }
        return best;
    }
}
