using FsCheck;
using FsCheck.Xunit;

namespace MlNetIso.Transforms.Tests.Embedding.Tokenization;

/// <summary>EncodeWindows: overlapping [CLS] … [SEP] windows that reconstruct the full sub-word sequence.</summary>
public sealed class BertTextTokenizerWindowTests
{
    [Theory]
    [InlineData(3, 0)]
    [InlineData(8, 0)]
    [InlineData(8, 3)]
    [InlineData(16, 5)]
    [InlineData(512, 64)]
    public void Windows_ReconstructTheHFSubwordSequenceForEveryCorpusRow(int maxTokens, int overlap)
    {
        var tok = HfFixture.Tokenizer("uncased");
        foreach (var expected in HfFixture.ResultsOf("uncased"))
        {
            var windows = tok.EncodeWindows(HfFixture.Text(expected.Id), maxTokens, overlap);
            AssertWindowRule(windows, expected.SubwordIds, maxTokens, overlap, tok.ClsId, tok.SepId, expected.Id);
        }
    }

    [Property(MaxTest = 60)]
    public bool Window_rule_holds_for_any_limit_and_overlap(PositiveInt a, NonNegativeInt b)
    {
        var tok = HfFixture.Tokenizer("uncased");
        int maxTokens = 3 + a.Get % 40;
        int overlap = b.Get % (maxTokens - 2);
        var expected = HfFixture.ResultsOf("uncased").Single(r => r.Id == "long-sentence").SubwordIds;
        var windows = tok.EncodeWindows(HfFixture.Text("long-sentence"), maxTokens, overlap);
        AssertWindowRule(windows, expected, maxTokens, overlap, tok.ClsId, tok.SepId, "long-sentence");
        return true;
    }

    [Fact]
    public void TextWithoutSubwords_GivesOneEmptyWindow()
    {
        var tok = HfFixture.Tokenizer("uncased");
        var windows = tok.EncodeWindows("  ", 8, 2);
        Assert.Equal([tok.ClsId, tok.SepId], Assert.Single(windows));
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(8, -1)]
    [InlineData(8, 6)]
    public void InvalidWindowArguments_AreRejected(int maxTokens, int overlap)
    {
        var tok = HfFixture.Tokenizer("uncased");
        Assert.Throws<ArgumentOutOfRangeException>(() => tok.EncodeWindows("foo", maxTokens, overlap));
    }

    private static void AssertWindowRule(IReadOnlyList<int[]> windows, int[] subwords, int maxTokens, int overlap,
        int cls, int sep, string row)
    {
        int width = maxTokens - 2;
        int stride = width - overlap;
        int expectedCount = subwords.Length <= width ? 1 : 1 + (subwords.Length - width + stride - 1) / stride;
        Assert.True(expectedCount == windows.Count, $"{row}: {windows.Count} windows, expected {expectedCount}");
        var rebuilt = new List<int>();
        for (int j = 0; j < windows.Count; j++)
        {
            var w = windows[j];
            Assert.Equal(cls, w[0]);
            Assert.Equal(sep, w[^1]);
            Assert.True(w.Length <= maxTokens, $"{row}: window {j} has {w.Length} > {maxTokens} ids");
            if (j < windows.Count - 1) Assert.Equal(maxTokens, w.Length);
            Assert.Equal(subwords.Skip(j * stride).Take(width), w[1..^1]);
            rebuilt.AddRange(j == 0 ? w[1..^1] : w[(1 + overlap)..^1]);
        }
        Assert.Equal(subwords, rebuilt);
    }
}
