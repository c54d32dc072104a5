using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// An <see cref="IRowToRowMapper"/> (what <c>PredictionEngine</c> uses) over an unknown-size input schema: it presents
/// each input row through a <see cref="KnownSizeVectorSchema"/> to an inner mapper built for the re-declared schema.
/// </summary>
internal sealed class KnownSizeVectorMapper : IRowToRowMapper
{
    private readonly KnownSizeVectorSchema _adapter;
    private readonly IRowToRowMapper _inner;

    public KnownSizeVectorMapper(KnownSizeVectorSchema adapter, IRowToRowMapper inner)
    {
        _adapter = adapter;
        _inner = inner;
    }

    public DataViewSchema InputSchema => _adapter.Source;

    public DataViewSchema OutputSchema => _inner.OutputSchema;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) =>
        _adapter.ToSource(_inner.GetDependencies(dependingColumns));

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        _inner.GetRow(new Row(input, _adapter), activeColumns);

    private sealed class Row(DataViewRow source, KnownSizeVectorSchema adapter) : DataViewRow
    {
        public override DataViewSchema Schema => adapter.Schema;

        public override long Position => source.Position;

        public override long Batch => source.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => source.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => source.IsColumnActive(adapter.Source[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => adapter.GetGetter<TValue>(source, column);
    }
}
