using MlNetIso.Transforms.Embedding.Tokenization;


namespace MlNetIso.Transforms.Tests.Embedding.Tokenization;

/// <summary>
/// Long texts are basic-tokenised in chunks cut at ASCII whitespace; the ids must be those of the whole text. HF's
/// words of texts joined by a space are the concatenation of each text's words, so the fixture gives the expectation.
/// </summary>
public sealed class BertTextTokenizerChunkingTests
{
    [Theory]
    [InlineData("uncased", 0)]
    [InlineData("uncased", 1)]
    [InlineData("uncased", 4095)]
    [InlineData("cased", 7)]
    [InlineData("cased", 8191)]
    public void IdsOfAMultiChunkText_EqualTheConcatenatedHFIds(string mode, int leadingSpaces)
    {
        var tok = HfFixture.Tokenizer(mode);
        var rows = HfFixture.ResultsOf(mode).ToArray();
        var parts = new List<string> { new(' ', leadingSpaces) };
        var expected = new List<int>();
        for (int rep = 0; parts.Sum(p => p.Length + 1) < 5 * HfBasicTokenizer.ChunkChars; rep++)
        {
            foreach (var row in rows)
            {
                parts.Add(HfFixture.Text(row.Id));
                expected.AddRange(row.SubwordIds);
            }
        }
        string text = string.Join(' ', parts);

        Assert.Equal(expected.Count, tok.CountTokens(text));
        Assert.Equal(expected, tok.Encode(text, expected.Count + 2)[1..^1]);
        Assert.Equal(expected.Take(700), tok.Encode(text, 702)[1..^1]);
    }
}
