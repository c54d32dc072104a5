using Microsoft.ML;

namespace MlNetIso.Trainers.IStar.Inputs;

/// <summary>
/// How an I-STAR mode turns rows of its input column into network batches: schema checks, reading the training
/// examples, and building batches from the rows a live cursor passes over at prediction time.
/// </summary>
internal abstract class NetworkInput
{
    /// <summary>The input column the mode reads.</summary>
    public abstract string ColumnName { get; }

    /// <summary>Throws, naming the column, when <paramref name="schema"/> lacks the input column or it has the wrong type.</summary>
    public abstract DataViewSchema.Column CheckSchema(DataViewSchema schema);

    /// <summary>Reads every row's input; throws naming the row on a bad value (NaN feature, empty text).</summary>
    public abstract TrainingExamples ReadExamples(IDataView data, string dataName);

    /// <summary>A reader that collects the input of <paramref name="row"/>'s current row each time it is asked to.</summary>
    public abstract InputRowReader CreateRowReader(DataViewRow row);
}
