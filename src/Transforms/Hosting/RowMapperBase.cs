using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Hosting;

/// <summary>
/// The one row-to-row mapper of this library's transforms, modelled on ML.NET's <c>RowToRowTransformerBase.MapperBase</c>
/// (which cannot be subclassed outside ML.NET). Output column <c>i</c> either passes input column <c>i</c> through or
/// is <em>computed</em> by the subclass (by default: the columns appended after the input's). The base answers
/// <see cref="GetDependencies"/>, tracks which columns a row was asked for, refuses getters of inactive columns, and binds
/// the computed columns to a row only when at least one of them is active, so a cursor over pass-through columns never
/// runs the model.
/// </summary>
/// <remarks>
/// <see cref="MappedDataView"/> hosts a mapper as the lazy result of <c>Transform</c>; <c>GetRowToRowMapper</c> returns the
/// mapper itself (what <c>PredictionEngine</c> and transformer chains use). Subclasses: the TempScale embedding
/// (one appended vector column), I-STAR scoring (two or three appended score columns) and the isotropy transform's
/// known-size view (one re-declared column).
/// </remarks>
internal abstract class RowMapperBase : IRowToRowMapper
{
    /// <summary>A mapper from <paramref name="inputSchema"/> to <paramref name="outputSchema"/>.</summary>
    protected RowMapperBase(DataViewSchema inputSchema, DataViewSchema outputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ArgumentNullException.ThrowIfNull(outputSchema);
        InputSchema = inputSchema;
        OutputSchema = outputSchema;
    }

    /// <inheritdoc />
    public DataViewSchema InputSchema { get; }

    /// <inheritdoc />
    public DataViewSchema OutputSchema { get; }

    /// <summary>The input columns the computed columns read (by index in <see cref="InputSchema"/>).</summary>
    public abstract IReadOnlyList<int> ComputedInputs { get; }

    /// <summary>How <see cref="MappedDataView"/> feeds the computed columns (default: row by row).</summary>
    public virtual ReadAheadPolicy ReadAhead => ReadAheadPolicy.None;

    /// <summary>
    /// Whether output column <paramref name="outputIndex"/> is computed here; otherwise it passes the input column of
    /// the same index through. Default: the columns after the input's.
    /// </summary>
    public virtual bool IsComputed(int outputIndex) => outputIndex >= InputSchema.Count;

    /// <summary>True when any of <paramref name="columns"/> is computed by this mapper.</summary>
    public bool AnyComputed(IEnumerable<DataViewSchema.Column> columns) => columns.Any(c => IsComputed(c.Index));

    /// <inheritdoc />
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        ArgumentNullException.ThrowIfNull(dependingColumns);
        var needed = new SortedSet<int>();
        foreach (var column in dependingColumns)
        {
            if (IsComputed(column.Index)) needed.UnionWith(ComputedInputs);
            else needed.Add(column.Index);
        }
        return [.. needed.Select(i => InputSchema[i])];
    }

    /// <inheritdoc />
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) => GetRow(input, activeColumns, null);

    /// <summary>
    /// Like <see cref="GetRow(DataViewRow, IEnumerable{DataViewSchema.Column})"/>; when <paramref name="readAhead"/> is given
    /// (a second cursor over the same rows, in the same order, with <see cref="ComputedInputs"/> active) the computed
    /// columns may be produced a block of rows at a time.
    /// </summary>
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns, DataViewRowCursor? readAhead)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(activeColumns);
        var active = new bool[OutputSchema.Count];
        foreach (var column in activeColumns) active[column.Index] = true;
        var computed = active.Where((a, i) => a && IsComputed(i)).Any() ? Bind(input, readAhead) : null;
        return new MappedRow(this, input, active, computed);
    }

    /// <summary>
    /// The getters of the computed columns for the rows <paramref name="input"/> stands on (called once per row or
    /// cursor, only when a computed column is active).
    /// </summary>
    protected abstract ComputedValues Bind(DataViewRow input, DataViewRowCursor? readAhead);

    private sealed class MappedRow(RowMapperBase mapper, DataViewRow input, bool[] active, ComputedValues? computed) : DataViewRow
    {
        public override DataViewSchema Schema => mapper.OutputSchema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!active[column.Index])
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor or row was created.");
            return mapper.IsComputed(column.Index)
                ? computed!.GetGetter<TValue>(column)
                : input.GetGetter<TValue>(mapper.InputSchema[column.Index]);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) (computed as IDisposable)?.Dispose();
            base.Dispose(disposing);
        }
    }
}
