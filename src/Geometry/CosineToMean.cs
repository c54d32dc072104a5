namespace MlNetIso.Geometry;

/// <summary>
/// Mean cosine similarity of each point to the centroid, <c>CosMean(X) = (1/m) Σᵢ cos(xᵢ, μ)</c>, μ = mean of all
/// points (algorithms.md §7.1; Ethayarajh's IntraSim is this within one sentence). A quick anisotropy proxy:
/// higher = a common direction dominates.
/// </summary>
public static class CosineToMean
{
    /// <summary>Computes CosMean over the non-zero points (zero vectors count in μ but have no cosine, so are skipped).</summary>
    /// <param name="points">Rows of equal length, finite; at least 1.</param>
    /// <returns>CosMean ∈ [−1, 1]; 0 if μ = 0 or every point is zero.</returns>
    /// <exception cref="ArgumentException">Null, empty, ragged or non-finite rows (names the row).</exception>
    public static double Compute(IReadOnlyList<float[]> points)
    {
        int d = PointValidation.Check(points, nameof(points), 1);
        var mean = new double[d];
        foreach (var row in points)
            for (int j = 0; j < d; j++) mean[j] += row[j];
        double meanNorm2 = 0;
        for (int j = 0; j < d; j++)
        {
            mean[j] /= points.Count;
            meanNorm2 += mean[j] * mean[j];
        }
        if (meanNorm2 == 0) return 0.0;
        double meanNorm = Math.Sqrt(meanNorm2);
        double total = 0;
        int used = 0;
        foreach (var row in points)
        {
            double dot = 0, n2 = 0;
            for (int j = 0; j < d; j++)
            {
                dot += row[j] * mean[j];
                n2 += (double)row[j] * row[j];
            }
            if (n2 == 0) continue;
            total += dot / (Math.Sqrt(n2) * meanNorm);
            used++;
        }
        return used == 0 ? 0.0 : total / used;
    }
}
