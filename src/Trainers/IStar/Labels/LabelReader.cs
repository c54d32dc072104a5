using Microsoft.ML;

namespace MlNetIso.Trainers.IStar.Labels;

/// <summary>
/// How an I-STAR task reads its label column: the class set (K and the class names) from the schema, and the 0-based
/// class index of every row, which is what the training loop's cross-entropy needs. Multiclass reads a key column
/// (<see cref="KeyLabelReader"/>), binary a Boolean one (<see cref="BooleanLabelReader"/>).
/// </summary>
internal abstract class LabelReader
{
    /// <summary>Throws, naming the column and the type it must have, when the estimator's input shape cannot feed the label.</summary>
    public void CheckShape(SchemaShape inputSchema, string labelColumnName)
    {
        var label = inputSchema.FirstOrDefault(c => c.Name == labelColumnName);
        if (label.Name is null)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Label column '{labelColumnName}' not found in the input schema.");
        if (!Accepts(label))
            throw new ArgumentOutOfRangeException(nameof(inputSchema), WrongShapeMessage(labelColumnName, label));
    }

    /// <summary>The class set, read from the label column of the training data's <paramref name="schema"/> (throws naming the column when unusable).</summary>
    public abstract IStarLabels ReadClasses(DataViewSchema schema, string labelColumnName);

    /// <summary>
    /// The 0-based class index of every row of <paramref name="data"/>; throws naming the column on a wrong type, naming
    /// the row on a missing label, and when the data has no rows.
    /// </summary>
    public abstract int[] ReadIndices(IDataView data, string labelColumnName, IStarLabels classes, string dataName);

    /// <summary>The error message when every training row holds the class <paramref name="className"/>.</summary>
    public abstract string SingleClassMessage(string labelColumnName, string className);

    /// <summary>Whether the estimator-time shape of the label column is usable.</summary>
    protected abstract bool Accepts(SchemaShape.Column label);

    /// <summary>The error message for a label column whose shape <see cref="Accepts"/> rejected.</summary>
    protected abstract string WrongShapeMessage(string labelColumnName, SchemaShape.Column label);

    /// <summary>The label column of <paramref name="schema"/>; throws naming it and <paramref name="where"/> when absent.</summary>
    protected static DataViewSchema.Column FindColumn(DataViewSchema schema, string labelColumnName, string where) =>
        schema.GetColumnOrNull(labelColumnName)
        ?? throw new ArgumentOutOfRangeException(nameof(labelColumnName), $"Label column '{labelColumnName}' not found in the {where}.");

    /// <summary>
    /// Reads <paramref name="column"/> row by row, mapping each value (and its row position) to a class index; throws
    /// when there are no rows.
    /// </summary>
    protected static int[] ReadAll<T>(IDataView data, DataViewSchema.Column column, Func<T, long, int> toIndex, string dataName)
    {
        var labels = new List<int>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        while (cursor.MoveNext())
        {
            getter(ref value);
            labels.Add(toIndex(value, cursor.Position));
        }
        if (labels.Count == 0) throw new InvalidOperationException($"The {dataName} has no rows.");
        return labels.ToArray();
    }
}
