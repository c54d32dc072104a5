using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using MlNetIso.Benchmarks.Python;

namespace MlNetIso.Benchmarks.Peak;

/// <summary>
/// The peak a kernel is measured against, three ways: the measured dense-product (GEMM) rate of OpenBLAS in float32
/// and float64 at 1 and 2 threads (<c>benchmarks/python/gemm_peak.py</c>); a register-only fused-multiply-add loop
/// in .NET (24 independent <see cref="Vector512{T}"/> chains: the FMA issue rate with no memory traffic at all); and
/// the theoretical FMA peak <c>f × FMA pipes × lanes × 2</c>, with the core clock f measured by a chain of dependent
/// one-cycle integer operations. Rates are per CPU second of the process (per busy core), which a shared machine
/// disturbs far less than wall-clock rates; the GEMM also reports wall-clock rates.
/// </summary>
internal static class MachinePeak
{
    /// <summary>Double-precision FMA pipes assumed by the theoretical peak (AMD Zen 4/5 and Intel server cores: 2).</summary>
    public const int FmaPipes = 2;

    /// <summary>Measures and prints everything; returns the GEMM results (null when Python is unavailable).</summary>
    public static PeakReport Measure(string python, bool withPython, Action<string> line)
    {
        var inv = CultureInfo.InvariantCulture;
        double clock = EffectiveClockGHz();
        double fma = FmaLoopGflops();
        int lanes = Vector512.IsHardwareAccelerated ? 8 : 4;
        double theoretical = clock * FmaPipes * lanes * 2;
        line(string.Create(inv, $"# core clock (dependent integer chain, per CPU second): {clock:0.00} GHz; nominal in /proc/cpuinfo: {NominalMHz()} MHz"));
        line(string.Create(inv,
            $"# float64 FMA peak: register-only loop {fma:0.0} GFLOP/s per core (= {fma / (clock * lanes * 2):0.00} FMA instructions of {lanes} lanes per cycle); " +
            $"theoretical {theoretical:0.0} GFLOP/s per core ({FmaPipes} FMA pipes × {lanes} lanes × 2 flops × {clock:0.00} GHz, stated, not measured); float32: twice these"));

        var gemm = new List<GemmPeak>();
        if (withPython)
        {
            var run = PythonReference.Run(python, PythonReference.Script("gemm_peak.py"), [], threads: 2, timeout: TimeSpan.FromMinutes(10));
            foreach (var l in run.BlasLines) line("# gemm_peak.py " + l[2..]);
            foreach (var r in run.Checked("gemm_peak.py"))
                gemm.Add(new GemmPeak(r.GetProperty("dtype").GetString()!, r.GetProperty("threads").GetInt32(),
                    r.GetProperty("gflops").GetDouble(), r.GetProperty("gflops_per_cpu_s").GetDouble()));
            foreach (var g in gemm)
                line(string.Create(inv,
                    $"# OpenBLAS {g.DType} GEMM 2048², {g.Threads} thread(s), OPENBLAS_CORETYPE={PythonReference.CoreType}: {g.WallGflops:0.0} GFLOP/s wall, {g.GflopsPerCpuSecond:0.0} GFLOP/s per CPU second"));
        }
        return new PeakReport(clock, fma, theoretical, gemm);
    }

    /// <summary>Core clock in GHz: 8 dependent one-cycle integer operations per iteration, per CPU second.</summary>
    public static double EffectiveClockGHz()
    {
        const long iterations = 100_000_000;
        Chain(1_000_000, 3); // JIT and clock ramp-up
        double best = 0;
        for (int t = 0; t < 3; t++)
        {
            var cpu = CpuSeconds();
            Chain(iterations, 12345);
            best = Math.Max(best, 8.0 * iterations / (CpuSeconds() - cpu) / 1e9);
        }
        return best;
    }

