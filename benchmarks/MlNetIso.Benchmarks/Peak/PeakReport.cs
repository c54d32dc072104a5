namespace MlNetIso.Benchmarks.Peak;

/// <summary>The peaks of one run.</summary>
/// <param name="ClockGHz">Measured core clock.</param>
/// <param name="FmaLoopGflops">Register-only float64 FMA rate per core.</param>
/// <param name="TheoreticalGflops">Theoretical float64 FMA peak per core at the measured clock.</param>
/// <param name="Gemm">OpenBLAS GEMM rates (empty without Python).</param>
internal sealed record PeakReport(double ClockGHz, double FmaLoopGflops, double TheoreticalGflops, IReadOnlyList<GemmPeak> Gemm)
{
    /// <summary>The OpenBLAS GEMM of the given type and thread count, or null.</summary>
    public GemmPeak? Find(string dtype, int threads) => Gemm.FirstOrDefault(g => g.DType == dtype && g.Threads == threads);
}
