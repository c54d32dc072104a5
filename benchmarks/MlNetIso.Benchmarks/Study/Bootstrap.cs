namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// The percentile bootstrap (Efron &amp; Tibshirani 1993, ch. 13), deterministic for a given seed. A resample is
/// expressed as multiplicity weights: item i appears wᵢ times (Σ wᵢ = n). Resampling can be stratified — items are
/// drawn with replacement within each stratum (e.g. within a length bucket), keeping every stratum's size — and
/// several statistics can be evaluated on the same resamples, which gives paired intervals for differences
/// (e.g. accuracy at τ* minus accuracy at τ = 1 on the same test examples).
/// </summary>
internal static class Bootstrap
{
    /// <summary>
    /// Intervals for several statistics computed on the same <paramref name="replicates"/> resamples.
    /// <paramref name="statistics"/> maps the weights to one value per statistic; it is called once with all weights
    /// equal to 1 for the estimates. Replicates where a statistic is not finite are left out of that statistic's interval.
    /// </summary>
    /// <param name="strata">Item indices of every stratum (together they list each of the <paramref name="itemCount"/> items once).</param>
    /// <param name="itemCount">Number of items n.</param>
    /// <param name="replicates">Number of resamples B (≥ 1).</param>
    /// <param name="seed">Seed of the generator; equal seeds give equal intervals.</param>
    /// <param name="statistics">The statistics as a function of the weights.</param>
    /// <param name="level">Confidence level in (0, 1) (default 0.95).</param>
    public static BootstrapInterval[] Intervals(IReadOnlyList<int[]> strata, int itemCount, int replicates, int seed,
        Func<int[], double[]> statistics, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(strata);
        ArgumentNullException.ThrowIfNull(statistics);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicates, 1);
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The level must be in (0, 1).");
        CheckStrata(strata, itemCount);

        var ones = new int[itemCount];
        Array.Fill(ones, 1);
        var estimates = statistics(ones);
        var samples = estimates.Select(_ => new List<double>(replicates)).ToArray();
        var random = new Random(seed);
        var weights = new int[itemCount];
        for (var b = 0; b < replicates; b++)
        {
            Resample(strata, random, weights);
            var values = statistics(weights);
            if (values.Length != estimates.Length)
                throw new InvalidOperationException($"The statistics returned {values.Length} values, then {estimates.Length}.");
            for (var k = 0; k < values.Length; k++)
                if (double.IsFinite(values[k])) samples[k].Add(values[k]);
        }
        var alpha = (1 - level) / 2;
        return estimates.Select((e, k) =>
        {
            var sorted = samples[k].Order().ToArray();
            return sorted.Length == 0
                ? new BootstrapInterval(e, double.NaN, double.NaN, 0)
                : new BootstrapInterval(e, Quantile(sorted, alpha), Quantile(sorted, 1 - alpha), sorted.Length);
        }).ToArray();
    }

    /// <summary>One statistic over items resampled without strata.</summary>
    public static BootstrapInterval Interval(int itemCount, int replicates, int seed, Func<int[], double> statistic, double level = 0.95) =>
        Intervals([Enumerable.Range(0, itemCount).ToArray()], itemCount, replicates, seed, w => [statistic(w)], level)[0];

    /// <summary>Interval for the mean of <paramref name="values"/> (e.g. paired per-example differences).</summary>
    public static BootstrapInterval Mean(IReadOnlyList<double> values, int replicates, int seed, double level = 0.95) =>
        Interval(values.Count, replicates, seed, w => WeightedMean(values, w), level);

    /// <summary>Σ wᵢ·xᵢ / Σ wᵢ.</summary>
    public static double WeightedMean(IReadOnlyList<double> values, int[] weights)
    {
        double sum = 0, count = 0;
        for (var i = 0; i < values.Count; i++)
        {
            sum += weights[i] * values[i];
            count += weights[i];
        }
        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>Fills <paramref name="weights"/> with the multiplicities of one stratified resample.</summary>
    public static void Resample(IReadOnlyList<int[]> strata, Random random, int[] weights)
    {
        Array.Clear(weights);
        foreach (var stratum in strata)
            for (var k = 0; k < stratum.Length; k++)
                weights[stratum[random.Next(stratum.Length)]]++;
    }

    /// <summary>The q-quantile of sorted values, linear interpolation between order statistics (Hyndman–Fan type 7).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) throw new ArgumentException("No values.", nameof(sorted));
        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static void CheckStrata(IReadOnlyList<int[]> strata, int itemCount)
    {
        var seen = new bool[itemCount];
        foreach (var stratum in strata)
        foreach (var i in stratum)
        {
            if (i < 0 || i >= itemCount) throw new ArgumentOutOfRangeException(nameof(strata), i, $"Item {i} is outside 0..{itemCount - 1}.");
            if (seen[i]) throw new ArgumentException($"Item {i} is in more than one stratum.", nameof(strata));
            seen[i] = true;
        }
        var missing = Array.IndexOf(seen, false);
        if (missing >= 0) throw new ArgumentException($"Item {missing} is in no stratum.", nameof(strata));
    }
}
