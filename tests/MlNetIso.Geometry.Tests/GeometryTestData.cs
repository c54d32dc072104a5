namespace MlNetIso.Geometry.Tests;

/// <summary>Seeded synthetic point clouds and reference (naive) computations for the geometry tests.</summary>
internal static class GeometryTestData
{
    /// <summary>Standard normal sample (Box–Muller).</summary>
    public static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>m rows of d values: independent N(0, scales[j]²) plus an offset, as float.</summary>
    public static float[][] GaussianRows(int m, int d, int seed, double[]? scales = null, double offset = 0)
    {
        var rng = new Random(seed);
        var rows = new float[m][];
        for (int i = 0; i < m; i++)
        {
            rows[i] = new float[d];
            for (int j = 0; j < d; j++)
                rows[i][j] = (float)(offset + (scales?[j] ?? 1.0) * Gaussian(rng));
        }
        return rows;
    }

    /// <summary>
    /// Hidden-state-like rows (as BERT's): isotropic noise (σ 0.5), a shared rank-4 component (loadings N(0, 1), factors
    /// N(0, 0.5²)) that makes the cloud anisotropic, and three rogue dimensions (0, d/3, d−1) with large means
    /// (8, −12, 25) and standard deviations (4, 6, 10); every value is then multiplied by <paramref name="scale"/> and
    /// shifted by <paramref name="offset"/>, as float.
    /// </summary>
    public static float[][] HiddenStateRows(int m, int d, int seed, double scale = 1, double offset = 0)
    {
        var rng = new Random(seed);
        var loadings = new double[4, d];
        for (int k = 0; k < 4; k++)
            for (int j = 0; j < d; j++) loadings[k, j] = Gaussian(rng);
        int[] rogue = [0, d / 3, d - 1];
        double[] rogueMean = [8, -12, 25], rogueSd = [4, 6, 10];
        var rows = new float[m][];
        var factors = new double[4];
        for (int i = 0; i < m; i++)
        {
            for (int k = 0; k < 4; k++) factors[k] = 0.5 * Gaussian(rng);
            var row = new float[d];
            for (int j = 0; j < d; j++)
            {
                double v = 0.5 * Gaussian(rng);
                for (int k = 0; k < 4; k++) v += factors[k] * loadings[k, j];
                int r = Array.IndexOf(rogue, j);
                if (r >= 0) v += rogueMean[r] + rogueSd[r] * Gaussian(rng);
                row[j] = (float)(v * scale + offset);
            }
            rows[i] = row;
        }
        return rows;
    }

    /// <summary>A random orthogonal d×d matrix (Gram–Schmidt of a Gaussian matrix).</summary>
    public static double[,] RandomRotation(int d, int seed)
    {
        var rng = new Random(seed);
        var q = new double[d, d];
        for (int k = 0; k < d; k++)
        {
            var v = new double[d];
            for (int i = 0; i < d; i++) v[i] = Gaussian(rng);
            for (int p = 0; p < k; p++)
            {
                double dot = 0;
                for (int i = 0; i < d; i++) dot += v[i] * q[i, p];
                for (int i = 0; i < d; i++) v[i] -= dot * q[i, p];
            }
            double norm = Math.Sqrt(v.Sum(x => x * x));
            for (int i = 0; i < d; i++) q[i, k] = v[i] / norm;
        }
        return q;
    }

    /// <summary>Rows multiplied by Qᵀ (each row x ↦ Q x).</summary>
    public static float[][] Rotate(float[][] rows, double[,] q)
    {
        int d = q.GetLength(0);
        return rows.Select(x =>
        {
            var y = new float[d];
            for (int i = 0; i < d; i++)
            {
                double s = 0;
                for (int j = 0; j < x.Length; j++) s += q[i, j] * x[j];
                y[i] = (float)s;
            }
            return y;
        }).ToArray();
    }

    /// <summary>Two-pass reference covariance (ddof 1) in double.</summary>
    public static double[,] NaiveCovariance(IReadOnlyList<float[]> rows)
    {
        int m = rows.Count, d = rows[0].Length;
        var mean = new double[d];
        foreach (var r in rows)
            for (int j = 0; j < d; j++) mean[j] += r[j];
        for (int j = 0; j < d; j++) mean[j] /= m;
        var c = new double[d, d];
        foreach (var r in rows)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    c[i, j] += (r[i] - mean[i]) * (r[j] - mean[j]);
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) c[i, j] /= m - 1;
        return c;
    }

    /// <summary>A symmetric matrix with the given eigenvalues in a random basis: Q diag(λ) Qᵀ.</summary>
    public static double[,] WithSpectrum(double[] lambda, int seed)
    {
        int n = lambda.Length;
        var q = RandomRotation(n, seed);
        var c = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k < n; k++) s += q[i, k] * lambda[k] * q[j, k];
                c[i, j] = s;
            }
        return c;
    }

    /// <summary>Diagonal matrix.</summary>
    public static double[,] Diagonal(params double[] values)
    {
        var c = new double[values.Length, values.Length];
        for (int i = 0; i < values.Length; i++) c[i, i] = values[i];
        return c;
    }

    /// <summary>Maximum absolute entry-wise difference.</summary>
    public static double MaxAbsDiff(double[,] a, double[,] b)
    {
        Assert.Equal(a.GetLength(0), b.GetLength(0));
        Assert.Equal(a.GetLength(1), b.GetLength(1));
        double m = 0;
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) m = Math.Max(m, Math.Abs(a[i, j] - b[i, j]));
        return m;
    }

    /// <summary>m points spread uniformly over the first k of n axes: N(0,1) on k coordinates, 0 on the rest, as exact
    /// ± unit patterns so the covariance is exactly proportional to diag(1,…,1,0,…,0).</summary>
    public static float[][] KAxesRows(int k, int n)
    {
        // All 2^k sign patterns on the first k axes: mean 0, covariance = (2^k/(2^k − 1))·diag(1_k, 0).
        int m = 1 << k;
        var rows = new float[m][];
        for (int p = 0; p < m; p++)
        {
            rows[p] = new float[n];
            for (int j = 0; j < k; j++) rows[p][j] = ((p >> j) & 1) == 0 ? 1f : -1f;
        }
        return rows;
    }
}
