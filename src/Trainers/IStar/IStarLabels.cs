using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// The class set of an I-STAR model: K from the label's key type and the class names from its <c>KeyValues</c>
/// annotation (their text form; "0".."K−1" when the key has none).
/// </summary>
internal sealed class IStarLabels
{
    /// <summary>Creates a class set from explicit names.</summary>
    public IStarLabels(IReadOnlyList<string> classNames, bool hasKeyValues)
    {
        if (classNames.Count < 2) throw new ArgumentException("A classifier needs at least 2 classes.", nameof(classNames));
        ClassNames = classNames.ToArray();
        HasKeyValues = hasKeyValues;
    }

    /// <summary>K.</summary>
    public int Count => ClassNames.Count;

    /// <summary>Class names in key order (key value k+1 ↔ index k).</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Whether the training label carried a KeyValues annotation (then PredictedLabel carries one too).</summary>
    public bool HasKeyValues { get; }

    /// <summary>Reads K and the class names from the label column of <paramref name="schema"/>.</summary>
    public static IStarLabels FromSchema(DataViewSchema schema, string labelColumnName)
    {
        var column = schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(labelColumnName), $"Label column '{labelColumnName}' not found in the input schema.");
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

    /// <summary>
    /// Reads the 0-based class index of every row; throws naming the row when a label is missing (key 0) and
    /// when fewer than two distinct classes occur.
    /// </summary>
    public int[] ReadIndices(IDataView data, string labelColumnName, string dataName)
    {
        var column = data.Schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(labelColumnName), $"Label column '{labelColumnName}' not found in the {dataName}.");
        if (column.Type is not KeyDataViewType key || key.RawType != typeof(uint) || key.Count != (ulong)Count)
            throw new ArgumentOutOfRangeException(nameof(labelColumnName),
                $"Label column '{labelColumnName}' of the {dataName} must be Key<UInt32, {Count}> like the training label, got {column.Type}.");
        var labels = new List<int>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<uint>(column);
        uint value = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            if (value == 0)
                throw new InvalidOperationException(
                    $"Row {cursor.Position} of the {dataName} has a missing or unseen label in column '{labelColumnName}' (key value 0).");
            labels.Add((int)value - 1);
        }
        if (labels.Count == 0) throw new InvalidOperationException($"The {dataName} has no rows.");
        return labels.ToArray();
    }

    private static string[]? ReadKeyValues(DataViewSchema.Column column, int k)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull("KeyValues");
        if (annotation is null || annotation.Value.Type is not VectorDataViewType vector || vector.Size != k) return null;
        var method = typeof(IStarLabels).GetMethod(nameof(ReadAnnotationAsText), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
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
