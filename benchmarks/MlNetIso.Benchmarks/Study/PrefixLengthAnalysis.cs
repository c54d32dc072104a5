namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// Length collapse with the content held fixed: the same reviews (all at least as long as the longest prefix) are
/// embedded from their first L tokens for several L, and the mean pairwise cosine is compared across L and τ. Also the
/// rise from the shortest to the longest prefix, and every τ &lt; 1 as a paired difference from τ = 1. Percentile
/// bootstrap over reviews; every statistic uses the same resamples (paired across L and τ).
/// </summary>
internal static class PrefixLengthAnalysis
{
    /// <summary>Indexed [τ][prefix length]; index 0 of τ is τ = 1.</summary>
    internal sealed record Result(
        IReadOnlyList<float> Temperatures,
        IReadOnlyList<int> PrefixLengths,
        int Reviews,
        BootstrapInterval[][] Cosine,
        BootstrapInterval[][] Difference,
        BootstrapInterval[] Rise,
        BootstrapInterval[] RiseDifference);

    /// <summary>Runs the analysis on the rows <paramref name="members"/> of the embeddings.</summary>
    public static Result Measure(IReadOnlyList<float> temperatures, IReadOnlyList<int> prefixLengths, IReadOnlyList<int> members,
        Func<float, int, float[]> embeddingsAt, int dimension, int replicates, int seed)
    {
        if (temperatures.Count == 0 || temperatures[0] != 1f) throw new ArgumentException("The first temperature must be 1.", nameof(temperatures));
        int T = temperatures.Count, L = prefixLengths.Count, n = members.Count;
        var unit = temperatures.Select(t => prefixLengths.Select(l =>
        {
            var full = PairwiseCosine.Normalised(embeddingsAt(t, l), dimension);
            var rows = new float[n * dimension];
            for (var k = 0; k < n; k++) full.AsSpan(members[k] * dimension, dimension).CopyTo(rows.AsSpan(k * dimension));
            return rows;
        }).ToArray()).ToArray();
        var all = Enumerable.Range(0, n).ToArray();
        var block = L + 1;

        double[] Statistics(int[] weights)
        {
            var sum = new double[dimension];
            var values = new double[2 * T * block];
            for (var t = 0; t < T; t++)
            {
                for (var l = 0; l < L; l++) values[t * block + l] = PairwiseCosine.Mean(unit[t][l], dimension, all, weights, sum);
                values[t * block + L] = values[t * block + L - 1] - values[t * block];
            }
            for (var t = 0; t < T; t++)
            for (var k = 0; k < block; k++)
                values[(T + t) * block + k] = values[t * block + k] - values[k];
            return values;
        }

        var intervals = Bootstrap.Intervals([all], n, replicates, seed, Statistics);
        BootstrapInterval At(int t, int k, bool difference) => intervals[((difference ? T : 0) + t) * block + k];
        return new Result(temperatures, prefixLengths, n,
            Enumerable.Range(0, T).Select(t => Enumerable.Range(0, L).Select(l => At(t, l, false)).ToArray()).ToArray(),
            Enumerable.Range(0, T).Select(t => Enumerable.Range(0, L).Select(l => At(t, l, true)).ToArray()).ToArray(),
            Enumerable.Range(0, T).Select(t => At(t, L, false)).ToArray(),
            Enumerable.Range(0, T).Select(t => At(t, L, true)).ToArray());
    }
}
