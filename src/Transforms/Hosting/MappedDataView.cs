using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Hosting;

/// <summary>
/// The lazy output of a transform's <c>Transform</c>: a source view seen through a <see cref="RowMapperBase"/>, after
/// ML.NET's <c>RowToRowMapperTransform</c>. Nothing is computed until a cursor's getter asks for it; each cursor reads the
/// source columns the requested columns depend on, plus, when the mapper works in blocks
/// (<see cref="RowMapperBase.ReadAhead"/>), a second read-ahead cursor over the mapper's input columns.
/// </summary>
internal sealed class MappedDataView : IDataView
{
    private readonly IDataView _source;
    private readonly RowMapperBase _mapper;

    /// <summary>Presents <paramref name="source"/> through <paramref name="mapper"/> (built for <paramref name="source"/>'s schema).</summary>
    public MappedDataView(IDataView source, RowMapperBase mapper)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(mapper);
        _source = source;
        _mapper = mapper;
    }

    /// <inheritdoc />
    public bool CanShuffle => _mapper.ReadAhead != ReadAheadPolicy.Always && _source.CanShuffle;

    /// <inheritdoc />
    public DataViewSchema Schema => _mapper.OutputSchema;

    /// <inheritdoc />
    public long? GetRowCount() => _source.GetRowCount();

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var needed = columnsNeeded.ToArray();
        if (!CanShuffle) rand = null;
        var input = _source.GetRowCursor(_mapper.GetDependencies(needed), rand);
        DataViewRowCursor? readAhead = null;
        try
        {
            if (_mapper.ReadAhead != ReadAheadPolicy.None && rand is null && _mapper.AnyComputed(needed))
                readAhead = _source.GetRowCursor([.. _mapper.ComputedInputs.Select(i => _source.Schema[i])]);
            return new Cursor(input, _mapper.GetRow(input, needed, readAhead), readAhead);
        }
        catch
        {
            readAhead?.Dispose();
            input.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>A block-reading mapper gives one cursor (its blocks need the rows in order); others split like the source.</remarks>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        if (_mapper.ReadAhead != ReadAheadPolicy.None)
            return [GetRowCursor(columnsNeeded, rand)];
        var needed = columnsNeeded.ToArray();
        var inputs = _source.GetRowCursorSet(_mapper.GetDependencies(needed), n, rand);
        return [.. inputs.Select(input => (DataViewRowCursor)new Cursor(input, _mapper.GetRow(input, needed), null))];
    }

    private sealed class Cursor(DataViewRowCursor input, DataViewRow mapped, DataViewRowCursor? readAhead) : DataViewRowCursor
    {
        public override DataViewSchema Schema => mapped.Schema;

        public override long Position => input.Position;

        public override long Batch => input.Batch;

        public override bool MoveNext() => input.MoveNext();

        public override bool IsColumnActive(DataViewSchema.Column column) => mapped.IsColumnActive(column);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => mapped.GetGetter<TValue>(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                mapped.Dispose();
                input.Dispose();
                readAhead?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
