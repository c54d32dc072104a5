namespace MlNetIso.Geometry.Tests;

public class IsotropyScoresTests
{
    [Fact]
    public void IsotropicGaussian_ScoresNearOne()
    {
        var rows = GeometryTestData.GaussianRows(20_000, 10, seed: 41);
        Assert.InRange(IsotropyScores.IsoScore(rows), 0.99, 1.0);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(3, 8)]
    [InlineData(8, 8)]
    public void IsoScore_PointCloudOnKAxes_IsKMinusOneOverNMinusOne(int k, int n) =>
        Assert.Equal((k - 1.0) / (n - 1.0), IsotropyScores.IsoScore(GeometryTestData.KAxesRows(k, n)), 10);

    [Fact]
    public void IsoScore_RotatedScaledOrTranslated_IsInvariant()
    {
        var rows = GeometryTestData.GaussianRows(3_000, 12, seed: 42, scales: [5, 4, 3, 3, 2, 2, 1, 1, 1, 0.5, 0.2, 0.1]);
        double baseScore = IsotropyScores.IsoScore(rows);
        var rotated = GeometryTestData.Rotate(rows, GeometryTestData.RandomRotation(12, 43));
        Assert.Equal(baseScore, IsotropyScores.IsoScore(rotated), 5);
        var scaled = rows.Select(r => r.Select(v => v * 1e-3f).ToArray()).ToArray();
        Assert.Equal(baseScore, IsotropyScores.IsoScore(scaled), 5);
        var translated = rows.Select(r => r.Select(v => v + 1000f).ToArray()).ToArray();
        Assert.Equal(baseScore, IsotropyScores.IsoScore(translated), 4);
        Assert.InRange(baseScore, 0.1, 0.6);
    }

    [Fact]
    public void IsoScoreStar_BlendsTowardsTheReference()
    {
        var rows = GeometryTestData.GaussianRows(500, 6, seed: 44, scales: [10, 1, 1, 1, 1, 1]);
        var identity = GeometryTestData.Diagonal(1, 1, 1, 1, 1, 1);
        Assert.Equal(IsotropyScores.IsoScore(rows), IsotropyScores.IsoScoreStar(rows, identity, 0), 14);
        Assert.Equal(1.0, IsotropyScores.IsoScoreStar(rows, identity, 1), 14);
        double mid = IsotropyScores.IsoScoreStar(rows, identity, 0.5);
        Assert.True(mid > IsotropyScores.IsoScore(rows) && mid < 1.0);
    }

    [Fact]
    public void LineInHighDimension_ScoresZero()
    {
        // The paper's test suite: points on a line through R^200 (any direction, any offset) use one dimension.
        var rng = new Random(45);
        var direction = Enumerable.Range(0, 200).Select(_ => GeometryTestData.Gaussian(rng)).ToArray();
        var rows = Enumerable.Range(0, 500).Select(_ =>
        {
            double t = GeometryTestData.Gaussian(rng);
            return direction.Select(v => (float)(3 + t * v)).ToArray();
        }).ToArray();
        Assert.InRange(IsotropyScores.IsoScore(rows), 0.0, 1e-6);
    }

    [Fact]
    public void IncreasingDimensionsUsed_IncreasesTheScore()
    {
        // "Increasing dimensions used" sweep: Gaussian noise on the first k of 10 axes, k = 1..10.
        var scores = Enumerable.Range(1, 10).Select(k =>
            IsotropyScores.IsoScore(GeometryTestData.GaussianRows(4_000, 10, seed: 46,
                scales: Enumerable.Range(0, 10).Select(j => j < k ? 1.0 : 0.0).ToArray()))).ToArray();
        for (int k = 1; k < 10; k++) Assert.True(scores[k] > scores[k - 1], $"k={k + 1}: {scores[k]} ≤ {scores[k - 1]}");
        Assert.Equal(0.0, scores[0], 12);
        Assert.True(scores[9] > 0.98);
    }

    [Fact]
    public void AllPointsEqual_GivesZeroNotNan()
    {
        float[][] rows = [[1, 2, 3], [1, 2, 3], [1, 2, 3]];
        Assert.Equal(0.0, IsotropyScores.IsoScore(rows));
    }

    [Fact]
    public void BadInputMessages_NameTheProblem()
    {
        Assert.Throws<ArgumentNullException>(() => IsotropyScores.IsoScore(null!));
        Assert.Contains("at least 2 points", Assert.Throws<ArgumentException>(() => IsotropyScores.IsoScore([[1f, 2f]])).Message);
        Assert.Contains("row) 2", Assert.Throws<ArgumentException>(() => IsotropyScores.IsoScore([[1f, 2f], [3f, 4f], [5f]])).Message);
        Assert.Contains("row) 1", Assert.Throws<ArgumentException>(() => IsotropyScores.IsoScore([[1f, 2f], [float.NaN, 4f]])).Message);
        Assert.Contains("row) 1", Assert.Throws<ArgumentException>(() => IsotropyScores.IsoScore([[1f, 2f], null!])).Message);
        Assert.Throws<ArgumentException>(() => IsotropyScores.IsoScore([[1f], [2f]]));
        float[][] ok = [[1f, 2f], [3f, 5f]];
        Assert.Contains("2×2", Assert.Throws<ArgumentException>(() => IsotropyScores.IsoScoreStar(ok, new double[3, 3], 0.5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => IsotropyScores.IsoScoreStar(ok, new double[2, 2], -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => IsotropyScores.IsoScoreStar(ok, new double[2, 2], 1.01));
        Assert.Throws<ArgumentException>(() => IsotropyScores.IsoScoreStar(ok, new double[,] { { 1, 0 }, { 0, double.NaN } }, 0.5));
    }
}
