using FsCheck;
using FsCheck.Fluent;

namespace MlNetIso.Geometry.Tests;

public class CovarianceScoresTests
{
    // The test vectors of docs/algorithms.md, "IsoScore": eigenvalues → IsoScore.
    public static TheoryData<double[], double> Section23 => new()
    {
        { [1, 1, 1, 1], 1.0 },
        { [1, 0, 0, 0], 0.0 },
        { [1, 1, 0, 0], 0.333333 },
        { [1, 1, 1, 0], 0.666667 },
        { [4, 3, 2, 1], 0.777778 },
        { [10, 1, 1, 1, 1, 1, 1, 1, 1, 1], 0.256881 },
        { Enumerable.Range(0, 768).Select(i => i < 10 ? 1.0 : 0.0).ToArray(), 0.011734 },
    };

    [Theory]
    [MemberData(nameof(Section23))]
    public void PaperSection2Point3Vectors_EigenForm_GiveThePublishedScores(double[] lambda, double expected) =>
        Assert.Equal(expected, CovarianceScores.IsoScoreFromEigenvalues(lambda), 6);

    [Theory]
    [MemberData(nameof(Section23))]
    public void PaperSection2Point3Vectors_TraceFormInARotatedBasis_GiveThePublishedScores(double[] lambda, double expected)
    {
        var c = lambda.Length <= 20 ? GeometryTestData.WithSpectrum(lambda, seed: lambda.Length) : GeometryTestData.Diagonal(lambda);
        Assert.Equal(expected, CovarianceScores.IsoScore(c), 6);
    }

    [Fact]
    public void PaperSection2Point3_IntermediateQuantities_MatchThePaper()
    {
        // δ = 0.417442, k = 3.333333 for λ = [4,3,2,1]: k is the participation ratio (Σλ)²/Σλ².
        Assert.Equal(10.0 * 10.0 / 30.0, CovarianceScores.ParticipationRatioFromEigenvalues([4, 3, 2, 1]), 12);
        Assert.Equal(9.0 / 767.0, CovarianceScores.IsoScoreFromEigenvalues(
            Enumerable.Range(0, 768).Select(i => i < 10 ? 1.0 : 0.0).ToArray()), 12);
    }

    [Fact]
    public void PaperSection3Point1_IsoScoreStarVectors_GiveThePublishedScores()
    {
        var identity = GeometryTestData.Diagonal(1, 1, 1, 1);
        var c1 = GeometryTestData.WithSpectrum([1, 0, 0, 0], seed: 3);
        Assert.Equal(0.428571, CovarianceScores.IsoScoreStar(c1, identity, 0.2), 6);
        var c2 = GeometryTestData.WithSpectrum([4, 3, 2, 1], seed: 4);
        Assert.Equal(0.876543, CovarianceScores.IsoScoreStar(c2, identity, 0.5), 6);
    }

