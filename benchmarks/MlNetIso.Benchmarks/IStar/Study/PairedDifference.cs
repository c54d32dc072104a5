using MathNet.Numerics.Distributions;

namespace MlNetIso.Benchmarks.IStar.Study;

/// <summary>
/// Paired comparison of two settings over the same seeds: the per-seed differences d_s = a_s − b_s, their mean with a
/// two-sided 95 % Student-t confidence interval (mean ± t₀.₉₇₅,ₙ₋₁ · sd/√n), and the sign count.
/// </summary>
internal sealed record PairedDifference(int Count, double Mean, double Low, double High, int Positive, int Negative, int Ties)
{
    /// <summary>Compares <paramref name="a"/> with <paramref name="b"/> (same length, paired by index).</summary>
    public static PairedDifference Of(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"Paired samples differ in length ({a.Count} vs {b.Count}).");
        var d = a.Zip(b, (x, y) => x - y).ToArray();
        int n = d.Length;
        double mean = n == 0 ? double.NaN : d.Average();
        double half = double.NaN;
        if (n >= 2)
        {
            double sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (n - 1));
            half = StudentT.InvCDF(0, 1, n - 1, 0.975) * sd / Math.Sqrt(n);
        }
        return new PairedDifference(n, mean, mean - half, mean + half, d.Count(x => x > 0), d.Count(x => x < 0), d.Count(x => x == 0));
    }
}
