using System.Globalization;
using System.Text;

namespace MlNetIso.Transforms.Embedding.Tokenization;

/// <summary>
/// The character classes of Hugging Face's python BERT tokenizer (<c>_is_whitespace</c>, <c>_is_control</c>,
/// <c>_is_punctuation</c>, <c>_is_chinese_char</c>) and of python's <c>str.split()</c>, re-expressed over .NET
/// <see cref="Rune"/>s so that text outside the BMP is classified per code point, as python does.
/// </summary>
internal static class HfCharClasses
{
    /// <summary>HF <c>_is_whitespace</c>: space, \t, \n, \r, or category Zs.</summary>
    public static bool IsWhitespace(Rune r) =>
        r.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(r) == UnicodeCategory.SpaceSeparator;

    /// <summary>
    /// HF <c>_is_control</c>: any category starting with "C" (Cc, Cf, Cs, Co, Cn) except \t, \n, \r. So format
    /// characters (zero-width space, soft hyphen, BOM), private-use and unassigned code points are all removed.
    /// </summary>
    public static bool IsControl(Rune r)
    {
        if (r.Value is '\t' or '\n' or '\r') return false;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
    }

    /// <summary>HF <c>_is_punctuation</c>: every non-alphanumeric printable ASCII character, or category P*.</summary>
    public static bool IsPunctuation(Rune r)
    {
        int cp = r.Value;
        if (cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126) return true;
        return Rune.GetUnicodeCategory(r) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>HF <c>_is_chinese_char</c>: the CJK Unified Ideographs blocks, extensions A–E and compatibility ideographs.</summary>
    public static bool IsChineseChar(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF
            or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;

    /// <summary>
    /// Python's <c>str.isspace()</c> (used by <c>str.split()</c>): bidirectional class WS, B or S, or category Zs.
    /// After HF's cleaning only ' ' and the line/paragraph separators U+2028/U+2029 can still occur, but the full
    /// set is kept so the split does not depend on that.
    /// </summary>
    public static bool IsPythonSpace(Rune r) =>
        r.Value is >= 0x09 and <= 0x0D or >= 0x1C and <= 0x20 or 0x85 or 0xA0 or 0x1680 or >= 0x2000 and <= 0x200A
            or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000;

    /// <summary>
    /// Python's <c>str.lower()</c> applied one character at a time, as HF's <c>PreTrainedTokenizer.tokenize</c>
    /// does with its <c>(.+?)</c> regex: the full lower-case mapping without context, so U+0130 (İ) becomes
    /// "i̇" (two code points) and a final capital sigma becomes σ, never ς.
    /// </summary>
    public static void AppendLower(StringBuilder sb, Rune r)
    {
        if (r.Value == 0x0130)
        {
            sb.Append('i').Append('\u0307');
            return;
        }
        AppendRune(sb, Rune.ToLowerInvariant(r));
    }

    /// <summary>Appends one code point (one or two UTF-16 units) without allocating.</summary>
    public static void AppendRune(StringBuilder sb, Rune r)
    {
        if (r.IsBmp)
        {
            sb.Append((char)r.Value);
            return;
        }
        Span<char> pair = stackalloc char[2];
        r.EncodeToUtf16(pair);
        sb.Append(pair);
    }
}
