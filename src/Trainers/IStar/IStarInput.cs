using Microsoft.ML;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// How an I-STAR mode turns rows of its input column into network batches: schema checks, reading the training
/// examples, and building a one-row batch from a live row at prediction time.
/// </summary>
internal abstract class IStarInput
{
    /// <summary>The input column the mode reads.</summary>
    public abstract string ColumnName { get; }

    /// <summary>Throws, naming the column, when <paramref name="schema"/> lacks the input column or it has the wrong type.</summary>
    public abstract DataViewSchema.Column CheckSchema(DataViewSchema schema);

    /// <summary>Reads every row's input; throws naming the row on a bad value (NaN feature, empty text).</summary>
    public abstract IStarExamples ReadExamples(IDataView data, string dataName);

    /// <summary>A function building a one-row batch from the current value of <paramref name="row"/>'s input column.</summary>
    public abstract Func<Device, IStarBatch> CreateRowBatcher(DataViewRow row);
}

/// <summary>Training inputs held in memory, indexed by row; builds batches from row subsets.</summary>
internal abstract class IStarExamples
{
    /// <summary>Number of rows.</summary>
    public abstract int Count { get; }

    /// <summary>Batch of the rows <paramref name="rows"/> on <paramref name="device"/>.</summary>
    public abstract IStarBatch MakeBatch(ReadOnlySpan<int> rows, Device device);
}
