using Microsoft.ML;
using MlNetIso.Geometry;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>Length-collapse diagnostics: bucketing, exact mean pairwise cosine per τ, table output, errors.</summary>
public sealed class LengthCollapseTests
{
    [Fact]
    public void Measure_BucketsTextsAndAveragesPairwiseCosinesPerTemperature()
    {
        int[] lengths = [5, 50, 120, 150, 199, 250];
        float[][] atOne = [[1, 0], [0, 1], [1, 0], [2, 0], [1, 1], [3, 4]];
        float[][] atHalf = [[1, 0], [-1, 0], [1, 0], [0, 1], [0, -1], [3, 4]];
        var table = LengthCollapse.Measure(lengths, [1f, 0.5f], t => t == 1f ? atOne : atHalf);

        Assert.Equal(100, table.BucketWidth);
        Assert.Equal([1f, 0.5f], table.Temperatures);
        Assert.Equal(3, table.Buckets.Count);
        Assert.Equal((0, 100, 2), (table.Buckets[0].MinTokens, table.Buckets[0].MaxTokensExclusive, table.Buckets[0].Count));
        Assert.Equal((100, 200, 3), (table.Buckets[1].MinTokens, table.Buckets[1].MaxTokensExclusive, table.Buckets[1].Count));
        Assert.Equal((200, 300, 1), (table.Buckets[2].MinTokens, table.Buckets[2].MaxTokensExclusive, table.Buckets[2].Count));

        Assert.Equal(0.0, table.Buckets[0].MeanCosine[0], 12);
        Assert.Equal(-1.0, table.Buckets[0].MeanCosine[1], 12);
        Assert.Equal((1 + 2 / Math.Sqrt(2)) / 3, table.Buckets[1].MeanCosine[0], 6);
        Assert.Equal(-1.0 / 3, table.Buckets[1].MeanCosine[1], 6);
        Assert.True(double.IsNaN(table.Buckets[2].MeanCosine[0]));
        Assert.Equal(table.Buckets.Select(b => b.MeanCosine[1]), table.Series(0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => table.Series(2f));

        var markdown = table.ToMarkdown();
        Assert.Contains("| tokens | texts | τ = 1 | τ = 0.5 |", markdown);
        Assert.Contains("| 100–199 | 3 | 0.8047 | -0.3333 |", markdown);
        Assert.Contains("| 200–299 | 1 | – | – |", markdown);
    }

    [Fact]
    public void Measure_RandomEmbeddings_MatchesTheBruteForcePairwiseMean()
    {
        var rng = new Random(4);
        var lengths = Enumerable.Range(0, 40).Select(_ => rng.Next(0, 35)).ToArray();
        var embeddings = lengths.Select(_ => Enumerable.Range(0, 8).Select(_ => (float)(rng.NextDouble() - 0.3)).ToArray()).ToArray();
        var table = LengthCollapse.Measure(lengths, [1f], _ => embeddings, bucketWidth: 10);
        foreach (var bucket in table.Buckets)
        {
            var members = lengths.Select((n, i) => (n, i)).Where(x => x.n >= bucket.MinTokens && x.n < bucket.MaxTokensExclusive)
                .Select(x => embeddings[x.i]).ToList();
            Assert.Equal(members.Count, bucket.Count);
            if (members.Count > 1) Assert.Equal(AverageCosine.Pairwise(members), bucket.MeanCosine[0], 9);
        }
        Assert.Equal(40, table.Buckets.Sum(b => b.Count));
    }

    [Fact]
    public void Measure_BadArguments_AreRejected()
    {
        float[][] two = [[1, 0], [0, 1]];
        Assert.Throws<ArgumentOutOfRangeException>(() => LengthCollapse.Measure([1, 2], [1f], _ => two, bucketWidth: 0));
        Assert.Throws<ArgumentException>(() => LengthCollapse.Measure([1, 2], [], _ => two));
        Assert.Throws<ArgumentOutOfRangeException>(() => LengthCollapse.Measure([1, 2], [0f], _ => two));
        Assert.Throws<ArgumentOutOfRangeException>(() => LengthCollapse.Measure([1, -2], [1f], _ => two));
        Assert.Contains("3 texts", Assert.Throws<InvalidOperationException>(() => LengthCollapse.Measure([1, 2, 3], [1f], _ => two)).Message);
    }

    [Fact]
    public void Measure_SeveralTemperatures_MeasuresTheTransformAtEach()
    {
        var encoder = new TestEncoderFolder(seed: 31);
        var texts = TestEncoderFolder.MixedTexts(24, seed: 32, maxWords: 50);
        var options = encoder.Options();
        options.MaxTokens = 32;
        var table = LengthCollapse.Measure(texts, options, [1f, 0.5f], bucketWidth: 10);

        var tokenizer = encoder.Tokenizer();
        var lengths = texts.Select(t => tokenizer.Encode(t, int.MaxValue).Length).ToArray();
        Assert.Contains(lengths, n => n > 32); // some texts are longer than MaxTokens: bucketed by full length
        Assert.Equal(lengths.GroupBy(n => n / 10).Count(), table.Buckets.Count);

        var ml = new MLContext(1);
        var data = EmbeddingTestData.Texts(ml, texts);
        options.Temperature = 0.5f;
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("E", "Text", options).Fit(data);
        var embeddings = EmbeddingTestData.ReadVectors(transformer.Transform(data), "E");
        foreach (var bucket in table.Buckets.Where(b => b.Count > 1))
        {
            var members = Enumerable.Range(0, texts.Length).Where(i => lengths[i] / 10 * 10 == bucket.MinTokens).Select(i => embeddings[i]).ToList();
            Assert.Equal(AverageCosine.Exact(members), bucket.MeanCosine[1], 9);
        }
        Assert.Contains(table.Buckets, b => b.Count > 1 && Math.Abs(b.MeanCosine[0] - b.MeanCosine[1]) > 1e-4);
    }
}
