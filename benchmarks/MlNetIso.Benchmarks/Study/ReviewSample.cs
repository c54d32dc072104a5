using MlNetIso.Benchmarks.Embedding;

namespace MlNetIso.Benchmarks.Study;

/// <summary>A fold-stratified subsample of the movie reviews: every k-th review within each fold, in file order.</summary>
internal static class ReviewSample
{
    /// <summary>All reviews when <paramref name="count"/> ≥ their number, else about count/10 from each fold.</summary>
    public static IReadOnlyList<MovieReview> Take(IReadOnlyList<MovieReview> all, int count)
    {
        if (count >= all.Count) return all;
        return all.GroupBy(r => r.Fold).OrderBy(g => g.Key).SelectMany(g =>
        {
            var fold = g.ToList();
            var take = (int)Math.Round((double)count * fold.Count / all.Count);
            return Enumerable.Range(0, take).Select(i => fold[(int)((long)i * fold.Count / take)]);
        }).ToList();
    }
}
