namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// Length collapse with confidence intervals: for every temperature τ and token-length bucket, the mean pairwise cosine
/// of the embeddings (<see cref="PairwiseCosine"/>), over all texts, and the slope of the bucket means against the
/// bucket's mean input length (ordinary least squares, per 100 tokens, over buckets with at least
/// <see cref="MinSlopeCount"/> texts); every τ &lt; 1 also as a paired difference from τ = 1. The intervals are
/// percentile-bootstrap intervals from resampling texts within their bucket (<see cref="Bootstrap"/>); all statistics
/// share the resamples, so the differences are paired.
/// </summary>
internal static class CollapseAnalysis
{
    /// <summary>Fewest texts a bucket needs to enter the slope.</summary>
    public const int MinSlopeCount = 10;

    /// <summary>Result for one encoder and long-text mode. Arrays are indexed [τ] or [τ][bucket]; index 0 is τ = 1.</summary>
    internal sealed record Result(
        IReadOnlyList<float> Temperatures,
        IReadOnlyList<LengthBucket> Buckets,
        double[] BucketMeanLength,
        BootstrapInterval[][] BucketCosine,
        BootstrapInterval[][] BucketDifference,
        BootstrapInterval[] AllCosine,
        BootstrapInterval[] AllDifference,
        BootstrapInterval[] Slope,
        BootstrapInterval[] SlopeDifference,
        int[] SlopeBuckets);

    /// <summary>Runs the analysis.</summary>
    /// <param name="inputLengths">The length each text enters the slope with (e.g. min(n, MaxTokens) when truncating).</param>
    /// <param name="buckets">The length buckets (together they hold every text once).</param>
    /// <param name="temperatures">τ values; the first must be 1.</param>
    /// <param name="embeddingsAt">Row-major embeddings at τ (normalised here).</param>
    /// <param name="dimension">Embedding width.</param>
    /// <param name="replicates">Bootstrap resamples.</param>
    /// <param name="seed">Bootstrap seed.</param>
    public static Result Measure(IReadOnlyList<int> inputLengths, IReadOnlyList<LengthBucket> buckets, IReadOnlyList<float> temperatures,
        Func<float, float[]> embeddingsAt, int dimension, int replicates, int seed)
    {
        if (buckets.Sum(b => b.Members.Length) != inputLengths.Count)
            throw new ArgumentException("The buckets must hold every text once.", nameof(buckets));
        if (temperatures.Count == 0 || temperatures[0] != 1f) throw new ArgumentException("The first temperature must be 1.", nameof(temperatures));
        var n = inputLengths.Count;
        var unit = temperatures.Select(t => PairwiseCosine.Normalised(embeddingsAt(t), dimension)).ToArray();
        foreach (var u in unit)
            if (u.Length != n * dimension) throw new InvalidOperationException($"Expected {n} × {dimension} embedding values, got {u.Length}.");
        var slopeBuckets = Enumerable.Range(0, buckets.Count).Where(b => buckets[b].Members.Length >= MinSlopeCount).ToArray();
        int T = temperatures.Count, K = buckets.Count;
        // Statistic layout: per τ: K bucket means, 1 overall mean, 1 slope; then per τ the same three blocks as differences.
        var block = K + 2;

        double[] Statistics(int[] weights)
        {
            var sum = new double[dimension];
            var allSum = new double[dimension];
            var values = new double[2 * T * block];
            var x = buckets.Select(b => WeightedMean(b.Members, weights, inputLengths)).ToArray();
            for (var t = 0; t < T; t++)
            {
                Array.Clear(allSum);
                double allTotal = 0, allSquares = 0;
                for (var b = 0; b < K; b++)
                {
                    // Bucket sums, added up for the overall mean (the buckets partition the texts).
                    Array.Clear(sum);
                    var (total, squares) = PairwiseCosine.Accumulate(unit[t], dimension, buckets[b].Members, weights, sum);
                    values[t * block + b] = PairwiseCosine.FromSums(sum, total, squares);
                    for (var k = 0; k < dimension; k++) allSum[k] += sum[k];
                    allTotal += total;
                    allSquares += squares;
                }
                values[t * block + K] = PairwiseCosine.FromSums(allSum, allTotal, allSquares);
                values[t * block + K + 1] = Slope(slopeBuckets.Select(b => x[b] / 100).ToArray(), slopeBuckets.Select(b => values[t * block + b]).ToArray());
            }
            for (var t = 0; t < T; t++)
            for (var k = 0; k < block; k++)
                values[(T + t) * block + k] = values[t * block + k] - values[k];
            return values;
        }

        var intervals = Bootstrap.Intervals(buckets.Select(b => b.Members).ToList(), n, replicates, seed, Statistics);
        BootstrapInterval At(int t, int k, bool difference) => intervals[((difference ? T : 0) + t) * block + k];
        return new Result(
            temperatures,
            buckets,
            buckets.Select(b => b.Members.Average(i => (double)inputLengths[i])).ToArray(),
            Enumerable.Range(0, T).Select(t => Enumerable.Range(0, K).Select(b => At(t, b, false)).ToArray()).ToArray(),
            Enumerable.Range(0, T).Select(t => Enumerable.Range(0, K).Select(b => At(t, b, true)).ToArray()).ToArray(),
            Enumerable.Range(0, T).Select(t => At(t, K, false)).ToArray(),
            Enumerable.Range(0, T).Select(t => At(t, K, true)).ToArray(),
            Enumerable.Range(0, T).Select(t => At(t, K + 1, false)).ToArray(),
            Enumerable.Range(0, T).Select(t => At(t, K + 1, true)).ToArray(),
            slopeBuckets);
    }

    /// <summary>OLS slope of y on x (NaN with fewer than two points or no spread in x).</summary>
    public static double Slope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count < 2) return double.NaN;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxx == 0 ? double.NaN : sxy / sxx;
    }

    private static double WeightedMean(int[] members, int[] weights, IReadOnlyList<int> values)
    {
        double sum = 0, count = 0;
        foreach (var i in members)
        {
            sum += (double)weights[i] * values[i];
            count += weights[i];
        }
        return count == 0 ? double.NaN : sum / count;
    }
}
