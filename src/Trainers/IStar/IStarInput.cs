using Microsoft.ML;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// How an I-STAR mode turns rows of its input column into network batches: schema checks, reading the training
/// examples, and building batches from the rows a live cursor passes over at prediction time.
/// </summary>
internal abstract class IStarInput
{
    /// <summary>The input column the mode reads.</summary>
    public abstract string ColumnName { get; }

    /// <summary>Throws, naming the column, when <paramref name="schema"/> lacks the input column or it has the wrong type.</summary>
    public abstract DataViewSchema.Column CheckSchema(DataViewSchema schema);

    /// <summary>Reads every row's input; throws naming the row on a bad value (NaN feature, empty text).</summary>
    public abstract IStarExamples ReadExamples(IDataView data, string dataName);

    /// <summary>A reader that collects the input of <paramref name="row"/>'s current row each time it is asked to.</summary>
    public abstract IStarRowReader CreateRowReader(DataViewRow row);
}

/// <summary>
/// Collects the input values of the rows a cursor stands on (one <see cref="Read"/> per row, checked and decoded at
/// once, so errors name the row) and turns them into one batch.
/// </summary>
internal abstract class IStarRowReader
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

/// <summary>Training inputs held in memory, indexed by row; builds batches from row subsets.</summary>
internal abstract class IStarExamples
{
    /// <summary>Number of rows.</summary>
    public abstract int Count { get; }

    /// <summary>Batch of the rows <paramref name="rows"/> on <paramref name="device"/>.</summary>
    public abstract IStarBatch MakeBatch(ReadOnlySpan<int> rows, Device device);
}
