using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Trainers.IStar.Scoring;

/// <summary>
/// Row-to-row mapper of a trained I-STAR model (used by <c>Transform</c>, <c>TransformerChain</c> and
/// <c>PredictionEngine</c>): passes the input columns through and computes the model's output columns
/// (<see cref="ClassifierOutputColumns"/>) lazily, running the network once per row, or once per block of rows when
/// <see cref="IStarScoredDataView"/> supplies a read-ahead cursor.
/// </summary>
internal sealed class IStarRowMapper : IRowToRowMapper
{
    private readonly IStarTransformer model;
    private readonly int firstOutputIndex;

    /// <summary>Binds <paramref name="model"/> to <paramref name="inputSchema"/> (throws naming the input column when unusable).</summary>
    public IStarRowMapper(IStarTransformer model, DataViewSchema inputSchema)
    {
        this.model = model;
        model.Input.CheckSchema(inputSchema);
        InputSchema = inputSchema;
        OutputSchema = model.GetOutputSchema(inputSchema);
        firstOutputIndex = inputSchema.Count;
    }

    /// <inheritdoc />
    public DataViewSchema InputSchema { get; }

    /// <summary>The input column the model reads.</summary>
    public string InputColumnName => model.Input.ColumnName;

    /// <inheritdoc />
    public DataViewSchema OutputSchema { get; }

    /// <summary>True when the output column at <paramref name="index"/> is one this mapper computes.</summary>
    public bool IsComputed(int index) => index >= firstOutputIndex;

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
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) => GetRow(input, activeColumns, null);

    /// <summary>
    /// Like <see cref="GetRow(DataViewRow, IEnumerable{DataViewSchema.Column})"/>, scoring in blocks read through
    /// <paramref name="readAhead"/> (a second cursor over the same rows in the same order) when given.
    /// </summary>
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns, DataViewRowCursor? readAhead)
    {
        var active = new bool[OutputSchema.Count];
        foreach (var column in activeColumns) active[column.Index] = true;
        return new Row(this, input, active, readAhead);
    }

    /// <summary>True when any of <paramref name="columns"/> is computed by this mapper.</summary>
    public bool AnyComputed(IEnumerable<DataViewSchema.Column> columns) => columns.Any(c => IsComputed(c.Index));

    private sealed class Row : DataViewRow
    {
        private readonly IStarRowMapper parent;
        private readonly DataViewRow input;
        private readonly bool[] active;
        private readonly IStarRowScores? scores;

        public Row(IStarRowMapper parent, DataViewRow input, bool[] active, DataViewRowCursor? readAhead)
        {
            this.parent = parent;
            this.input = input;
            this.active = active;
            if (active.Skip(parent.firstOutputIndex).Any(a => a))
                scores = new IStarRowScores(parent.model, input, readAhead);
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
            if (!parent.IsComputed(column.Index)) return input.GetGetter<TValue>(parent.InputSchema[column.Index]);
            var getter = parent.model.Outputs.CreateGetter(column.Index - parent.firstOutputIndex, scores!);
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; requested {typeof(TValue).Name}.");
        }
    }
}
