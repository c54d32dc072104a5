using MlNetIso.Transforms.Embedding.Tokenization;


namespace MlNetIso.Transforms.Tests.Embedding.Tokenization;

/// <summary>Encode contract, special ids, options and vocabulary reading rules.</summary>
public sealed class BertTextTokenizerBehaviourTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t\n ")]
    [InlineData("\u200b\u0000\ufffd")]
    public void EncodeOfTextWithoutTokens_IsClsSep(string? text)
    {
        var tok = HfFixture.Tokenizer("uncased");
        Assert.Equal([tok.ClsId, tok.SepId], tok.Encode(text, 16));
        Assert.Equal(0, tok.CountTokens(text));
    }

    [Fact]
    public void SpecialIds_AreTheLineIndicesOfTheVocabulary()
    {
        var tok = HfFixture.Tokenizer("cased");
        Assert.Equal((0, 1, 2, 3, 4), (tok.PadId, tok.UnkId, tok.ClsId, tok.SepId, tok.MaskId!.Value));
        Assert.Equal(File.ReadAllLines(Path.Combine(HfFixture.Dir, "vocab-cased.txt")).Length, tok.VocabularySize);
    }

    [Fact]
    public void Truncation_KeepsTheLeadingSubwordsAndAlwaysEndsWithSep()
    {
        var tok = HfFixture.Tokenizer("uncased");
        string text = HfFixture.Text("long-sentence");
        int n = tok.CountTokens(text);
        var full = tok.Encode(text, n + 2);
        Assert.Equal(n + 2, full.Length);
        for (int max = 2; max <= n + 5; max++)
        {
            var ids = tok.Encode(text, max);
            Assert.Equal(Math.Min(max, n + 2), ids.Length);
            Assert.Equal(tok.ClsId, ids[0]);
            Assert.Equal(tok.SepId, ids[^1]);
            Assert.Equal(full[1..(ids.Length - 1)], ids[1..^1]);
        }
    }

    [Fact]
    public void Encode_RejectsALimitBelowTwo()
    {
        var tok = HfFixture.Tokenizer("uncased");
        Assert.Throws<ArgumentOutOfRangeException>(() => tok.Encode("foo", 1));
    }

    [Fact]
    public void IllFormedSurrogates_AreRemovedLikeHFRemovesCategoryCs()
    {
        var tok = HfFixture.Tokenizer("uncased");
        Assert.Equal(tok.Encode("wor\ud800ld x\udc00y", 32), tok.Encode("world xy", 32));
    }

    [Fact]
    public void LiteralSpecialTokens_BecomeTheirIdsAndMASKMapsToUNKWhenAbsent()
    {
        var tok = TestVocab.Create(null, "[PAD]", "[UNK]", "[CLS]", "[SEP]", "foo");
        Assert.Null(tok.MaskId);
        Assert.Equal([2, 4, 3, 1, 4, 0, 3], tok.Encode("foo[SEP] [MASK]foo [PAD]", 16));
    }

    [Fact]
    public void ADuplicatedVocabularyLine_ResolvesToTheLaterIdLikeHF()
    {
        // HF's load_vocab fills a dict, so the later line wins; Microsoft.ML.Tokenizers would throw on the duplicate.
        var tok = TestVocab.Create(null, "[PAD]", "[UNK]", "[CLS]", "[SEP]", "foo", "bar", "foo", "##s");
        Assert.Equal(8, tok.VocabularySize);
        Assert.Equal([2, 6, 5, 6, 7, 3], tok.Encode("foo bar foos", 16));
    }

    [Fact]
    public void MaxInputCharsPerWord_CountsCodePointsNotUTF16Units()
    {
        var tok = TestVocab.Create(new BertTextTokenizerOptions { MaxInputCharsPerWord = 3 },
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "\U0001F600", "##\U0001F600");
        Assert.Equal([2, 4, 5, 5, 3], tok.Encode("\U0001F600\U0001F600\U0001F600", 16)); // 3 code points, 6 UTF-16 units
        Assert.Equal([2, 1, 3], tok.Encode("\U0001F600\U0001F600\U0001F600\U0001F600", 16)); // 4 code points
    }

    [Fact]
    public void StripAccents_Null_FollowsLowerCaseAndExplicitValuesOverrideIt()
    {
        string[] vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "cafe", "café", "CAFE", "CAFÉ"];
        Assert.Equal([2, 4, 3], TestVocab.Create(new() { LowerCase = true }, vocab).Encode("CAFÉ", 8));
        Assert.Equal([2, 5, 3], TestVocab.Create(new() { LowerCase = true, StripAccents = false }, vocab).Encode("CAFÉ", 8));
        Assert.Equal([2, 7, 3], TestVocab.Create(new() { LowerCase = false }, vocab).Encode("CAFÉ", 8));
        Assert.Equal([2, 6, 3], TestVocab.Create(new() { LowerCase = false, StripAccents = true }, vocab).Encode("CAFÉ", 8));
    }

    [Fact]
    public void Options_Defaults_AreUncasedBert()
    {
        var o = new BertTextTokenizerOptions();
        Assert.True(o.LowerCase);
        Assert.Null(o.StripAccents);
        Assert.True(o.TokenizeChineseChars);
        Assert.Equal(100, o.MaxInputCharsPerWord);
    }

    [Fact]
    public void InvalidMaxInputCharsPerWord_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            TestVocab.Create(new BertTextTokenizerOptions { MaxInputCharsPerWord = 0 }, TestVocab.Basic));
    }

    [Fact]
    public void CodePointsAssignedAfterUnicode14_AreKeptWherePython311RemovesThem()
    {
        // Known deviation (see Tokenization/README.md): python 3.11 (unicodedata 14.0) sees U+1FAE8 (Unicode 15.0) as
        // Cn and removes it, giving "a" "##b" for "a\U0001FAE8b"; .NET 10 (Unicode 16.0) sees So and keeps it, so the
        // word is not in the vocabulary and becomes [UNK].
        var tok = HfFixture.Tokenizer("uncased");
        Assert.Equal([tok.ClsId, tok.UnkId, tok.SepId], tok.Encode("a\U0001FAE8b", 8));
        Assert.Equal(tok.Encode("ab", 8), tok.Encode("a\U0010FFFEb", 8)); // a noncharacter is Cn in both: removed
    }
}