    /// <summary>float64 GFLOP/s of independent FMA chains held in registers (24 × Vector512, or 12 × Vector256), per CPU second.</summary>
    public static double FmaLoopGflops()
    {
        const long iterations = 10_000_000;
        bool wide = Vector512.IsHardwareAccelerated;
        double flopsPerIteration = wide ? 24.0 * 8 * 2 : 12.0 * 4 * 2;
        _ = wide ? Fma512(100_000) : Fma256(100_000);
        double best = 0;
        for (int t = 0; t < 3; t++)
        {
            var cpu = CpuSeconds();
            _ = wide ? Fma512(iterations) : Fma256(iterations);
            best = Math.Max(best, flopsPerIteration * iterations / (CpuSeconds() - cpu) / 1e9);
        }
        return best;
    }

    private static double CpuSeconds()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalSeconds;
    }

    private static string NominalMHz() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("cpu MHz", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long Chain(long iterations, long seed)
    {
        long x = seed;
        for (long i = 0; i < iterations; i++)
        {
            x += i; x ^= seed; x += i; x ^= seed;
            x += i; x ^= seed; x += i; x ^= seed;
        }
        return x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Fma512(long iterations)
    {
        var a = Vector512.Create(1e-9);
        var b = Vector512.Create(0.999999);
        Vector512<double> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        Vector512<double> c12 = a, c13 = a, c14 = a, c15 = a, c16 = a, c17 = a, c18 = a, c19 = a, c20 = a, c21 = a, c22 = a, c23 = a;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector512.FusedMultiplyAdd(c0, b, a); c1 = Vector512.FusedMultiplyAdd(c1, b, a);
            c2 = Vector512.FusedMultiplyAdd(c2, b, a); c3 = Vector512.FusedMultiplyAdd(c3, b, a);
            c4 = Vector512.FusedMultiplyAdd(c4, b, a); c5 = Vector512.FusedMultiplyAdd(c5, b, a);
            c6 = Vector512.FusedMultiplyAdd(c6, b, a); c7 = Vector512.FusedMultiplyAdd(c7, b, a);
            c8 = Vector512.FusedMultiplyAdd(c8, b, a); c9 = Vector512.FusedMultiplyAdd(c9, b, a);
            c10 = Vector512.FusedMultiplyAdd(c10, b, a); c11 = Vector512.FusedMultiplyAdd(c11, b, a);
            c12 = Vector512.FusedMultiplyAdd(c12, b, a); c13 = Vector512.FusedMultiplyAdd(c13, b, a);
            c14 = Vector512.FusedMultiplyAdd(c14, b, a); c15 = Vector512.FusedMultiplyAdd(c15, b, a);
            c16 = Vector512.FusedMultiplyAdd(c16, b, a); c17 = Vector512.FusedMultiplyAdd(c17, b, a);
            c18 = Vector512.FusedMultiplyAdd(c18, b, a); c19 = Vector512.FusedMultiplyAdd(c19, b, a);
            c20 = Vector512.FusedMultiplyAdd(c20, b, a); c21 = Vector512.FusedMultiplyAdd(c21, b, a);
            c22 = Vector512.FusedMultiplyAdd(c22, b, a); c23 = Vector512.FusedMultiplyAdd(c23, b, a);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11
                             + c12 + c13 + c14 + c15 + c16 + c17 + c18 + c19 + c20 + c21 + c22 + c23);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static double Fma256(long iterations)
    {
        var a = Vector256.Create(1e-9);
        var b = Vector256.Create(0.999999);
        Vector256<double> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (long i = 0; i < iterations; i++)
        {
            c0 = Vector256.FusedMultiplyAdd(c0, b, a); c1 = Vector256.FusedMultiplyAdd(c1, b, a);
            c2 = Vector256.FusedMultiplyAdd(c2, b, a); c3 = Vector256.FusedMultiplyAdd(c3, b, a);
            c4 = Vector256.FusedMultiplyAdd(c4, b, a); c5 = Vector256.FusedMultiplyAdd(c5, b, a);
            c6 = Vector256.FusedMultiplyAdd(c6, b, a); c7 = Vector256.FusedMultiplyAdd(c7, b, a);
            c8 = Vector256.FusedMultiplyAdd(c8, b, a); c9 = Vector256.FusedMultiplyAdd(c9, b, a);
            c10 = Vector256.FusedMultiplyAdd(c10, b, a); c11 = Vector256.FusedMultiplyAdd(c11, b, a);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
    }
}
