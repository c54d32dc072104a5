using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// Re-declares one unknown-size vector column as a known-size <c>Vector&lt;T, d&gt;</c> (same name, same position; every
/// other column, hidden ones included, keeps its index and type). ML.NET's OnnxTransformer refuses unknown-size inputs,
/// so the isotropy transformer presents such a column through this mapper (under <see cref="MappedDataView"/>, or
/// chained in front of the OnnxTransformer's own mapper); each row's length is checked when it is read, and a row of
/// another length raises an error naming the column and row.
/// </summary>
internal sealed class KnownSizeVectorMapper : RowMapperBase
{
    private readonly int _columnIndex;
    private readonly int _size;

    /// <summary>Re-declares column <paramref name="columnIndex"/> of <paramref name="source"/> with size <paramref name="size"/>.</summary>
    public KnownSizeVectorMapper(DataViewSchema source, int columnIndex, int size)
        : base(source, Redeclare(source, columnIndex, size))
    {
        _columnIndex = columnIndex;
        _size = size;
        ComputedInputs = [columnIndex];
    }

    /// <inheritdoc />
    public override IReadOnlyList<int> ComputedInputs { get; }

    /// <inheritdoc />
    public override bool IsComputed(int outputIndex) => outputIndex == _columnIndex;

    /// <inheritdoc />
    protected override ComputedValues Bind(DataViewRow input, DataViewRowCursor? readAhead) => new LengthChecked(this, input);

    private static DataViewSchema Redeclare(DataViewSchema source, int columnIndex, int size)
    {
        var itemType = ((VectorDataViewType)source[columnIndex].Type).ItemType;
        var builder = new DataViewSchema.Builder();
        foreach (var column in source)
        {
            if (column.Index == columnIndex)
                builder.AddColumn(column.Name, new VectorDataViewType((PrimitiveDataViewType)itemType, size));
            else
                builder.AddColumn(column.Name, column.Type, column.Annotations);
        }
        return builder.ToSchema();
    }

    /// <summary>The input column's own getter, followed by the length check.</summary>
    private sealed class LengthChecked(KnownSizeVectorMapper mapper, DataViewRow row) : ComputedValues
    {
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var inner = row.GetGetter<TValue>(mapper.InputSchema[mapper._columnIndex]);
            string name = column.Name;
            int size = mapper._size;
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
}
