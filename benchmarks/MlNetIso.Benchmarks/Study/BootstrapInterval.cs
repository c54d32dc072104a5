using System.Globalization;

namespace MlNetIso.Benchmarks.Study;

/// <summary>A statistic on the full sample with its percentile-bootstrap confidence interval.</summary>
/// <param name="Estimate">The statistic on the original sample.</param>
/// <param name="Lower">Lower percentile bound (2.5 % for a 95 % interval).</param>
/// <param name="Upper">Upper percentile bound.</param>
/// <param name="Replicates">Number of bootstrap replicates with a finite statistic.</param>
internal sealed record BootstrapInterval(double Estimate, double Lower, double Upper, int Replicates)
{
    /// <summary>True when the interval lies strictly above 0.</summary>
    public bool AboveZero => Lower > 0;

    /// <summary>True when the interval lies strictly below 0.</summary>
    public bool BelowZero => Upper < 0;

    /// <summary>"0.123 [0.100, 0.150]" with <paramref name="format"/> for each number.</summary>
    public string Format(string format = "0.000") =>
        string.Create(CultureInfo.InvariantCulture, $"{Estimate.ToString(format, CultureInfo.InvariantCulture)} " +
                                                     $"[{Lower.ToString(format, CultureInfo.InvariantCulture)}, {Upper.ToString(format, CultureInfo.InvariantCulture)}]");

    /// <summary>Signed version of <see cref="Format"/> ("+0.012 [−0.003, +0.027]"), for differences.</summary>
    public string FormatSigned(string format = "0.000")
    {
        string S(double v) => (v >= 0 ? "+" : "−") + Math.Abs(v).ToString(format, CultureInfo.InvariantCulture);
        return $"{S(Estimate)} [{S(Lower)}, {S(Upper)}]";
    }
}
