using System.Text;

namespace MlNetIso.Transforms.Tests.Embedding.Tokenization;

/// <summary>Exact id equality with the ids recorded from Hugging Face's python BertTokenizer logic.</summary>
public sealed class BertTextTokenizerHfParityTests
{
    public static TheoryData<string> Modes => HfFixture.ModeNames();

    [Fact]
    public void Fixture_CoversEveryCorpusRowInEveryModeAndAllRequiredCategories()
    {
        var meta = HfFixture.Reference.Meta;
        Assert.Equal(["uncased", "cased", "uncased-keep-accents", "cased-strip-accents", "uncased-no-cjk-split"],
            meta.Modes.Select(m => m.Name));
        Assert.Equal([8, 16, 512], meta.MaxLengths);
        foreach (var mode in meta.Modes)
            Assert.Equal(HfFixture.Corpus.Select(r => r.Id), HfFixture.ResultsOf(mode.Name).Select(r => r.Id));
        var ids = HfFixture.Corpus.Select(r => r.Id).ToHashSet();
        foreach (var required in new[] { "tab-newline", "nul", "replacement", "zwsp", "nbsp", "nel", "line-sep",
                     "soft-hyphen", "ascii-punct", "unicode-punct", "accents-precomposed", "accents-combining", "cjk",
                     "japanese", "korean", "fullwidth", "emoji", "emoji-modifier", "fraktur", "cjk-ext-b",
                     "long-word-101", "mixed-case", "empty", "spaces", "numbers", "urls" })
            Assert.Contains(required, ids);
        Assert.True(HfFixture.Corpus.Count(r => r.Source.StartsWith("rt-", StringComparison.Ordinal)) >= 20);
        Assert.True(HfFixture.Corpus.Count(r => r.Source == "sms") >= 20);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Encode_MatchesHFIdsForEveryRowAndMaxLength(string mode)
    {
        var tok = HfFixture.Tokenizer(mode);
        var mismatches = new StringBuilder();
        int compared = 0;
        foreach (var expected in HfFixture.ResultsOf(mode))
        {
            string text = HfFixture.Text(expected.Id);
            foreach (var (maxLength, ids) in expected.Encoded)
            {
                var actual = tok.Encode(text, int.Parse(maxLength, System.Globalization.CultureInfo.InvariantCulture));
                compared++;
                if (!actual.SequenceEqual(ids))
                    mismatches.AppendLine($"{expected.Id} max={maxLength}: expected [{string.Join(' ', ids)}] got [{string.Join(' ', actual)}]");
            }
        }
        Assert.Equal(HfFixture.Corpus.Count * 3, compared);
        Assert.True(mismatches.Length == 0, $"Mode {mode}:\n{mismatches}");
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void UntruncatedSubwordsAndCountTokens_MatchHFForEveryRow(string mode)
    {
        var tok = HfFixture.Tokenizer(mode);
        var mismatches = new StringBuilder();
        foreach (var expected in HfFixture.ResultsOf(mode))
        {
            string text = HfFixture.Text(expected.Id);
            var full = tok.Encode(text, expected.SubwordIds.Length + 2);
            if (!full[1..^1].SequenceEqual(expected.SubwordIds))
                mismatches.AppendLine($"{expected.Id}: expected [{string.Join(' ', expected.SubwordIds)}] got [{string.Join(' ', full[1..^1])}]");
            if (tok.CountTokens(text) != expected.SubwordIds.Length)
                mismatches.AppendLine($"{expected.Id}: CountTokens {tok.CountTokens(text)} != {expected.SubwordIds.Length}");
        }
        Assert.True(mismatches.Length == 0, $"Mode {mode}:\n{mismatches}");
    }

    [Fact]
    public void CasedAndUncased_DifferWhereHFSaysSo()
    {
        // Guards against the modes being wired the same way: the fixture itself has different ids for these rows.
        var uncased = HfFixture.Tokenizer("uncased");
        var cased = HfFixture.Tokenizer("cased");
        string text = HfFixture.Text("accents-combining");
        Assert.NotEqual(uncased.Encode(text, 64), cased.Encode(text, 64));
        Assert.Equal(HfFixture.ResultsOf("cased").Single(r => r.Id == "accents-combining").Encoded["512"],
            cased.Encode(text, 512));
    }
}
