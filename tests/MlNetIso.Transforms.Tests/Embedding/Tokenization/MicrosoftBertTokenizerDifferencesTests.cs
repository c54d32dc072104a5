using Microsoft.ML.Tokenizers;

namespace MlNetIso.Transforms.Tests.Embedding.Tokenization;

/// <summary>
/// Documents, row by row, where Microsoft.ML.Tokenizers 2.0.1's own <see cref="BertTokenizer"/> (basic tokenisation
/// on, options set as close to HF as it allows) gives other ids than HF's python BertTokenizer on the committed
/// fixture, and checks that <c>BertTextTokenizer</c> matches HF on each of those rows. If a package update changes
/// Microsoft's behaviour, the exact-set assertion fails and this list must be revisited.
/// </summary>
public sealed class MicrosoftBertTokenizerDifferencesTests
{
    private const string Symbols = "drops every symbol (categories Sm Sc Sk So: £ € $ + = < > ^ ` ~ | © ° × …); HF keeps them inside words";
    private const string Underscore = "does not split on '_' (HF: punctuation), and " + Symbols;
    private const string TabNewline = "does not treat \\t \\n \\r as word separators (the words are glued); HF maps them to spaces";
    private const string FormatChars = "splits words at format (Cf) and private-use (Co) characters; HF removes them without splitting";
    private const string NonBmp = "drops every code point outside the BMP (emoji, 𝔘, 𠀋, 𐐀, U+10100); HF keeps them (known ids or [UNK])";
    private const string Hangul = "RemoveNonSpacingMarks does not decompose Hangul syllables; HF's NFD turns them into conjoining jamo ([UNK] here)";
    private const string SpecialsCase = "matches [cls]/[Sep] as special tokens after lower-casing; HF matches special tokens case-sensitively";

    /// <summary>Rows of the fixture on which Microsoft's BertTokenizer differs from HF, with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> Uncased = new Dictionary<string, string>
    {
        ["sms-37"] = Symbols, ["sms-40"] = Symbols, ["sms-43"] = Symbols, ["sms-44"] = Symbols, ["sms-47"] = Symbols,
        ["sms-50"] = Symbols, ["sms-52"] = Symbols, ["sms-53"] = Symbols, ["sms-55"] = Symbols,
        ["ascii-punct"] = Underscore, ["ascii-punct-2"] = Symbols, ["symbols"] = Symbols, ["numbers"] = Symbols,
        ["urls"] = Symbols, ["cjk-compat"] = Symbols + "; and U+2F800 is outside the BMP: " + NonBmp,
        ["tab-newline"] = TabNewline,
        ["zwsp"] = FormatChars, ["soft-hyphen"] = FormatChars, ["bom-zwj"] = FormatChars, ["private-use"] = FormatChars,
        ["emoji"] = NonBmp, ["emoji-modifier"] = NonBmp, ["emoji-zwj"] = NonBmp, ["flag"] = NonBmp, ["fraktur"] = NonBmp,
        ["cjk-ext-b"] = NonBmp, ["deseret"] = NonBmp, ["supplementary-punct"] = NonBmp,
        ["long-word-surrogates-60"] = NonBmp, ["long-word-surrogates-101"] = NonBmp,
        ["korean"] = Hangul, ["specials-lowercase"] = SpecialsCase,
    };

    /// <summary>Cased mode: the same rows except the two that only arise with lower-casing/accent stripping.</summary>
    public static readonly IReadOnlyDictionary<string, string> Cased =
        Uncased.Where(kv => kv.Key is not ("korean" or "specials-lowercase")).ToDictionary(kv => kv.Key, kv => kv.Value);

    [Theory]
    [InlineData("uncased", true)]
    [InlineData("cased", false)]
    public void MicrosoftBertTokenizer_DiffersFromHFExactlyOnTheDocumentedRows(string mode, bool lower)
    {
        var documented = lower ? Uncased : Cased;
        var ms = BertTokenizer.Create(Path.Combine(HfFixture.Dir, HfFixture.GetMode(mode).Vocab), new BertOptions
        {
            LowerCaseBeforeTokenization = lower,
            RemoveNonSpacingMarks = lower,
            IndividuallyTokenizeCjk = true,
            ApplyBasicTokenization = true,
        });
        var ours = HfFixture.Tokenizer(mode);
        var differing = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in HfFixture.ResultsOf(mode))
        {
            string text = HfFixture.Text(row.Id);
            if (!ms.EncodeToIds(text, addSpecialTokens: false).SequenceEqual(row.SubwordIds)) differing.Add(row.Id);
            Assert.Equal(row.Encoded["512"], ours.Encode(text, 512));
        }
        Assert.Equal(new SortedSet<string>(documented.Keys, StringComparer.Ordinal), differing);
    }

    [Fact]
    public void MicrosoftWordPiece_CountsMaxInputCharsPerWordInUTF16Units()
    {
        // HF counts code points: "😀😀" has 2 and is split into 😀 ##😀 with a limit of 3. Microsoft.ML.Tokenizers sees 4
        // UTF-16 units and emits [UNK]; BertTextTokenizer therefore applies the limit itself (see its behaviour tests).
        using var vocab = TestVocab.Stream("[PAD]", "[UNK]", "[CLS]", "[SEP]", "\U0001F600", "##\U0001F600");
        var wp = WordPieceTokenizer.Create(vocab, new WordPieceOptions { MaxInputCharsPerWord = 3 });
        Assert.Equal([1], wp.EncodeToIds("\U0001F600\U0001F600", considerPreTokenization: false, considerNormalization: false));
    }

    [Fact]
    public void MicrosoftWordPiece_RejectsDuplicateVocabularyLines()
    {
        // HF's load_vocab lets the later line win; BertTextTokenizer replaces the earlier line by a placeholder.
        using var vocab = TestVocab.Stream("[PAD]", "[UNK]", "[CLS]", "[SEP]", "foo", "foo");
        Assert.Throws<ArgumentException>(() => WordPieceTokenizer.Create(vocab, new WordPieceOptions()));
    }
}
