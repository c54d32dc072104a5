using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Trainers.IStar.Labels;

/// <summary>
/// Multiclass labels: a <c>Key&lt;UInt32, K&gt;</c> column (e.g. from <c>MapValueToKey</c>). K is the key's cardinality,
/// the class names are its <c>KeyValues</c> annotation as text ("0".."K−1" when it has none), key value k+1 is class k,
/// and key value 0 (missing or unseen) is an error naming the row.
/// </summary>
internal sealed class KeyLabelReader : LabelReader
{
    /// <inheritdoc />
    public override IStarLabels ReadClasses(DataViewSchema schema, string labelColumnName)
    {
        var column = FindColumn(schema, labelColumnName, "input schema");
        if (column.Type is not KeyDataViewType key || key.RawType != typeof(uint))
            throw new ArgumentOutOfRangeException(nameof(labelColumnName),
                $"Label column '{labelColumnName}' must be a Key<UInt32> column, got {column.Type}. "
                + "Put mlContext.Transforms.Conversion.MapValueToKey(\"" + labelColumnName + "\") before the I-STAR trainer.");
        if (key.Count < 2 || key.Count > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(labelColumnName),
                $"Label column '{labelColumnName}' has {key.Count} key value(s); a classifier needs at least 2 classes.");
        int k = (int)key.Count;
        var names = ReadKeyValues(column, k);
        return names is null
            ? new IStarLabels(Enumerable.Range(0, k).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), false)
            : new IStarLabels(names, true);
    }

    /// <inheritdoc />
    public override int[] ReadIndices(IDataView data, string labelColumnName, IStarLabels classes, string dataName)
    {
        var column = FindColumn(data.Schema, labelColumnName, dataName);
        if (column.Type is not KeyDataViewType key || key.RawType != typeof(uint) || key.Count != (ulong)classes.Count)
            throw new ArgumentOutOfRangeException(nameof(labelColumnName),
                $"Label column '{labelColumnName}' of the {dataName} must be Key<UInt32, {classes.Count}> like the training label, got {column.Type}.");
        return ReadAll<uint>(data, column, (value, position) => value == 0
            ? throw new InvalidOperationException(
                $"Row {position} of the {dataName} has a missing or unseen label in column '{labelColumnName}' (key value 0).")
            : (int)value - 1, dataName);
    }

    /// <inheritdoc />
    public override string SingleClassMessage(string labelColumnName, string className) =>
        $"Label column '{labelColumnName}' of the training data holds a single class ('{className}'); a classifier needs at least 2.";

    /// <inheritdoc />
    protected override bool Accepts(SchemaShape.Column label) => label.IsKey && label.Kind == SchemaShape.Column.VectorKind.Scalar;

    /// <inheritdoc />
    protected override string WrongShapeMessage(string labelColumnName, SchemaShape.Column label) =>
        $"Label column '{labelColumnName}' must be a scalar key column (use MapValueToKey), got {label.ItemType}.";

    private static string[]? ReadKeyValues(DataViewSchema.Column column, int k)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull("KeyValues");
        if (annotation is null || annotation.Value.Type is not VectorDataViewType vector || vector.Size != k) return null;
        var method = typeof(KeyLabelReader).GetMethod(nameof(ReadAnnotationAsText), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(vector.ItemType.RawType);
        return (string[])method.Invoke(null, [column.Annotations])!;
    }

    private static string[] ReadAnnotationAsText<T>(DataViewSchema.Annotations annotations)
    {
        VBuffer<T> values = default;
        annotations.GetValue("KeyValues", ref values);
        return values.DenseValues().Select(v => v?.ToString() ?? string.Empty).ToArray();
    }
}
