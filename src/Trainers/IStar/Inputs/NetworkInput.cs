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

    /// <summary>
    /// The estimator-time check: throws, naming the column and the type it must have, when <paramref name="shape"/> lacks
    /// the input column or it has the wrong kind or item type.
    /// </summary>
    public void CheckShape(SchemaShape shape)
    {
        var matches = shape.Where(c => c.Name == ColumnName).ToArray();
        if (matches.Length == 0)
            throw new ArgumentOutOfRangeException(nameof(shape), $"{ColumnRole} column '{ColumnName}' not found in the input schema.");
        var column = matches[^1];
        if (!Accepts(column))
            throw new ArgumentOutOfRangeException(nameof(shape),
                $"{ColumnRole} column '{ColumnName}' must be {ExpectedType}, got {column.Kind} of {column.ItemType}{(column.IsKey ? " (key)" : "")}.");
    }

    /// <summary>How messages name the input column ("Feature", "Text").</summary>
    protected abstract string ColumnRole { get; }

    /// <summary>The type the input column must have, for messages.</summary>
    protected abstract string ExpectedType { get; }

    /// <summary>Whether an estimator-time column shape can feed this input.</summary>
    protected abstract bool Accepts(SchemaShape.Column column);

    /// <summary>Reads every row's input; throws naming the row on a bad value (NaN feature, empty text).</summary>
    public abstract TrainingExamples ReadExamples(IDataView data, string dataName);

    /// <summary>A reader that collects the input of <paramref name="row"/>'s current row each time it is asked to.</summary>
    public abstract InputRowReader CreateRowReader(DataViewRow row);
}
