using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Inputs;

/// <summary>Training inputs held in memory, indexed by row; builds batches from row subsets.</summary>
internal abstract class TrainingExamples
{
    /// <summary>Number of rows.</summary>
    public abstract int Count { get; }

    /// <summary>Batch of the rows <paramref name="rows"/> on <paramref name="device"/>.</summary>
    public abstract IStarBatch MakeBatch(ReadOnlySpan<int> rows, Device device);
}
