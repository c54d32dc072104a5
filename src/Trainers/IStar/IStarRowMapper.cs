using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// Row-to-row mapper of a trained I-STAR model (used by <c>Transform</c>, <c>TransformerChain</c> and
/// <c>PredictionEngine</c>): passes the input columns through and computes Score and PredictedLabel lazily per row.
/// </summary>
internal sealed class IStarRowMapper : IRowToRowMapper
{
    private readonly IStarTransformer model;
    private readonly int scoreIndex;
    private readonly int predictedIndex;

    /// <summary>Binds <paramref name="model"/> to <paramref name="inputSchema"/> (throws naming the input column when unusable).</summary>
    public IStarRowMapper(IStarTransformer model, DataViewSchema inputSchema)
    {
        this.model = model;
        model.Input.CheckSchema(inputSchema);
        InputSchema = inputSchema;
        OutputSchema = model.GetOutputSchema(inputSchema);
        scoreIndex = inputSchema.Count;
        predictedIndex = inputSchema.Count + 1;
    }

    /// <inheritdoc />
    public DataViewSchema InputSchema { get; }

    /// <inheritdoc />
    public DataViewSchema OutputSchema { get; }

    /// <summary>True when the output column at <paramref name="index"/> is one this mapper computes.</summary>
    public bool IsComputed(int index) => index >= scoreIndex;

    /// <inheritdoc />
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = new HashSet<int>();
        foreach (var column in dependingColumns)
        {
            if (IsComputed(column.Index)) needed.Add(InputSchema[model.Input.ColumnName].Index);
            else needed.Add(column.Index);
        }
        return needed.Order().Select(i => InputSchema[i]).ToArray();
    }

    /// <inheritdoc />
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        var active = new bool[OutputSchema.Count];
        foreach (var column in activeColumns) active[column.Index] = true;
        return new Row(this, input, active);
    }

    private sealed class Row : DataViewRow
    {
        private readonly IStarRowMapper parent;
        private readonly DataViewRow input;
        private readonly bool[] active;
        private readonly Func<TorchSharp.torch.Device, IStarBatch>? batcher;
        private readonly float[] probabilities;
        private long cachedPosition = -1;

        public Row(IStarRowMapper parent, DataViewRow input, bool[] active)
        {
            this.parent = parent;
            this.input = input;
            this.active = active;
            probabilities = new float[parent.model.Labels.Count];
            if (active[parent.scoreIndex] || active[parent.predictedIndex])
                batcher = parent.model.Input.CreateRowBatcher(input);
        }

        public override DataViewSchema Schema => parent.OutputSchema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!active[column.Index])
                throw new InvalidOperationException($"Column '{column.Name}' is not active in this row.");
            if (column.Index < parent.scoreIndex) return input.GetGetter<TValue>(parent.InputSchema[column.Index]);
            if (column.Index == parent.scoreIndex)
            {
                if (typeof(TValue) != typeof(VBuffer<float>))
                    throw new InvalidOperationException($"Column '{column.Name}' is Vector<Single>; requested {typeof(TValue).Name}.");
                ValueGetter<VBuffer<float>> score = (ref VBuffer<float> value) =>
                {
                    Compute();
                    var editor = VBufferEditor.Create(ref value, probabilities.Length);
                    probabilities.CopyTo(editor.Values);
                    value = editor.Commit();
                };
                return (ValueGetter<TValue>)(Delegate)score;
            }
            if (typeof(TValue) != typeof(uint))
                throw new InvalidOperationException($"Column '{column.Name}' is Key<UInt32>; requested {typeof(TValue).Name}.");
            ValueGetter<uint> predicted = (ref uint value) =>
            {
                Compute();
                value = (uint)ArgMax(probabilities) + 1;
            };
            return (ValueGetter<TValue>)(Delegate)predicted;
        }

        private void Compute()
        {
            if (cachedPosition == input.Position) return;
            using var batch = batcher!(parent.model.Device);
            parent.model.Predict(batch, probabilities);
            cachedPosition = input.Position;
        }

        private static int ArgMax(float[] values)
        {
            int best = 0;
            for (int i = 1; i < values.Length; i++)
                if (values[i] > values[best]) best = i;
            return best;
        }
    }
}
