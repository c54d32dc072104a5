namespace MlNetIso.Geometry.Tests;

public class SpectralMeasuresTests
{
    [Fact]
    public void EffectiveRanks_UniformAndOneHotSpectra_GiveTheKnownValues()
    {
        Assert.Equal(4.0, SpectralMeasures.EffectiveRankSingular([2, 2, 2, 2]), 12);
        Assert.Equal(1.0, SpectralMeasures.EffectiveRankSingular([3, 0, 0]), 12);
        Assert.Equal(0.0, SpectralMeasures.EffectiveRankSingular([0, 0]));
        Assert.Equal(3.0, SpectralMeasures.EffectiveRankCovariance([5, 5, 5, 0]), 12);
    }

    [Fact]
    public void SingularAndCovarianceVariants_DifferAsDocumented()
    {
        // Same data: σ = [3, 1] (singular values) ⇒ λ ∝ σ² = [9, 1]. p ∝ σ vs p ∝ λ give different ranks.
        double[] sigma = [3, 1];
        double[] lambda = sigma.Select(s => s * s).ToArray();
        double hSigma = -(0.75 * Math.Log(0.75) + 0.25 * Math.Log(0.25));
        double hLambda = -(0.9 * Math.Log(0.9) + 0.1 * Math.Log(0.1));
        Assert.Equal(Math.Exp(hSigma), SpectralMeasures.EffectiveRankSingular(sigma), 12);
        Assert.Equal(Math.Exp(hLambda), SpectralMeasures.EffectiveRankCovariance(lambda), 12);
        Assert.NotEqual(SpectralMeasures.EffectiveRankSingular(sigma), SpectralMeasures.EffectiveRankCovariance(lambda), 3);
    }

    [Fact]
    public void SingularEntropyShannonPlusKl_IsLogD()
    {
        double[] sigma = [5, 3, 1, 0.5, 0];
        double h = SpectralMeasures.SingularEntropyShannon(sigma);
        Assert.Equal(Math.Log(5), h + SpectralMeasures.SingularEntropyKlToUniform(sigma), 12);
        Assert.Equal(0.0, SpectralMeasures.SingularEntropyKlToUniform([2, 2, 2]), 12);
        Assert.Equal(Math.Log(3), SpectralMeasures.SingularEntropyKlToUniform([2, 0, 0]), 12);
        Assert.Equal(0.0, SpectralMeasures.SingularEntropyKlToUniform([0, 0]));
    }

    [Fact]
    public void MatrixEntropy_FollowsTheDiffErankRecipe()
    {
        var rows = GeometryTestData.GaussianRows(40, 12, seed: 21, offset: 2);
        // Reference: centre, row-normalise, Σ = ZᵀZ/N, λ of Σ/trΣ, −Σλ log λ (computed here independently).
        int n = rows.Length, d = 12;
        var mean = Enumerable.Range(0, d).Select(j => rows.Average(r => (double)r[j])).ToArray();
        var z = rows.Select(r =>
        {
            var c = r.Select((v, j) => v - mean[j]).ToArray();
            double norm = Math.Sqrt(c.Sum(v => v * v));
            return c.Select(v => v / norm).ToArray();
        }).ToArray();
        var sigma = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                sigma[i, j] = z.Sum(r => r[i] * r[j]) / n;
        double trace = Enumerable.Range(0, d).Sum(i => sigma[i, i]);
        Assert.Equal(1.0, trace, 12);
        var lambda = SymmetricEigen.Eigenvalues(sigma);
        double expected = -lambda.Where(l => l > 0).Sum(l => l / trace * Math.Log(l / trace));
        Assert.Equal(expected, SpectralMeasures.MatrixEntropy(rows), 10);
        Assert.Equal(Math.Exp(expected), SpectralMeasures.MatrixEffectiveRank(rows), 9);
    }

    [Fact]
    public void MatrixEntropy_UsesTheSmallGramWhenTokensAreFew()
    {
        // N = 5 < d = 30: the N×N route must give the same entropy as the d×d route would (bounded by log N).
        var rows = GeometryTestData.GaussianRows(5, 30, seed: 2);
        double h = SpectralMeasures.MatrixEntropy(rows);
        Assert.InRange(h, 0.0, Math.Log(4) + 1e-12); // centring leaves rank ≤ N − 1
        var padded = rows.Concat(rows).ToArray();     // duplicating every token leaves Σ unchanged
        Assert.Equal(h, SpectralMeasures.MatrixEntropy(padded), 10);
    }

    [Fact]
    public void MatrixEntropyOfIdenticalRows_IsZero()
    {
        float[][] rows = [[1, 2, 3], [1, 2, 3], [1, 2, 3]];
        Assert.Equal(0.0, SpectralMeasures.MatrixEntropy(rows));
        Assert.Equal(1.0, SpectralMeasures.MatrixEffectiveRank(rows));
    }

    [Fact]
    public void SymmetricEigen_ReturnsDescendingClippedValuesAndEigenvectors()
    {
        double[] lambda = [3, 7, 0, 1];
        var c = GeometryTestData.WithSpectrum(lambda, seed: 77);
        var result = SymmetricEigen.Decompose(c);
        Assert.Equal([7, 3, 1, 0], result.Eigenvalues.Select(v => Math.Round(v, 10)).ToArray());
        Assert.All(result.Eigenvalues, v => Assert.True(v >= 0));
        for (int k = 0; k < 4; k++)
            for (int i = 0; i < 4; i++)
            {
                double av = 0;
                for (int j = 0; j < 4; j++) av += c[i, j] * result.Eigenvectors[j, k];
                Assert.Equal(result.Eigenvalues[k] * result.Eigenvectors[i, k], av, 10);
            }
    }

    [Fact]
    public void RoundingNoiseEigenvalues_AreFlooredToZero()
    {
        // n = 6, λ_max = 4: floor 6·2⁻⁵²·4 ≈ 5.3e-15.
        Assert.Equal([4.0, 1.0, 0.0, 0.0, 0.0, 1e-14], SpectralMeasures.FloorRoundingNoise([4.0, 1.0, 1e-17, -1e-17, 0.0, 1e-14]));
        Assert.Equal([0.0, 0.0], SpectralMeasures.FloorRoundingNoise([0.0, -1e-30]));
        Assert.Throws<ArgumentException>(() => SpectralMeasures.FloorRoundingNoise([1.0, double.NaN]));
    }
}
