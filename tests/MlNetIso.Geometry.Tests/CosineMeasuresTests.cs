namespace MlNetIso.Geometry.Tests;

public class CosineMeasuresTests
{
    [Fact]
    public void ExactFormula_EqualsPairwiseMean()
    {
        var rows = GeometryTestData.GaussianRows(150, 17, seed: 3, offset: 0.7);
        Assert.Equal(AverageCosine.Pairwise(rows), AverageCosine.Exact(rows), 12);
        Assert.True(AverageCosine.Exact(rows) > 0.1); // the offset makes the cloud anisotropic
    }

    [Fact]
    public void SampledEstimate_IsSeededAndClose()
    {
        var rows = GeometryTestData.GaussianRows(300, 10, seed: 4, offset: 0.5);
        double exact = AverageCosine.Exact(rows);
        double a = AverageCosine.Sampled(rows, 20_000, seed: 1);
        Assert.Equal(a, AverageCosine.Sampled(rows, 20_000, seed: 1));
        // Cosines lie in [−1, 1]: the standard error over 20k pairs is < 0.01; allow 4 s.e.
        Assert.InRange(a - exact, -0.03, 0.03);
    }

    [Fact]
    public void DimensionContributions_SumToTheAverageCosineAndMatchPairs()
    {
        var rows = GeometryTestData.GaussianRows(60, 8, seed: 5, scales: [5, 1, 1, 1, 1, 1, 1, 1], offset: 0.3);
        var acc = AverageCosine.Accumulate(rows);
        var cc = acc.DimensionContributions();
        Assert.Equal(acc.AverageCosine(), cc.Sum(), 12);
        // Direct definition: CC_k = mean over ordered pairs i ≠ j of x̂_ik x̂_jk.
        var units = rows.Select(r => { double n = Math.Sqrt(r.Sum(v => (double)v * v)); return r.Select(v => v / n).ToArray(); }).ToArray();
        for (int k = 0; k < 8; k++)
        {
            double s = 0;
            for (int i = 0; i < units.Length; i++)
                for (int j = 0; j < units.Length; j++)
                    if (i != j) s += units[i][k] * units[j][k];
            Assert.Equal(s / (units.Length * (units.Length - 1.0)), cc[k], 12);
        }
    }

    [Fact]
    public void ForOnePairTheContributions_SumToItsCosine()
    {
        float[] x = [3, -1, 2, 0.5f], y = [1, 4, -2, 2];
        double cos = (3 * 1 - 4 - 4 + 1) / (Math.Sqrt(9 + 1 + 4 + 0.25) * Math.Sqrt(1 + 16 + 4 + 4));
        var acc = AverageCosine.Accumulate([x, y]);
        Assert.Equal(cos, acc.AverageCosine(), 12);
        var cc = acc.DimensionContributions();
        Assert.Equal(cos, cc.Sum(), 12);
        Assert.Equal(3.0 / (Math.Sqrt(14.25) * 5), cc[0], 12); // CC_0(x, y) = x_0 y_0 / (‖x‖‖y‖)
    }

    [Fact]
    public void RogueDimension_IsFoundWithItsShare()
    {
        // Dimension 3 carries a large common offset: it dominates the average cosine.
        var rng = new Random(6);
        var rows = Enumerable.Range(0, 500).Select(_ =>
            Enumerable.Range(0, 20).Select(k => (float)(GeometryTestData.Gaussian(rng) + (k == 3 ? 8 : 0))).ToArray()).ToArray();
        var top = RogueDimensions.Top(rows, 3);
        Assert.Equal(3, top.Count);
        Assert.Equal(3, top[0].Dimension);
        Assert.True(top[0].Share > 0.9);
        var cc = AverageCosine.Accumulate(rows).DimensionContributions();
        Assert.Equal(cc[3] / cc.Sum(), top[0].Share, 12);
        Assert.True(top[0].Contribution >= top[1].Contribution && top[1].Contribution >= top[2].Contribution);
    }

    [Fact]
    public void MergeOfCosineAccumulators_EqualsOnePass()
    {
        var rows = GeometryTestData.GaussianRows(100, 6, seed: 7, offset: 1);
        var a = new CosineAccumulator(6);
        var b = new CosineAccumulator(6);
        for (int i = 0; i < rows.Length; i++) (i < 37 ? a : b).Add(rows[i]);
        a.Merge(b);
        var all = AverageCosine.Accumulate(rows);
        Assert.Equal(all.AverageCosine(), a.AverageCosine(), 12);
        Assert.Equal(all.Count, a.Count);
        Assert.Equal(all.DimensionContributions(), a.DimensionContributions(), (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void ZeroVectors_AreSkippedAndCounted()
    {
        float[][] rows = [[1, 0], [0, 0], [1, 1], [0, 0]];
        var acc = AverageCosine.Accumulate(rows);
        Assert.Equal(2, acc.Count);
        Assert.Equal(2, acc.ZeroVectorCount);
        Assert.Equal(1 / Math.Sqrt(2), acc.AverageCosine(), 12);
        Assert.Equal(1 / Math.Sqrt(2), AverageCosine.Pairwise(rows), 12);
        Assert.Equal(0.0, AverageCosine.Exact([[0f, 0f], [0f, 0f]]));
        Assert.Equal(0.0, AverageCosine.Sampled([[1f, 0f]], 10, 1));
        Assert.All(AverageCosine.Accumulate([[0f, 0f]]).DimensionContributions(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void CosineToMean_MatchesDefinition()
    {
        float[][] rows = [[1, 0], [0, 1], [1, 1], [0, 0]];
        // μ = (0.5, 0.5); cosines: 1/√2, 1/√2, 1; the zero row is skipped.
        Assert.Equal((2 / Math.Sqrt(2) + 1) / 3, CosineToMean.Compute(rows), 12);
        Assert.Equal(0.0, CosineToMean.Compute([[1f, 0f], [-1f, 0f]]));
    }

    [Fact]
    public void BadRows_NameTheRow()
    {
        var ex = Assert.Throws<ArgumentException>(() => AverageCosine.Exact([[1f, 2f], [1f]]));
        Assert.Contains("row) 1", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => CosineToMean.Compute([[1f, 2f], [1f, float.PositiveInfinity]]));
        Assert.Contains("row) 1", ex.Message);
        Assert.Throws<ArgumentException>(() => new CosineAccumulator(2).Add(new float[] { 1, 2, 3 }));
        Assert.Throws<ArgumentException>(() => AverageCosine.Exact([]));
    }
}
