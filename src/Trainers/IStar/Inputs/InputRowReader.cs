using MlNetIso.Transforms.Hosting;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Inputs;

/// <summary>
/// Collects the input values of the rows a cursor stands on (one <see cref="Read"/> per row, checked and decoded at
/// once, so errors name the row) and turns them into one batch.
/// </summary>
internal abstract class InputRowReader : IRowBlockReader
{
    /// <summary>Rows collected since the last <see cref="Flush"/>.</summary>
    public abstract int Count { get; }

    /// <summary>Reads and checks the input of the row the cursor stands on now.</summary>
    public abstract void Read();

    /// <summary>
    /// The collected rows as one or more batches on <paramref name="device"/>, each with the reading-order index of
    /// its rows (a mode may regroup rows, e.g. by length, to save padding); empties the reader.
    /// </summary>
    public abstract IReadOnlyList<(IStarBatch Batch, int[] Rows)> Flush(Device device);

    /// <summary>Drops the collected rows.</summary>
    public abstract void Clear();
}
