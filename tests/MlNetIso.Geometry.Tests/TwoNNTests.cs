using Xunit.Abstractions;

namespace MlNetIso.Geometry.Tests;

public class TwoNNTests(ITestOutputHelper output)
{
    [Fact]
    public void FiveDimensionalCubeEmbeddedInR50_GivesAboutFive()
    {
        // 3,000 uniform points in [0,1]^5, zero-padded to R^50 and rotated at random. TwoNN's standard error is about
        // d/√(0.9·N) ≈ 0.1 here and the cube's boundary biases it slightly low, so accept [4.4, 5.4] (≈ −6σ/+4σ).
        var rng = new Random(2024);
        var cube = Enumerable.Range(0, 3000).Select(_ =>
            Enumerable.Range(0, 50).Select(j => j < 5 ? (float)rng.NextDouble() : 0f).ToArray()).ToArray();
        var rotated = GeometryTestData.Rotate(cube, GeometryTestData.RandomRotation(50, 7));
        var fit = TwoNN.Fit(rotated);
        output.WriteLine($"TwoNN on the 5-d cube in R^50: {fit.Dimension:F3} ({fit.PointsInFit} ratios)");
        Assert.InRange(fit.Dimension, 4.4, 5.4);
        Assert.Equal(3000, fit.UniquePoints);
        Assert.Equal(2700, fit.PointsInFit);
    }

    [Fact]
    public void TwoNN_HandComputedCloud_MatchesTheSkdimRegression()
    {
        // Points on a line at 0, 1, 3, 7, 15; μ = r2/r1 per point:
        // 0: r1=1 (to 1), r2=3 → 3; 1: r1=1, r2=2 → 2; 3: r1=2, r2=3 → 1.5; 7: r1=4, r2=6 → 1.5; 15: r1=8, r2=12 → 1.5.
        float[][] pts = [[0f], [1f], [3f], [7f], [15f]];
        double[] mu = [1.5, 1.5, 1.5, 2, 3];
        int n = 5, kept = (int)Math.Floor(n * 0.9); // 4
        double sxy = 0, sxx = 0;
        for (int i = 0; i < kept; i++)
        {
            double x = Math.Log(mu[i]), y = -Math.Log(1 - (double)i / n);
            sxy += x * y;
            sxx += x * x;
        }
        Assert.Equal(sxy / sxx, TwoNN.Estimate(pts), 12);
        Assert.Equal(sxy / sxx, TwoNN.Estimate(pts.Concat([[3f], [0f]]).ToArray()), 12); // duplicates removed first
        Assert.Equal(2, TwoNN.Fit(pts.Concat([[3f], [0f]]).ToArray()).DuplicatesRemoved);
    }

    [Fact]
    public void ScaledCloud_GivesTheSameDimension()
    {
        // 600 points near a curved 3-d sheet in R^20. Scaling by a power of two is exact in float, so the double
        // computation must give the same bits; decimal scales round each coordinate once (relative 6e-8), which may move
        // the estimate by about that much. Float arithmetic overflowed at 1e20 (NaN) and lost digits to subnormals at 1e-21.
        var rng = new Random(11);
        var cloud = Enumerable.Range(0, 600).Select(_ =>
        {
            double a = rng.NextDouble(), b = rng.NextDouble(), c = rng.NextDouble();
            return Enumerable.Range(0, 20).Select(j => (float)(Math.Sin(a * (j + 1)) + b * Math.Cos(0.3 * j) + c * (j % 5))).ToArray();
        }).ToArray();
        double unit = TwoNN.Estimate(cloud);
        Assert.InRange(unit, 2.5, 3.5);
        foreach (int exponent in new[] { -66, 66 })
        {
            double scale = Math.ScaleB(1.0, exponent);
            Assert.Equal(unit, TwoNN.Estimate(Scale(cloud, scale)));
        }
        foreach (double scale in new[] { 1e-21, 1e-20, 1e20 })
        {
            double scaled = TwoNN.Estimate(Scale(cloud, scale));
            Assert.True(Math.Abs(scaled - unit) <= 1e-6 * unit, $"scale {scale:E0}: {scaled:R} vs {unit:R} at scale 1");
        }
    }

    private static float[][] Scale(float[][] cloud, double scale) =>
        cloud.Select(r => r.Select(v => (float)(v * scale)).ToArray()).ToArray();

    [Fact]
    public void DegenerateAndBadInput_IsRejectedClearly()
    {
        Assert.Throws<ArgumentException>(() => TwoNN.Estimate([[1f, 2f], [1f, 2f], [3f, 4f]]));
        Assert.Throws<ArgumentException>(() => TwoNN.Estimate([[0f, 0f], [1f, 0f], [0f, 1f], [1f, 1f]])); // square: every μ = 1
        Assert.Throws<ArgumentOutOfRangeException>(() => TwoNN.Estimate([[0f], [1f], [3f]], 1.0));
        var ex = Assert.Throws<ArgumentException>(() => TwoNN.Estimate([[0f], [1f], [float.NaN]]));
        Assert.Contains("row) 2", ex.Message);
    }
}
