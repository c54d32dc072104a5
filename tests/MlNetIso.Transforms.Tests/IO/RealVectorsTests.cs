using MlNetIso.Geometry;
using MlNetIso.Transforms.IO;
using Xunit.Abstractions;

namespace MlNetIso.Transforms.Tests.IO;

/// <summary>Geometry read-outs on the staged pretrained word vectors (shown as skipped when the shared data is absent).</summary>
public class RealVectorsTests(ITestOutputHelper output)
{
    private const string GloveTwitter = "glove-twitter-25d-12k/glove.twitter.27B.25d.top12k-subset.txt";
    private const string Word2Vec = "word2vec-googlenews-300d-8k/word2vec.googlenews.300d.8k-subset.txt";

    private static WordVectors Load(string relative) => VectorTextFile.Read(TestPaths.RequireSharedFile(relative));

    [SharedDataFact(GloveTwitter)]
    public void GloveTwitter25d_ReproducesTheReadmeCosineToMean()
    {
        var v = Load(GloveTwitter);
        Assert.Equal(11_925, v.Vectors.Count);
        Assert.Equal(25, v.Dimension);
        double cosMean = CosineToMean.Compute(v.Vectors);
        double iso = IsotropyScores.IsoScore(v.Vectors);
        double avgCos = AverageCosine.Exact(v.Vectors);
        var top = RogueDimensions.Top(v.Vectors, 3);
        output.WriteLine($"GloVe-Twitter 25d: cos(v, mean) {cosMean:F4}, IsoScore {iso:F4}, AvgCos {avgCos:F4}, " +
                         $"top rogue dim {top[0].Dimension} share {top[0].Share:F3}");
        Assert.Equal(0.60, Math.Round(cosMean, 2));
        Assert.InRange(iso, 0.05, 0.9);
        Assert.InRange(avgCos, 0.1, 0.6);
        // The README's "the" vector has −6.3371 at index 12: that coordinate carries the common direction.
        Assert.Equal(12, top[0].Dimension);
    }

    [SharedDataFact(Word2Vec)]
    public void Word2vec300d_ReproducesTheReadmeCosineToMean()
    {
        var v = Load(Word2Vec);
        Assert.Equal(8_000, v.Vectors.Count);
        Assert.Equal(300, v.Dimension);
        double cosMean = CosineToMean.Compute(v.Vectors);
        double iso = IsotropyScores.IsoScore(v.Vectors);
        output.WriteLine($"word2vec 300d: cos(v, mean) {cosMean:F4}, IsoScore {iso:F4}");
        Assert.Equal(0.25, Math.Round(cosMean, 2));
        Assert.InRange(iso, 0.3, 0.9);
        int king = v.Words.ToList().IndexOf("king"), queen = v.Words.ToList().IndexOf("queen");
        Assert.True(king >= 0 && queen >= 0);
        Assert.Equal(0.651, AverageCosine.Pairwise([v.Vectors[king], v.Vectors[queen]]), 3);
    }

    [SharedDataFact(GloveTwitter)]
    public void IntrinsicDimensionOfRealVectors_IsFarBelowTheAmbientDimension()
    {
        var glove = Load(GloveTwitter);
        var sample = glove.Vectors.Take(3_000).ToArray();
        double id = TwoNN.Estimate(sample);
        double pr = CovarianceScores.ParticipationRatio(PointCovariance(sample));
        output.WriteLine($"GloVe-Twitter 25d (first 3,000): TwoNN {id:F2}, participation ratio {pr:F2}");
        Assert.InRange(id, 8.0, 18.0);
    }

    private static double[,] PointCovariance(IReadOnlyList<float[]> rows)
    {
        var acc = new CovarianceAccumulator(rows[0].Length);
        foreach (var r in rows) acc.Add(r);
        return acc.GetCovariance();
    }
}
