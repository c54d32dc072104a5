using MlNetIso.Benchmarks.Embedding;

namespace MlNetIso.Benchmarks.Encoder;

/// <summary>Timed repetitions and the parity-check embeddings of one reference run.</summary>
internal sealed record TorchRun(TorchThreading Threading, IReadOnlyList<Timing> Timings, IReadOnlyList<float[]> FirstEmbeddings)
{
    public double MedianWall => PairedResult.Median(Timings.Select(t => t.WallSeconds));

    public double MedianCpu => PairedResult.Median(Timings.Select(t => t.CpuSeconds));
}
