namespace MlNetIso.Geometry;

/// <summary>
/// Mean cosine similarity of each point to the centroid, <c>CosMean(X) = (1/m) Σᵢ cos(xᵢ, μ)</c>, μ = mean of all
/// points (docs/algorithms.md, "Cosine to mean"; Ethayarajh's IntraSim is this within one sentence). A quick anisotropy proxy:
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
        var cosines = AverageCosine.Accumulate(points);
        var mean = new double[cosines.Dimension];
        foreach (var row in points)
            for (int j = 0; j < mean.Length; j++) mean[j] += row[j];
        for (int j = 0; j < mean.Length; j++) mean[j] /= points.Count;
        return cosines.CosineToMean(mean);
    }
}
