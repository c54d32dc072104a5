using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Tests;

/// <summary>Wraps a data view and counts the cursors opened, the columns they activate and their MoveNext calls.</summary>
internal sealed class CountingDataView(IDataView source) : IDataView
{
    public int CursorsOpened { get; private set; }

    public long MoveNextCalls;

    public List<int> ActiveColumnCounts { get; } = [];

    public bool CanShuffle => source.CanShuffle;

    public DataViewSchema Schema => source.Schema;

    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var columns = columnsNeeded.ToArray();
        CursorsOpened++;
        ActiveColumnCounts.Add(columns.Length);
        return new Cursor(source.GetRowCursor(columns, rand), this);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DataViewRowCursor inner, CountingDataView owner) : DataViewRowCursor
    {
        public override DataViewSchema Schema => inner.Schema;
        public override long Position => inner.Position;
        public override long Batch => inner.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => inner.GetGetter<TValue>(column);

        public override bool MoveNext()
        {
            Interlocked.Increment(ref owner.MoveNextCalls);
            return inner.MoveNext();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
