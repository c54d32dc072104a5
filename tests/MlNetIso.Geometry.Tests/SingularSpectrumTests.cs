using MathNet.Numerics.LinearAlgebra;

namespace MlNetIso.Geometry.Tests;

public class SingularSpectrumTests
{
    [Fact]
    public void DiagonalMatrix_HasItsDiagonalAsSpectrum_InBothOrientations()
    {
        // 5 × 3 with diag(3, 2, 1) on top, and its 3 × 5 transpose (the other Gram side).
        var tall = new float[5 * 3];
        tall[0 * 3 + 0] = 3; tall[1 * 3 + 1] = -2; tall[2 * 3 + 2] = 1; // a sign flips nothing
        var wide = Transpose(tall, 5, 3);
        foreach (var (data, r, c) in new[] { (tall, 5, 3), (wide, 3, 5) })
        {
            var s = SingularSpectrum.Measure(data, r, c, relativeTolerance: 0.4);
            Assert.Equal(new[] { 3.0, 2.0, 1.0 }, s.SingularValues.Select(v => Math.Round(v, 12)));
            double h = -(0.5 * Math.Log(0.5) + (1.0 / 3) * Math.Log(1.0 / 3) + (1.0 / 6) * Math.Log(1.0 / 6));
            Assert.Equal(h, s.SingularEntropy, 12);
            Assert.Equal(h / Math.Log(3), s.NormalizedSingularEntropy, 12);
            Assert.Equal(Math.Exp(h), s.EffectiveRank, 12);
            Assert.Equal(14.0 / 9, s.StableRank, 12);
            Assert.Equal(1.0 / 3, s.ShareBelowTolerance, 12); // σ = 1 < 0.4·3; σ = 2 is not
            Assert.Equal((r, c), (s.Rows, s.Columns));
        }
    }

    [Fact]
    public void RankDeficientMatrix_HasExactZeros_AndCountsThemBelowTolerance()
    {
        // W = 2·u₁v₁ᵀ + 1·u₂v₂ᵀ, 6 × 4, with orthonormal u and v: σ = [2, 1, 0, 0].
        var u = Orthonormal(6, 2, seed: 1);
        var v = Orthonormal(4, 2, seed: 2);
        var w = Compose(u, [2, 1], v);
        var s = SingularSpectrum.Measure(w, 6, 4);
        Assert.Equal(2.0, s.SingularValues[0], 5);
        Assert.Equal(1.0, s.SingularValues[1], 5);
        Assert.True(s.SingularValues[2] < 1e-5 && s.SingularValues[3] < 1e-5, string.Join(", ", s.SingularValues));
        Assert.Equal(0.5, s.ShareBelowTolerance);
        double h = -(2.0 / 3 * Math.Log(2.0 / 3) + 1.0 / 3 * Math.Log(1.0 / 3));
        Assert.Equal(Math.Exp(h), s.EffectiveRank, 4);
        Assert.Equal(1.25, s.StableRank, 4);
    }

    [Fact]
    public void RandomOrthogonalMatrix_HasAFlatSpectrum()
    {
        const int n = 48;
        var q = Orthonormal(n, n, seed: 3);
        var w = Compose(q, Enumerable.Repeat(1.0, n).ToArray(), Identity(n));
        var s = SingularSpectrum.Measure(w, n, n);
        Assert.All(s.SingularValues, v => Assert.Equal(1.0, v, 5));
        Assert.Equal(1.0, s.NormalizedSingularEntropy, 6);
        Assert.Equal(n, s.EffectiveRank, 3);
        Assert.Equal(n, s.StableRank, 3);
        Assert.Equal(0.0, s.ShareBelowTolerance);
    }

    [Fact]
    public void PrescribedSpectrum_IsRecovered_AndAgreesWithMathNetSvd()
    {
        // W = U·diag(s)·Vᵀ with random orthonormal U (40 × 7), V (7 × 7) and a spread of singular values.
        double[] expected = [9, 4, 2.5, 1, 0.3, 0.05, 0.001];
        var w = Compose(Orthonormal(40, 7, seed: 4), expected, Orthonormal(7, 7, seed: 5));
        var s = SingularSpectrum.Measure(w, 40, 7);
        for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], s.SingularValues[k], 4);

        // An unstructured Gaussian matrix against a proper SVD (MathNet's, in double, from the same float values).
        var rng = new Random(6);
        const int r = 30, c = 55;
        var g = Enumerable.Range(0, r * c).Select(_ => (float)Gaussian(rng)).ToArray();
        var svd = Matrix<double>.Build.Dense(r, c, (i, j) => g[i * c + j]).Svd(computeVectors: false).S.ToArray();
        var ours = SingularValues.Of(g, r, c);
        Assert.Equal(svd.Length, ours.Length);
        for (int k = 0; k < svd.Length; k++) Assert.Equal(svd[k], ours[k], 1e-9 * svd[0]);
    }

    [Fact]
    public void ZeroMatrix_HasDefinedValues()
    {
        var s = SingularSpectrum.Measure(new float[12], 3, 4);
        Assert.All(s.SingularValues, v => Assert.Equal(0.0, v));
        Assert.Equal(0.0, s.SingularEntropy);
        Assert.Equal(0.0, s.NormalizedSingularEntropy);
        Assert.Equal(0.0, s.EffectiveRank);
        Assert.Equal(0.0, s.StableRank);
        Assert.Equal(1.0, s.ShareBelowTolerance);
    }

    [Fact]
    public void BadInput_IsRejectedWithTheEntry()
    {
        var w = new float[6];
        w[4] = float.NaN;
        var e = Assert.Throws<ArgumentException>(() => SingularSpectrum.Measure(w, 2, 3));
        Assert.Contains("[1, 1]", e.Message);
        Assert.Throws<ArgumentException>(() => SingularValues.Of(new float[5], 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => SingularValues.Of(new float[0], 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => SingularSpectrum.Measure(new float[6], 2, 3, relativeTolerance: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SingularSpectrum.Measure(new float[6], 2, 3, relativeTolerance: double.NaN));
    }

    private static float[] Transpose(float[] a, int rows, int columns)
    {
        var t = new float[a.Length];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) t[j * rows + i] = a[i * columns + j];
        return t;
    }

    private static double[,] Identity(int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++) m[i, i] = 1;
        return m;
    }

    /// <summary>k orthonormal columns of length n: Gram–Schmidt (twice) of a seeded Gaussian matrix.</summary>
    private static double[,] Orthonormal(int n, int k, int seed)
    {
        var rng = new Random(seed);
        var q = new double[n, k];
        for (int j = 0; j < k; j++)
        {
            var v = Enumerable.Range(0, n).Select(_ => Gaussian(rng)).ToArray();
            for (int pass = 0; pass < 2; pass++)
                for (int p = 0; p < j; p++)
                {
                    double dot = 0;
                    for (int i = 0; i < n; i++) dot += q[i, p] * v[i];
                    for (int i = 0; i < n; i++) v[i] -= dot * q[i, p];
                }
            double norm = Math.Sqrt(v.Sum(x => x * x));
            for (int i = 0; i < n; i++) q[i, j] = v[i] / norm;
        }
        return q;
    }

    /// <summary>U·diag(s)·Vᵀ as row-major float32.</summary>
    private static float[] Compose(double[,] u, double[] s, double[,] v)
    {
        int r = u.GetLength(0), c = v.GetLength(0);
        var w = new float[r * c];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++)
            {
                double x = 0;
                for (int k = 0; k < s.Length; k++) x += u[i, k] * s[k] * v[j, k];
                w[i * c + j] = (float)x;
            }
        return w;
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
