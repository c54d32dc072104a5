namespace MlNetIso.Transforms.Embedding.Tokenization;

/// <summary>
/// Settings of <see cref="BertTextTokenizer"/>. They mirror the arguments of Hugging Face's python
/// <c>BertTokenizer</c> (<c>do_lower_case</c>, <c>strip_accents</c>, <c>tokenize_chinese_chars</c>,
/// <c>max_input_chars_per_word</c>) and take the same defaults, which are those of uncased BERT.
/// </summary>
public sealed class BertTextTokenizerOptions
{
    /// <summary>
    /// Lower-case the text before WordPiece (HF <c>do_lower_case</c>). True for "uncased" checkpoints, false for
    /// "cased" ones. Default true.
    /// </summary>
    public bool LowerCase { get; init; } = true;

    /// <summary>
    /// Remove accents: canonical decomposition (NFD) followed by dropping every non-spacing mark (category Mn), so
    /// "café" becomes "cafe" (HF <c>strip_accents</c>). Null (the default) means "same as <see cref="LowerCase"/>",
    /// exactly as in HF and the original BERT.
    /// </summary>
    public bool? StripAccents { get; init; }

    /// <summary>
    /// Treat every CJK Unified Ideograph (and its extensions and compatibility ideographs) as a word of its own
    /// (HF <c>tokenize_chinese_chars</c>). Default true.
    /// </summary>
    public bool TokenizeChineseChars { get; init; } = true;

    /// <summary>
    /// A word with more Unicode code points than this becomes a single [UNK] (HF <c>max_input_chars_per_word</c>;
    /// code points, not UTF-16 units). Default 100.
    /// </summary>
    public int MaxInputCharsPerWord { get; init; } = 100;

    /// <summary>Whether accents are stripped once <see cref="StripAccents"/>'s null default is resolved.</summary>
    internal bool EffectiveStripAccents => StripAccents ?? LowerCase;
}
