using System.Diagnostics;
using System.Globalization;

namespace MlNetIso.Benchmarks.Embedding;

/// <summary>Wall and process-CPU seconds of one timed run.</summary>
internal readonly record struct Timing(double WallSeconds, double CpuSeconds);

/// <summary>Medians of repeated, interleaved runs of two contenders A and B on the same work.</summary>
/// <param name="A">Times of A, in run order.</param>
/// <param name="B">Times of B, in run order.</param>
/// <param name="Items">Work items (texts) per run, for throughput.</param>
internal sealed record PairedResult(IReadOnlyList<Timing> A, IReadOnlyList<Timing> B, int Items)
{
    /// <summary>Median wall seconds of A.</summary>
    public double MedianA => Median(A.Select(t => t.WallSeconds));

    /// <summary>Median wall seconds of B.</summary>
    public double MedianB => Median(B.Select(t => t.WallSeconds));

    /// <summary>Median over repetitions of the per-repetition ratio timeB / timeA (A's speed relative to B; &gt; 1 = A faster).</summary>
    public double MedianSpeedRatio => Median(A.Zip(B, (a, b) => b.WallSeconds / a.WallSeconds));

    /// <summary>Median over repetitions of the per-repetition process-CPU ratio cpuB / cpuA (less sensitive to other processes' load).</summary>
    public double MedianCpuRatio => Median(A.Zip(B, (a, b) => b.CpuSeconds / a.CpuSeconds));

    /// <summary>Smallest and largest per-repetition ratio timeB / timeA.</summary>
    public (double Min, double Max) SpeedRatioRange
    {
        get
        {
            var r = A.Zip(B, (a, b) => b.WallSeconds / a.WallSeconds).ToList();
            return (r.Min(), r.Max());
        }
    }

    /// <summary>One-line summary of A, B and their ratio.</summary>
    public string Describe(string nameA, string nameB)
    {
        var inv = CultureInfo.InvariantCulture;
        var (lo, hi) = SpeedRatioRange;
        return string.Create(inv,
            $"{nameA}: median {MedianA:0.000} s ({Items / MedianA:0.0} texts/s, cpu {Median(A.Select(t => t.CpuSeconds)):0.00} s); " +
            $"{nameB}: median {MedianB:0.000} s ({Items / MedianB:0.0} texts/s, cpu {Median(B.Select(t => t.CpuSeconds)):0.00} s); " +
            $"speed {nameA}/{nameB} = {MedianSpeedRatio:0.000} (per-rep min {lo:0.000}, max {hi:0.000}; {A.Count} reps); cpu ratio {MedianCpuRatio:0.000}");
    }

    /// <summary>Median of a sequence (mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }
}

/// <summary>
/// Times two contenders on the same work, interleaved so that both see the same machine load: one untimed warm-up
/// each, then <c>repetitions</c> rounds, alternating which one goes first (ABBA…), each run timed by wall clock and
/// process CPU time.
/// </summary>
internal static class PairedTiming
{
    public static PairedResult Run(Action a, Action b, int repetitions, int items, Action<string>? log = null)
    {
        a();
        b();
        var ta = new List<Timing>();
        var tb = new List<Timing>();
        for (var r = 0; r < repetitions; r++)
        {
            if (r % 2 == 0)
            {
                ta.Add(Time(a));
                tb.Add(Time(b));
            }
            else
            {
                tb.Add(Time(b));
                ta.Add(Time(a));
            }
            log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"    rep {r + 1}: A {ta[^1].WallSeconds:0.000} s, B {tb[^1].WallSeconds:0.000} s"));
        }
        return new PairedResult(ta, tb, items);
    }

    /// <summary>Wall and process-CPU time of one call, after a full garbage collection.</summary>
    public static Timing Time(Action action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        action();
        sw.Stop();
        process.Refresh();
        return new Timing(sw.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu0).TotalSeconds);
    }
}
