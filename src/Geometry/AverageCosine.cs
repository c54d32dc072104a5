namespace MlNetIso.Geometry;

/// <summary>
/// Average pairwise cosine similarity <c>AvgCos(X) = (1/(m(m−1))) Σ_{i≠j} cos(xᵢ, xⱼ)</c>, the classic anisotropy
/// read-out (Ethayarajh, EMNLP 2019; Gao et al. 2019; docs/algorithms.md, "Average cosine similarity"). Zero vectors are skipped (see
/// <see cref="CosineAccumulator"/>); results are never NaN.
/// </summary>
public static class AverageCosine
{
    /// <summary>Exact value in O(md) via <c>(‖Σᵢ x̂ᵢ‖² − m)/(m(m−1))</c>.</summary>
    /// <param name="points">Rows of equal length, finite; at least 1.</param>
    /// <returns>AvgCos over the non-zero points (0 with fewer than 2).</returns>
    /// <exception cref="ArgumentException">Null, empty, ragged or non-finite rows (names the row).</exception>
    public static double Exact(IReadOnlyList<float[]> points) => Accumulate(points).AverageCosine();

    /// <summary>The accumulator over all points (exact average cosine, per-dimension contributions, zero count).</summary>
    /// <param name="points">Rows of equal length, finite; at least 1.</param>
    /// <returns>A filled <see cref="CosineAccumulator"/>.</returns>
    public static CosineAccumulator Accumulate(IReadOnlyList<float[]> points)
    {
        int d = PointValidation.Check(points, nameof(points), 1);
        var acc = new CosineAccumulator(d);
        foreach (var row in points) acc.Add(row);
        return acc;
    }

    /// <summary>Reference O(m²d) mean of cos(xᵢ, xⱼ) over all ordered pairs i ≠ j of non-zero points.</summary>
    /// <param name="points">Rows of equal length, finite.</param>
    /// <returns>AvgCos (0 with fewer than 2 non-zero points).</returns>
    public static double Pairwise(IReadOnlyList<float[]> points)
    {
        PointValidation.Check(points, nameof(points), 1);
        var units = points.Select(Unit).Where(u => u is not null).Cast<double[]>().ToArray();
        int m = units.Length;
        if (m < 2) return 0.0;
        double total = 0;
        for (int i = 0; i < m; i++)
            for (int j = i + 1; j < m; j++)
                total += Dot(units[i], units[j]);
        return 2 * total / ((double)m * (m - 1));
    }

    /// <summary>
    /// Sampled estimate: mean cosine over <paramref name="pairCount"/> pairs (i, j) drawn uniformly with i ≠ j among the
    /// non-zero points (unlike the IsoScore baseline code, self-pairs are excluded), with a seeded generator.
    /// </summary>
    /// <param name="points">Rows of equal length, finite.</param>
    /// <param name="pairCount">Number of sampled pairs (≥ 1).</param>
    /// <param name="seed">Random seed (same seed, same answer).</param>
    /// <returns>Estimated AvgCos (0 with fewer than 2 non-zero points).</returns>
    public static double Sampled(IReadOnlyList<float[]> points, int pairCount, int seed)
    {
        PointValidation.Check(points, nameof(points), 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pairCount, 1);
        var units = points.Select(Unit).Where(u => u is not null).Cast<double[]>().ToArray();
        int m = units.Length;
        if (m < 2) return 0.0;
        var rng = new Random(seed);
        double total = 0;
        for (int s = 0; s < pairCount; s++)
        {
            int i = rng.Next(m);
            int j = rng.Next(m - 1);
            if (j >= i) j++;
            total += Dot(units[i], units[j]);
        }
        return total / pairCount;
    }

    internal static double[]? Unit(float[] x)
    {
        double n2 = 0;
        foreach (float v in x) n2 += (double)v * v;
        if (n2 == 0) return null;
        double inv = 1.0 / Math.Sqrt(n2);
        var u = new double[x.Length];
        for (int j = 0; j < x.Length; j++) u[j] = x[j] * inv;
        return u;
    }

    internal static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) s += a[j] * b[j];
        return s;
    }
}