    [Fact]
    public void TraceForm_EqualsEigenFormOnRandomSpdMatrices()
    {
        Prop.ForAll(Gen.Choose(2, 24).Zip(Gen.Choose(0, int.MaxValue)).ToArbitrary(), t =>
        {
            var (n, seed) = t;
            var rng = new Random(seed);
            // SPD with a wide spread of eigenvalues, some exactly zero.
            var lambda = Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.2 ? 0.0 : Math.Exp(6 * rng.NextDouble() - 3)).ToArray();
            if (lambda.All(l => l == 0)) lambda[0] = 1;
            var c = GeometryTestData.WithSpectrum(lambda, seed);
            double trace = CovarianceScores.IsoScore(c);
            double eigenFromTruth = CovarianceScores.IsoScoreFromEigenvalues(lambda);
            double eigenFromSolver = CovarianceScores.IsoScoreFromEigenvalues(SymmetricEigen.Eigenvalues(c));
            return Math.Abs(trace - eigenFromTruth) < 1e-12 && Math.Abs(trace - eigenFromSolver) < 1e-12;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void IsoScoreStar_ZetaZeroAndOneAndIdentity_Blend()
    {
        var c = GeometryTestData.WithSpectrum([5, 2, 1, 0.5, 0.1], seed: 8);
        var c0 = GeometryTestData.WithSpectrum([1, 1, 3, 0.2, 7], seed: 9);
        Assert.Equal(CovarianceScores.IsoScore(c), CovarianceScores.IsoScoreStar(c, c0, 0.0), 14);
        Assert.Equal(CovarianceScores.IsoScore(c0), CovarianceScores.IsoScoreStar(c, c0, 1.0), 14);
        // C0 = c·I: the spectrum blends exactly, λ_ζ = (1−ζ)λ + ζc.
        const double scale = 2.5, zeta = 0.3;
        double[] lambda = [5, 2, 1, 0.5, 0.1];
        var blended = lambda.Select(l => (1 - zeta) * l + zeta * scale).ToArray();
        var cI = GeometryTestData.Diagonal(scale, scale, scale, scale, scale);
        Assert.Equal(CovarianceScores.IsoScoreFromEigenvalues(blended), CovarianceScores.IsoScoreStar(c, cI, zeta), 12);
        var shrunk = CovarianceScores.Shrink(c, cI, zeta);
        var eig = SymmetricEigen.Eigenvalues(shrunk);
        for (int i = 0; i < 5; i++) Assert.Equal(blended.OrderDescending().ElementAt(i), eig[i], 10);
    }

    [Theory]
    [InlineData(1, 6)]
    [InlineData(2, 6)]
    [InlineData(3, 7)]
    [InlineData(5, 5)]
    public void KOfNAxesCloud_ScoresK(int k, int n)
    {
        var c = GeometryTestData.NaiveCovariance(GeometryTestData.KAxesRows(k, n));
        Assert.Equal((k - 1.0) / (n - 1.0), CovarianceScores.IsoScore(c), 12);
        Assert.Equal(k, CovarianceScores.ParticipationRatio(c), 12);
        Assert.Equal(k, SpectralMeasures.EffectiveRankCovariance(SymmetricEigen.Eigenvalues(c)), 10);
    }

    [Fact]
    public void ZeroVariance_IsDefined()
    {
        var zero = new double[4, 4];
        Assert.Equal(0.0, CovarianceScores.IsoScore(zero));
        Assert.Equal(0.0, CovarianceScores.IsoScoreFromEigenvalues([0, 0, 0]));
        Assert.Equal(0.0, CovarianceScores.ParticipationRatio(zero));
        Assert.Equal(0.0, CovarianceScores.TopDimensionVarianceShare(zero));
        Assert.Equal(0.0, CovarianceScores.IsoScoreStar(zero, zero, 0.5));
        Assert.Empty(CovarianceScores.OutlierDimensions(zero));
    }

    [Fact]
    public void PaperTestSuite_Extremes_GiveThePublishedScores()
    {
        // Scalar covariances → 1 at any scale; diag(1e5, 1e-10, 1e-10) → ~0; full-ones (a line) → 0.
        Assert.Equal(1.0, CovarianceScores.IsoScore(GeometryTestData.Diagonal(1000, 1000, 1000)), 12);
        Assert.Equal(1.0, CovarianceScores.IsoScore(GeometryTestData.Diagonal(1e-5, 1e-5, 1e-5)), 12);
        Assert.True(CovarianceScores.IsoScore(GeometryTestData.Diagonal(1e5, 1e-10, 1e-10)) < 1e-9);
        var ones = new double[3, 3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) ones[i, j] = 1;
        Assert.Equal(0.0, CovarianceScores.IsoScore(ones), 12);
    }

    [Fact]
    public void TopDimensionShareAndOutliers_MatchTheirDefinitions()
    {
        var c = GeometryTestData.Diagonal(10, 1, 1, 1, 1, 1);
        Assert.Equal(10.0 / 15.0, CovarianceScores.TopDimensionVarianceShare(c), 12);
        Assert.Equal([0], CovarianceScores.OutlierDimensions(c));
        Assert.Empty(CovarianceScores.OutlierDimensions(GeometryTestData.Diagonal(1, 1, 1)));
    }

    [Fact]
    public void BadMatrices_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => CovarianceScores.IsoScore(new double[2, 3]));
        Assert.Throws<ArgumentException>(() => CovarianceScores.IsoScore(new double[1, 1]));
        Assert.Throws<ArgumentException>(() => CovarianceScores.IsoScore(new double[,] { { 1, double.NaN }, { 0, 1 } }));
        Assert.Throws<ArgumentException>(() => CovarianceScores.IsoScoreStar(new double[2, 2], new double[3, 3], 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => CovarianceScores.IsoScoreStar(new double[2, 2], new double[2, 2], 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => CovarianceScores.IsoScoreStar(new double[2, 2], new double[2, 2], double.NaN));
        Assert.Throws<ArgumentException>(() => CovarianceScores.IsoScoreFromEigenvalues([1.0]));
    }
}
