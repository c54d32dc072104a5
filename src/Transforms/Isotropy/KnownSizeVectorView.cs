using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>A lazy <see cref="IDataView"/> presenting a source view through a <see cref="KnownSizeVectorSchema"/>.</summary>
internal sealed class KnownSizeVectorView : IDataView
{
    private readonly IDataView _source;
    private readonly KnownSizeVectorSchema _adapter;

    public KnownSizeVectorView(IDataView source, KnownSizeVectorSchema adapter)
    {
        _source = source;
        _adapter = adapter;
    }

    public bool CanShuffle => _source.CanShuffle;

    public DataViewSchema Schema => _adapter.Schema;

    public long? GetRowCount() => _source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(_source.GetRowCursor(_adapter.ToSource(columnsNeeded), rand), _adapter);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [.. _source.GetRowCursorSet(_adapter.ToSource(columnsNeeded), n, rand).Select(c => (DataViewRowCursor)new Cursor(c, _adapter))];

    private sealed class Cursor(DataViewRowCursor source, KnownSizeVectorSchema adapter) : DataViewRowCursor
    {
        public override DataViewSchema Schema => adapter.Schema;

        public override long Position => source.Position;

        public override long Batch => source.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => source.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => source.IsColumnActive(adapter.Source[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => adapter.GetGetter<TValue>(source, column);

        public override bool MoveNext() => source.MoveNext();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                source.Dispose();
            base.Dispose(disposing);
        }
    }
}
