using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// Re-declares one unknown-size vector column as a known-size <c>Vector&lt;T, d&gt;</c> (same name, same position;
/// every other column, hidden ones included, keeps its index and type). ML.NET's OnnxTransformer refuses unknown-size
/// inputs, so the isotropy transformer presents such a column through this view; each row's length is checked when
/// it is read, and a row of another length raises an error naming the column and row.
/// </summary>
internal sealed class KnownSizeVectorSchema
{
    public KnownSizeVectorSchema(DataViewSchema source, int columnIndex, int size)
    {
        Source = source;
        ColumnIndex = columnIndex;
        Size = size;
        var itemType = ((VectorDataViewType)source[columnIndex].Type).ItemType;
        var builder = new DataViewSchema.Builder();
        foreach (var column in source)
        {
            if (column.Index == columnIndex)
                builder.AddColumn(column.Name, new VectorDataViewType((PrimitiveDataViewType)itemType, size));
            else
                builder.AddColumn(column.Name, column.Type, column.Annotations);
        }
        Schema = builder.ToSchema();
    }

    /// <summary>The original schema.</summary>
    public DataViewSchema Source { get; }

    /// <summary>The schema with the column re-declared.</summary>
    public DataViewSchema Schema { get; }

    /// <summary>Index of the re-declared column (the same in both schemas).</summary>
    public int ColumnIndex { get; }

    /// <summary>The declared size d.</summary>
    public int Size { get; }

    /// <summary>The columns of the original schema with the same indices.</summary>
    public IEnumerable<DataViewSchema.Column> ToSource(IEnumerable<DataViewSchema.Column> columns) =>
        columns.Select(c => Source[c.Index]);

    /// <summary>The columns of the re-declared schema with the same indices.</summary>
    public IEnumerable<DataViewSchema.Column> ToAdapted(IEnumerable<DataViewSchema.Column> columns) =>
        columns.Select(c => Schema[c.Index]);

    /// <summary>A getter for column <paramref name="column"/> of the adapted schema, served by <paramref name="row"/>.</summary>
    public ValueGetter<TValue> GetGetter<TValue>(DataViewRow row, DataViewSchema.Column column)
    {
        var sourceColumn = Source[column.Index];
        if (column.Index != ColumnIndex)
            return row.GetGetter<TValue>(sourceColumn);
        var inner = row.GetGetter<TValue>(sourceColumn);
        string name = sourceColumn.Name;
        int size = Size;
        return (ref TValue value) =>
        {
            inner(ref value);
            int length = typeof(TValue) == typeof(VBuffer<float>) ? Unsafe.As<TValue, VBuffer<float>>(ref value).Length
                : typeof(TValue) == typeof(VBuffer<double>) ? Unsafe.As<TValue, VBuffer<double>>(ref value).Length
                : size;
            if (length != size)
                throw new InvalidOperationException(
                    $"Isotropy transform: column '{name}', row {row.Position}: the vector has length {length}, but the transformer was fitted on length {size}.");
        };
    }
}
