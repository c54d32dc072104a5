using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MlNetIso.Benchmarks.Kernels;

/// <summary>
/// BenchmarkDotNet settings for the geometry kernels: in-process (no separate build per benchmark, which the shared
/// 2-core machine cannot afford), 3 warm-up and 15 measured iterations, the GFLOP/s column, artifacts in the temporary
/// folder (not the repository), on top of BenchmarkDotNet's default loggers, exporters and columns.
/// </summary>
public sealed class KernelBenchmarkConfig : ManualConfig
{
    /// <summary>Creates the configuration.</summary>
    public KernelBenchmarkConfig()
    {
        Add(DefaultConfig.Instance);
        AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15));
        AddColumn(new GflopsColumn());
        ArtifactsPath = Path.Combine(Path.GetTempPath(), "mlnetiso-benchmarkdotnet");
    }
}
