namespace MlNetIso.Geometry;

/// <summary>
/// The complete state of a <see cref="CovarianceAccumulator"/>: row count n, column means μ and the co-moment
/// <c>M₂ = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ</c> (so the ddof-1 covariance is <c>M₂/(n−1)</c>). Export it from one process,
/// ship it (all fields are plain numbers) and rebuild with <see cref="CovarianceAccumulator.FromState"/> to
/// merge partitions exactly (Chan, Golub &amp; LeVeque 1979).
/// </summary>
/// <param name="Dimension">Number of columns d.</param>
/// <param name="Count">Number of rows n accumulated (≥ 0).</param>
/// <param name="Mean">Column means μ, length d (all zero when <paramref name="Count"/> is 0).</param>
/// <param name="CoMomentUpper">Upper triangle of M₂ packed row by row: entry (i, j ≥ i) sits at
/// <c>i·d − i(i−1)/2 + (j − i)</c>; length d(d+1)/2.</param>
public sealed record CovarianceAccumulatorState(int Dimension, long Count, double[] Mean, double[] CoMomentUpper)
{
    /// <summary>Index of entry (i, j), j ≥ i, in <see cref="CoMomentUpper"/> for dimension d.</summary>
    /// <param name="dimension">d.</param>
    /// <param name="i">Row, 0 ≤ i &lt; d.</param>
    /// <param name="j">Column, i ≤ j &lt; d.</param>
    /// <returns>The packed index.</returns>
    public static int PackedIndex(int dimension, int i, int j) => i * dimension - i * (i - 1) / 2 + (j - i);
}
