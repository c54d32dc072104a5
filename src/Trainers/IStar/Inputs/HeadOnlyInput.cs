using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Inputs;

/// <summary>Head-only mode input: a known-size <c>Vector&lt;Single&gt;</c> feature column, densified.</summary>
internal sealed class HeadOnlyInput : NetworkInput
{
    /// <summary>Reads the column <paramref name="columnName"/>.</summary>
    public HeadOnlyInput(string columnName) => ColumnName = columnName;

    /// <inheritdoc />
    public override string ColumnName { get; }

    /// <inheritdoc />
    public override DataViewSchema.Column CheckSchema(DataViewSchema schema)
    {
        var column = schema.GetColumnOrNull(ColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Feature column '{ColumnName}' not found in the input schema.");
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single || vector.Size == 0)
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Feature column '{ColumnName}' must be a known-size Vector<Single>, got {column.Type}.");
        return column;
    }

    /// <inheritdoc />
    protected override string ColumnRole => "Feature";

    /// <inheritdoc />
    protected override string ExpectedType => "a known-size Vector<Single>";

    /// <inheritdoc />
    protected override bool Accepts(SchemaShape.Column column) =>
        column.Kind == SchemaShape.Column.VectorKind.Vector && column.ItemType == NumberDataViewType.Single && !column.IsKey;

    /// <summary>Feature dimension d of the column in <paramref name="schema"/>.</summary>
    public int Dimension(DataViewSchema schema) => ((VectorDataViewType)CheckSchema(schema).Type).Size;

    /// <inheritdoc />
    public override TrainingExamples ReadExamples(IDataView data, string dataName)
    {
        var column = CheckSchema(data.Schema);
        int d = ((VectorDataViewType)column.Type).Size;
        var rows = new List<float>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        var dense = new float[d];
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            Densify(buffer, dense, cursor.Position, dataName);
            rows.AddRange(dense);
        }
        return new HeadOnlyExamples(rows.ToArray(), d);
    }

    /// <inheritdoc />
    public override InputRowReader CreateRowReader(DataViewRow row) => new FeatureRowReader(this, row);

    private void Densify(in VBuffer<float> buffer, Span<float> dense, long position, string dataName)
    {
        if (buffer.Length != dense.Length)
            throw new InvalidOperationException($"Row {position} of the {dataName}: column '{ColumnName}' has {buffer.Length} values, expected {dense.Length}.");
        buffer.CopyTo(dense);
        for (int j = 0; j < dense.Length; j++)
        {
            if (!float.IsFinite(dense[j]))
                throw new InvalidOperationException(
                    $"Row {position} of the {dataName}: column '{ColumnName}' slot {j} is {dense[j]}; features must be finite.");
        }
    }

    private sealed class FeatureRowReader : InputRowReader
    {
        private readonly HeadOnlyInput input;
        private readonly DataViewRow row;
        private readonly ValueGetter<VBuffer<float>> getter;
        private readonly int dimension;
        private VBuffer<float> buffer;
        private float[] values = [];
        private int count;

        public FeatureRowReader(HeadOnlyInput input, DataViewRow row)
        {
            this.input = input;
            this.row = row;
            var column = input.CheckSchema(row.Schema);
            dimension = ((VectorDataViewType)column.Type).Size;
            getter = row.GetGetter<VBuffer<float>>(column);
        }

        public override int Count => count;

        public override void Read()
        {
            if (values.Length < (count + 1) * dimension) Array.Resize(ref values, Math.Max(2 * values.Length, (count + 1) * dimension));
            getter(ref buffer);
            input.Densify(buffer, values.AsSpan(count * dimension, dimension), row.Position, "input data");
            count++;
        }

        public override IReadOnlyList<(IStarBatch Batch, int[] Rows)> Flush(Device device)
        {
            var features = AlignedTensors.Float32(values.AsSpan(0, count * dimension).ToArray(), [count, dimension], device);
            var rows = Enumerable.Range(0, count).ToArray();
            count = 0;
            return [(new IStarBatch { Features = features }, rows)];
        }

        public override void Clear() => count = 0;
    }

    private sealed class HeadOnlyExamples(float[] values, int dimension) : TrainingExamples
    {
        // One staging buffer per thread: batches of wide features would otherwise land on the large-object heap every step.
        private readonly ThreadLocal<float[]> staging = new(() => []);

        public override int Count => values.Length / dimension;

        public override IStarBatch MakeBatch(ReadOnlySpan<int> rows, Device device)
        {
            int length = rows.Length * dimension;
            var block = staging.Value!;
            if (block.Length != length) staging.Value = block = new float[length];
            for (int i = 0; i < rows.Length; i++)
                Array.Copy(values, (long)rows[i] * dimension, block, (long)i * dimension, dimension);
            return new IStarBatch { Features = AlignedTensors.Float32(block, [rows.Length, dimension], device) };
        }
    }
}
