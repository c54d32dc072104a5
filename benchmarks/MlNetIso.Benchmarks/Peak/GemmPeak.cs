namespace MlNetIso.Benchmarks.Peak;

/// <summary>One OpenBLAS GEMM measurement.</summary>
/// <param name="DType">float32 or float64.</param>
/// <param name="Threads">OpenBLAS threads.</param>
/// <param name="WallGflops">2n³ / best wall seconds.</param>
/// <param name="GflopsPerCpuSecond">2n³ / CPU seconds of the same product.</param>
internal sealed record GemmPeak(string DType, int Threads, double WallGflops, double GflopsPerCpuSecond);
