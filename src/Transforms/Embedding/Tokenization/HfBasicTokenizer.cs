using System.Globalization;
using System.Text;

namespace MlNetIso.Transforms.Embedding;

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
    /// <summary>The words of <paramref name="segment"/> (a text part without special tokens), in order.</summary>
    public IEnumerable<string> Words(string segment)
    {
        string cleaned = Clean(segment);
        if (!cleaned.IsNormalized(NormalizationForm.FormC))
            cleaned = cleaned.Normalize(NormalizationForm.FormC);

        var word = new StringBuilder();
        foreach (Rune r in cleaned.EnumerateRunes())
        {
            if (HfCharClasses.IsPythonSpace(r))
            {
                if (word.Length > 0)
                {
                    foreach (var piece in SplitWord(word.ToString())) yield return piece;
                    word.Clear();
                }
                continue;
            }
            word.Append(r.ToString());
        }
        if (word.Length > 0)
            foreach (var piece in SplitWord(word.ToString())) yield return piece;
    }

    private string Clean(string text)
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
                sb.Append(' ').Append(r.ToString()).Append(' ');
                continue;
            }
            if (lowerCase) HfCharClasses.AppendLower(sb, r);
            else sb.Append(r.ToString());
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
                sb.Append(r.ToString());
        return sb.ToString();
    }
}
