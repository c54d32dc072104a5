using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Trainers.IStar.Scoring;

/// <summary>The lazy output of <see cref="IStarTransformer.Transform"/>: the input rows with Score and PredictedLabel computed on demand.</summary>
internal sealed class IStarScoredDataView : IDataView
{
    private readonly IDataView source;
    private readonly IStarRowMapper mapper;

    /// <summary>Wraps <paramref name="source"/> with <paramref name="mapper"/>.</summary>
    public IStarScoredDataView(IDataView source, IStarRowMapper mapper)
    {
        this.source = source;
        this.mapper = mapper;
    }

    /// <inheritdoc />
    public bool CanShuffle => source.CanShuffle;

    /// <inheritdoc />
    public DataViewSchema Schema => mapper.OutputSchema;

    /// <inheritdoc />
    public long? GetRowCount() => source.GetRowCount();

    /// <inheritdoc />
    /// <remarks>
    /// When a score column is needed and the rows come in their stored order (<paramref name="rand"/> null), a second
    /// cursor over the input column reads ahead so the network scores up to <see cref="IStarRowScores.BlockRows"/>
    /// rows per call; a shuffled cursor scores row by row.
    /// </remarks>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        var inputCursor = source.GetRowCursor(mapper.GetDependencies(needed), rand);
        DataViewRowCursor? readAhead = null;
        try
        {
            if (rand is null && mapper.AnyComputed(needed))
                readAhead = source.GetRowCursor([source.Schema[mapper.InputColumnName]]);
            return new Cursor(inputCursor, mapper.GetRow(inputCursor, needed, readAhead), readAhead);
        }
        catch
        {
            readAhead?.Dispose();
            inputCursor.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

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
                input.Dispose();
                readAhead?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
