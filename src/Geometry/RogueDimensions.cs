namespace MlNetIso.Geometry;

/// <summary>
/// Rogue dimensions (Timkey &amp; van Schijndel, EMNLP 2021; docs/algorithms.md, "Rogue dimensions"): the few coordinates k whose expected
/// cosine contribution <c>CC_k = E_{i≠j}[x̂ᵢₖ x̂ⱼₖ]</c> dominates the average cosine similarity. Computed exactly over
/// all pairs in one pass by <see cref="CosineAccumulator"/> (no pair sampling).
/// </summary>
public static class RogueDimensions
{
    /// <summary>The top <paramref name="count"/> dimensions by CC_k with their shares <c>CC_k/Σ_j CC_j</c>.</summary>
    /// <param name="points">Rows of equal length, finite; zero rows are skipped.</param>
    /// <param name="count">How many dimensions to return (default 10, as in the paper's reports).</param>
    /// <returns>Largest contribution first.</returns>
    /// <exception cref="ArgumentException">Null, empty, ragged or non-finite rows (names the row).</exception>
    public static IReadOnlyList<RogueDimension> Top(IReadOnlyList<float[]> points, int count = 10) =>
        AverageCosine.Accumulate(points).RogueDimensions(count);
}
