using System.Globalization;
using System.Text;

namespace MlNetIso.Transforms.Embedding.Tokenization;

/// <summary>
/// The "basic tokenisation" of Hugging Face's python <c>BertTokenizer</c> (its <c>BasicTokenizer</c> plus the
/// per-character lower-casing of <c>PreTrainedTokenizer.tokenize</c>), producing the words that WordPiece then
/// splits. Steps, in HF's order:
/// <list type="number">
/// <item>lower-case each code point (python <c>str.lower</c>, no context) when lower-casing is on;</item>
/// <item>drop U+0000, U+FFFD, ill-formed surrogates and every C* code point except \t \n \r; map \t \n \r and
/// category Zs to a space;</item>
/// <item>surround each CJK ideograph with spaces (optional);</item>
/// <item>NFC-normalise (transformers ≥ 4.31);</item>
/// <item>split on python whitespace (<c>str.split()</c>, which also splits on U+2028/U+2029);</item>
/// <item>per word: strip accents (NFD, drop category Mn) when enabled;</item>
/// <item>split off every punctuation code point as a word of its own.</item>
/// </list>
/// Stateless after construction, hence thread-safe.
/// </summary>
internal sealed class HfBasicTokenizer(bool lowerCase, bool stripAccents, bool tokenizeChineseChars)
{
    /// <summary>Texts longer than this are processed in pieces cut at an ASCII space, tab or line break.</summary>
    internal const int ChunkChars = 8192;

    /// <summary>
    /// The words of <c>text[start..(start + length)]</c> (a text part without special tokens), in order, produced lazily.
    /// Long texts are processed in chunks that end at a space, \t, \n or \r; every step is local to such a
    /// boundary (each becomes a split point, and NFC neither reorders nor composes across a starter like U+0020), so
    /// chunking gives exactly the words of the whole text while letting a truncated encode stop early.
    /// </summary>
    public IEnumerable<string> Words(string text, int start, int length)
    {
        int stop = start + length;
        while (start < stop)
        {
            int end = ChunkEnd(text, start, stop);
            foreach (var word in ChunkWords(text, start, end)) yield return word;
            start = end;
        }
    }

    /// <summary>The words of the whole <paramref name="text"/>.</summary>
    public IEnumerable<string> Words(string text) => Words(text, 0, text.Length);

    private static int ChunkEnd(string text, int start, int stop)
    {
        if (stop - start <= ChunkChars) return stop;
        int boundary = text.AsSpan(start + ChunkChars, stop - start - ChunkChars).IndexOfAny(" \t\n\r");
        return boundary < 0 ? stop : start + ChunkChars + boundary + 1;
    }

    private IEnumerable<string> ChunkWords(string text, int start, int end)
    {
        string cleaned = Clean(text.AsSpan(start, end - start));
        if (!cleaned.IsNormalized(NormalizationForm.FormC))
            cleaned = cleaned.Normalize(NormalizationForm.FormC);

        int wordStart = 0;
        int i = 0;
        foreach (Rune r in cleaned.EnumerateRunes())
        {
            if (HfCharClasses.IsPythonSpace(r))
            {
                if (i > wordStart)
                    foreach (var piece in SplitWord(cleaned[wordStart..i])) yield return piece;
                wordStart = i + r.Utf16SequenceLength;
            }
            i += r.Utf16SequenceLength;
        }
        if (i > wordStart)
            foreach (var piece in SplitWord(cleaned[wordStart..i])) yield return piece;
    }

    private string Clean(ReadOnlySpan<char> text)
    {
        var sb = new StringBuilder(text.Length + 8);
        foreach (Rune r in text.EnumerateRunes())
        {
            // EnumerateRunes yields U+FFFD for an ill-formed surrogate; HF drops those (category Cs) and U+FFFD alike.
            if (r.Value is 0 or 0xFFFD || HfCharClasses.IsControl(r)) continue;
            if (HfCharClasses.IsWhitespace(r))
            {
                sb.Append(' ');
                continue;
            }
            if (tokenizeChineseChars && HfCharClasses.IsChineseChar(r.Value))
            {
                sb.Append(' ');
                HfCharClasses.AppendRune(sb, r);
                sb.Append(' ');
                continue;
            }
            if (lowerCase) HfCharClasses.AppendLower(sb, r);
            else HfCharClasses.AppendRune(sb, r);
        }
        return sb.ToString();
    }

    private IEnumerable<string> SplitWord(string token)
    {
        if (stripAccents) token = StripAccents(token);
        int start = 0;
        int i = 0;
        foreach (Rune r in token.EnumerateRunes())
        {
            if (HfCharClasses.IsPunctuation(r))
            {
                if (i > start) yield return token[start..i];
                yield return r.ToString();
                start = i + r.Utf16SequenceLength;
            }
            i += r.Utf16SequenceLength;
        }
        if (i > start) yield return token[start..i];
    }

    private static string StripAccents(string token)
    {
        string nfd = token.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(nfd.Length);
        foreach (Rune r in nfd.EnumerateRunes())
            if (Rune.GetUnicodeCategory(r) != UnicodeCategory.NonSpacingMark)
                HfCharClasses.AppendRune(sb, r);
        return sb.ToString();
    }
}
