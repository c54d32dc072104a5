using BenchmarkDotNet.Running;

namespace MlNetIso.Benchmarks.Kernels;

/// <summary>
/// The <c>kernels</c> verb: the BenchmarkDotNet micro-benchmarks of the geometry kernels. Arguments go to
/// BenchmarkDotNet's switcher (e.g. <c>--filter *RankK*</c>); without arguments every benchmark runs.
/// </summary>
internal static class KernelSuite
{
    public static int Run(string[] args)
    {
        var switcher = BenchmarkSwitcher.FromTypes([typeof(RankKUpdateBenchmarks), typeof(Float32ProductsBenchmarks), typeof(AccumulatorBenchmarks), typeof(IsoScoreTraceFormBenchmarks)]);
        var summaries = switcher.Run(args.Length == 0 ? ["--filter", "*"] : args, new KernelBenchmarkConfig());
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
