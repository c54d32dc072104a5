using MlNetIso.Benchmarks.Embedding;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// A fold-stratified subsample of the movie reviews: the reviews ordered by fold (file order within a fold), then every
/// (N/count)-th of them, so each fold contributes in proportion to its size (with equal folds of 200 and count 400:
/// every fifth review of every fold).
/// </summary>
internal static class ReviewSample
{
    /// <summary>All reviews, in file order, when <paramref name="count"/> ≥ their number, else an even spread of count reviews.</summary>
    public static IReadOnlyList<MovieReview> Take(IReadOnlyList<MovieReview> all, int count)
    {
        if (count >= all.Count) return all;
        var ordered = all.OrderBy(r => r.Fold).ToList();
        return Enumerable.Range(0, count).Select(i => ordered[(int)((long)i * ordered.Count / count)]).ToList();
    }
}
