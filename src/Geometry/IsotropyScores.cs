namespace MlNetIso.Geometry;

/// <summary>
/// One-call isotropy scores of a point cloud given as rows (m points × n dimensions):
/// IsoScore (Rudman et al., arXiv 2108.07344) and IsoScore* (Rudman &amp; Eickhoff, arXiv 2305.19358).
/// Both build the ddof-1 covariance in one streaming pass (<see cref="CovarianceAccumulator"/>) and score it in
/// closed trace form (<see cref="CovarianceScores"/>): <c>ι = ((tr C)²/‖C‖²_F − 1)/(n − 1)</c>.
/// </summary>
public static class IsotropyScores
{
    /// <summary>IsoScore of the points: <c>(PR(C) − 1)/(n − 1)</c>, C = sample covariance; 0 when all points are equal.</summary>
    /// <param name="points">m ≥ 2 rows of equal length n ≥ 2, finite.</param>
    /// <returns>ι ∈ [0, 1].</returns>
    /// <exception cref="ArgumentException">Null, fewer than 2 points, n &lt; 2, ragged rows or NaN/infinite values
    /// (the message names the row).</exception>
    public static double IsoScore(IReadOnlyList<float[]> points)
    {
        var c = Covariance(points);
        return CovarianceScores.IsoScore(c);
    }

    /// <summary>
    /// IsoScore* of the points: IsoScore of <c>C_ζ = (1 − ζ)·C + ζ·C₀</c>, C = sample covariance of the points,
    /// C₀ = <paramref name="referenceCovariance"/> (e.g. from a large bank of points, or the identity).
    /// ζ = 0 reproduces <see cref="IsoScore"/>.
    /// </summary>
    /// <param name="points">m ≥ 2 rows of equal length n ≥ 2, finite.</param>
    /// <param name="referenceCovariance">n×n shrinkage target C₀.</param>
    /// <param name="zeta">Shrinkage ζ ∈ [0, 1].</param>
    /// <returns>IsoScore* ∈ [0, 1].</returns>
    /// <exception cref="ArgumentException">Bad points (as <see cref="IsoScore"/>), a reference covariance that is not n×n
    /// or not finite, or ζ outside [0, 1].</exception>
    public static double IsoScoreStar(IReadOnlyList<float[]> points, double[,] referenceCovariance, double zeta)
    {
        ArgumentNullException.ThrowIfNull(referenceCovariance);
        if (!(zeta >= 0.0 && zeta <= 1.0))
            throw new ArgumentOutOfRangeException(nameof(zeta), zeta, "Shrinkage ζ must lie in [0, 1].");
        int n = PointValidation.Check(points, nameof(points), 2);
        if (referenceCovariance.GetLength(0) != n || referenceCovariance.GetLength(1) != n)
            throw new ArgumentException(
                $"Reference covariance is {referenceCovariance.GetLength(0)}×{referenceCovariance.GetLength(1)}; the points have {n} dimensions, so it must be {n}×{n}.",
                nameof(referenceCovariance));
        var c = Covariance(points);
        return CovarianceScores.IsoScoreStar(c, referenceCovariance, zeta);
    }

    private static double[,] Covariance(IReadOnlyList<float[]> points)
    {
        int n = PointValidation.Check(points, nameof(points), 2);
        if (n < 2) throw new ArgumentException($"IsoScore needs at least 2 dimensions; the points have {n}.", nameof(points));
        return PointValidation.Accumulate(points, n).GetCovariance();
    }
}
