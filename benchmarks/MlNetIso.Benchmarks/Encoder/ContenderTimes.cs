using MlNetIso.Benchmarks.Embedding;

namespace MlNetIso.Benchmarks.Encoder;

/// <summary>The timed runs of one contender of a <see cref="RoundRobinTiming"/> comparison, in round order.</summary>
internal sealed record ContenderTimes(string Name, IReadOnlyList<Timing> Runs)
{
    public double MedianWall => PairedResult.Median(Runs.Select(t => t.WallSeconds));

    public double MedianCpu => PairedResult.Median(Runs.Select(t => t.CpuSeconds));

    /// <summary>Per-round speed of this contender relative to <paramref name="reference"/> (time(reference) / time(this)).</summary>
    public IReadOnlyList<double> SpeedRatios(ContenderTimes reference) =>
        Runs.Zip(reference.Runs, (mine, theirs) => theirs.WallSeconds / mine.WallSeconds).ToList();

    /// <summary>Per-round CPU-time ratio cpu(reference) / cpu(this).</summary>
    public IReadOnlyList<double> CpuRatios(ContenderTimes reference) =>
        Runs.Zip(reference.Runs, (mine, theirs) => theirs.CpuSeconds / mine.CpuSeconds).ToList();
}
