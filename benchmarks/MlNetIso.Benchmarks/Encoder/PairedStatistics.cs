namespace MlNetIso.Benchmarks.Encoder;

/// <summary>Small statistics for paired comparisons: Student-t interval of a mean difference and McNemar's exact test.</summary>
internal static class PairedStatistics
{
    /// <summary>Two-sided 97.5 % quantiles of Student's t for 1–30 degrees of freedom.</summary>
    private static readonly double[] T975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>Mean of <paramref name="values"/> and the half-width of its 95 % t interval.</summary>
    public static (double Mean, double HalfWidth) MeanWithInterval(IReadOnlyList<double> values)
    {
        if (values.Count < 2) throw new ArgumentException("An interval needs at least two values.", nameof(values));
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        var t = values.Count - 1 <= T975.Length ? T975[values.Count - 2] : 1.96;
        return (mean, t * sd / Math.Sqrt(values.Count));
    }

    /// <summary>
    /// Exact two-sided McNemar p-value from the discordant counts: <paramref name="onlyFirst"/> items only the first
    /// method got right, <paramref name="onlySecond"/> only the second; under H0 each discordant item is a fair coin.
    /// </summary>
    public static double McNemarExactP(int onlyFirst, int onlySecond)
    {
        var n = onlyFirst + onlySecond;
        if (n == 0) return 1.0;
        var k = Math.Min(onlyFirst, onlySecond);
        double tail = 0;
        for (var i = 0; i <= k; i++) tail += Math.Exp(LogChoose(n, i) - n * Math.Log(2));
        return Math.Min(1.0, 2 * tail);
    }

    private static double LogChoose(int n, int k)
    {
        double s = 0;
        for (var i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }
}
