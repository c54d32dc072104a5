using MathNet.Numerics.LinearAlgebra;
using MlNetIso.Geometry;
using MlNetIso.Trainers.IStar.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.Tests.IStar.Training;

public class IsoScoreStarLossTests
{
    [Theory]
    [InlineData(new double[] { 1, 0, 0, 0 }, 0.2, 0.428571)]
    [InlineData(new double[] { 4, 3, 2, 1 }, 0.5, 0.876543)]
    [InlineData(new double[] { 4, 3, 2, 1 }, 0.0, 0.777778)]
    [InlineData(new double[] { 10, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, 0.0, 0.256881)]
    public void OfCovariance_ReproducesSpecTestVectors(double[] eigenvalues, double zeta, double expected)
    {
        using var c = diag(tensor(eigenvalues));
        using var c0 = eye(eigenvalues.Length, dtype: ScalarType.Float64);
        using var score = IsoScoreStarLoss.OfCovariance(c, c0, zeta);
        Assert.Equal(expected, score.item<double>(), 6);
    }

    [Theory]
    [InlineData(7, 5, 0.2, 1)]
    [InlineData(40, 6, 0.0, 2)]
    [InlineData(3, 8, 0.75, 3)]
    public void IsoScoreStar_EqualsSpectralReferenceDefinition(int m, int n, double zeta, int seed)
    {
        var rng = new Random(seed);
        var x = RandomMatrix(rng, m, n);
        var refPoints = RandomMatrix(rng, 3 * n, n);
        var c0 = Covariance(refPoints);
        double expected = ReferenceIsoScoreStar(Covariance(x), c0, zeta);

        using var points = tensor(Flatten(x), [m, n]);
        using var c0Tensor = tensor(Flatten(c0), [n, n]);
        using var score = IsoScoreStarLoss.IsoScoreStar(points, c0Tensor, zeta);
        Assert.Equal(expected, score.item<double>(), 1e-10);

        using var points32 = points.to_type(ScalarType.Float32);
        using var score32 = IsoScoreStarLoss.IsoScoreStar(points32, c0Tensor, zeta);
        Assert.Equal(expected, score32.ToDouble(), 1e-5);
    }

    [Fact]
    public void IsoScoreStar_EqualsTheGeometryCore()
    {
        var rng = new Random(17);
        var x = RandomMatrix(rng, 9, 5);
        var c0 = Covariance(RandomMatrix(rng, 30, 5));
        var points = Enumerable.Range(0, 9).Select(i => Enumerable.Range(0, 5).Select(j => (float)x[i, j]).ToArray()).ToArray();
        double core = IsotropyScores.IsoScoreStar(points, c0, 0.2);
        using var p = tensor(points.SelectMany(r => r).ToArray(), [9, 5]);
        using var c0Tensor = tensor(Flatten(c0), [5, 5]);
        using var torchScore = IsoScoreStarLoss.IsoScoreStar(p, c0Tensor, 0.2);
        Assert.Equal(core, torchScore.ToDouble(), 1e-6);
    }

    [Fact]
    public void Gradient_MatchesAnalyticTraceFormGradient()
    {
        const int m = 6, n = 3;
        const double zeta = 0.3, lambda = -1.5;
        var rng = new Random(11);
        var x = RandomMatrix(rng, m, n);
        var c0 = Covariance(RandomMatrix(rng, 10, n));
        using var points = tensor(Flatten(x), [m, n], requires_grad: true);
        using var c0Tensor = tensor(Flatten(c0), [n, n]);
        using var loss = lambda * (1 - IsoScoreStarLoss.IsoScoreStar(points, c0Tensor, zeta));
        loss.backward();
        var autograd = points.grad!.data<double>().ToArray();

        // docs/algorithms.md, "The closed-form gradient": G = −λ(1−ζ)/(n−1)·(2T/F·I − 2T²/F²·Cz), ∂L/∂X = 2/(m−1)·X_c·G.
        var xm = Matrix<double>.Build.DenseOfArray(x);
        var c = Matrix<double>.Build.DenseOfArray(Covariance(x));
        var cz = (1 - zeta) * c + zeta * Matrix<double>.Build.DenseOfArray(c0);
        double t = cz.Trace(), f = cz.PointwisePower(2).Enumerate().Sum();
        var g = -lambda * (1 - zeta) / (n - 1) * (2 * t / f * Matrix<double>.Build.DenseIdentity(n) - 2 * t * t / (f * f) * cz);
        var mean = xm.ColumnSums() / m;
        var centred = xm - Matrix<double>.Build.Dense(m, n, (i, j) => mean[j]);
        var analytic = 2.0 / (m - 1) * centred * g;

        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(analytic[i, j], autograd[i * n + j], 1e-10);
    }

    [Fact]
    public void Gradient_StaysFiniteForIsotropicDegenerateSpectrum()
    {
        // Points on the vertices of a regular tetrahedron: equal eigenvalues, where an SVD backward would divide by zero.
        using var points = tensor(new double[] { 1, 1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1 }, [4, 3], requires_grad: true);
        using var c0 = eye(3, dtype: ScalarType.Float64);
        using var score = IsoScoreStarLoss.IsoScoreStar(points, c0, 0.2);
        score.backward();
        Assert.Equal(1.0, score.item<double>(), 10);
        Assert.All(points.grad!.data<double>().ToArray(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void ReferenceBank_StreamsTheCovarianceOfAllPointsAndStopsAtCapacity()
    {
        var rng = new Random(5);
        var x = RandomMatrix(rng, 23, 4);
        using var all = tensor(Flatten(x), [23, 4]);
        {
            var bank = new ReferenceCovarianceBank(4, 1000);
            for (int start = 0; start < 23; start += 5) bank.Add(all.narrow(0, start, Math.Min(5, 23 - start)));
            using var streamed = bank.Covariance();
            var expected = Covariance(x);
            var actual = streamed.data<double>().ToArray();
            for (int i = 0; i < 16; i++) Assert.Equal(expected[i / 4, i % 4], actual[i], 1e-6); // points pass through float32
        }
        {
            var capped = new ReferenceCovarianceBank(4, 10);
            capped.Add(all.narrow(0, 0, 7));
            capped.Add(all.narrow(0, 7, 7));
            Assert.True(capped.IsFull);
            Assert.Equal(10, capped.Count);
            using var c = capped.Covariance();
            var first10 = new double[10, 4];
            for (int i = 0; i < 10; i++) for (int j = 0; j < 4; j++) first10[i, j] = x[i, j];
            var expected = Covariance(first10);
            Assert.Equal(expected[1, 2], c[1, 2].item<double>(), 1e-6);
        }
    }

    internal static double[,] RandomMatrix(Random rng, int rows, int cols)
    {
        var x = new double[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                x[i, j] = rng.NextDouble() * 2 - 1 + (j == 0 ? 3 * rng.NextDouble() : 0);
        return x;
    }

    internal static double[] Flatten(double[,] x) => x.Cast<double>().ToArray();

    internal static double[,] Covariance(double[,] x) => Covariance(Enumerable.Range(0, x.GetLength(0)).Select(i => Enumerable.Range(0, x.GetLength(1)).Select(j => x[i, j]).ToArray()).ToArray());

    internal static double[,] Covariance(double[][] rows)
    {
        int m = rows.Length, n = rows[0].Length;
        var mean = new double[n];
        foreach (var r in rows) for (int j = 0; j < n; j++) mean[j] += r[j] / m;
        var c = new double[n, n];
        foreach (var r in rows)
            for (int a = 0; a < n; a++)
                for (int b = 0; b < n; b++)
                    c[a, b] += (r[a] - mean[a]) * (r[b] - mean[b]) / (m - 1);
        return c;
    }

    /// <summary>The reference code's route (regularizers.py::isoscore_star): spectrum, √n-normalisation, defect δ, dimensions used.</summary>
    internal static double ReferenceIsoScoreStar(double[,] c, double[,] c0, double zeta)
    {
        int n = c.GetLength(0);
        var cz = (1 - zeta) * Matrix<double>.Build.DenseOfArray(c) + zeta * Matrix<double>.Build.DenseOfArray(c0);
        var lambda = cz.Evd(Symmetricity.Symmetric).EigenValues.Select(v => Math.Max(v.Real, 0)).ToArray();
        double norm = Math.Sqrt(lambda.Sum(v => v * v));
        var normalised = lambda.Select(v => Math.Sqrt(n) * v / norm).ToArray();
        double delta = Math.Sqrt(normalised.Sum(v => (v - 1) * (v - 1))) / Math.Sqrt(2 * (n - Math.Sqrt(n)));
        double k = n - delta * delta * (n - Math.Sqrt(n));
        return (k * k - n) / (n * (n - 1.0));
    }
}
