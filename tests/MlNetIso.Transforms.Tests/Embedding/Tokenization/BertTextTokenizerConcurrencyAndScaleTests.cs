using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Xunit.Abstractions;

namespace MlNetIso.Transforms.Tests.Embedding.Tokenization;

/// <summary>One tokenizer shared by many threads; linear cost on megabyte texts.</summary>
public sealed class BertTextTokenizerConcurrencyAndScaleTests(ITestOutputHelper output)
{
    [Fact]
    public void ConcurrentCallsOnOneInstance_GiveTheHFIds()
    {
        var tok = HfFixture.Tokenizer("cased");
        var expected = HfFixture.ResultsOf("cased").ToArray();
        var failures = new ConcurrentBag<string>();
        Parallel.For(0, expected.Length * 12, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var row = expected[i % expected.Length];
            string text = HfFixture.Text(row.Id);
            bool ok = (i / expected.Length % 3) switch
            {
                0 => tok.Encode(text, 16).SequenceEqual(row.Encoded["16"]),
                1 => tok.Encode(text, 512).SequenceEqual(row.Encoded["512"]),
                _ => tok.CountTokens(text) == row.SubwordIds.Length
                     && tok.EncodeWindows(text, 8, 2).SelectMany((w, j) => j == 0 ? w[1..^1] : w[3..^1]).SequenceEqual(row.SubwordIds),
            };
            if (!ok) failures.Add($"{row.Id} (call {i})");
        });
        Assert.Empty(failures);
    }

    [Fact]
    public void OneMegabyteTexts_AreTokenisedInLinearTime()
    {
        var tok = HfFixture.Tokenizer("uncased");
        var sentences = HfFixture.Corpus.Select(r => r.Text).ToArray();
        var sb = new StringBuilder();
        for (int i = 0; sb.Length < 1_000_000; i++) sb.Append(sentences[i % sentences.Length]).Append('\n');
        string prose = sb.ToString();
        string oneWord = new('a', 1_000_000);
        string punctuation = string.Concat(Enumerable.Repeat("ab.[", 250_000));

        var sw = Stopwatch.StartNew();
        var windows = tok.EncodeWindows(prose, 512, 64);
        long proseMs = sw.ElapsedMilliseconds;
        sw.Restart();
        var head = tok.Encode(prose, 512);
        long headMs = sw.ElapsedMilliseconds;
        int n = 510 + (windows.Count - 1) * (510 - 64) - (510 - (windows[^1].Length - 2));
        sw.Restart();
        Assert.Equal(1, tok.CountTokens(oneWord)); // a single word of 10^6 letters: one [UNK]
        Assert.Equal(1_000_000, tok.CountTokens(punctuation)); // "a" "##b" "." "[" per "ab.["
        long otherMs = sw.ElapsedMilliseconds;
        output.WriteLine($"1 MB prose: {n} sub-words in {windows.Count} windows: {proseMs} ms; Encode(512) {headMs} ms; " +
                         $"1 MB word + 1 MB punctuation: {otherMs} ms");

        Assert.Equal(512, head.Length);
        Assert.Equal(windows[0], head);
        Assert.True(n > 200_000);
        Assert.True(proseMs < 30_000, $"1 MB prose took {proseMs} ms");
        Assert.True(otherMs < 30_000, $"1 MB single word / punctuation took {otherMs} ms");
    }
}
