using Microsoft.ML;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// The lazy output of <see cref="TempScaleEmbeddingTransformer.Transform"/>: the input's columns plus the embedding
/// column, computed by <see cref="EmbeddingCursor"/> as rows are read. It cannot shuffle (its read-ahead needs two
/// input cursors that visit rows in the same order), so a requested shuffle is ignored, as the IDataView contract
/// allows when <see cref="CanShuffle"/> is false.
/// </summary>
internal sealed class EmbeddingDataView : IDataView
{
    private readonly TempScaleEmbeddingTransformer _parent;

    public IDataView Source { get; }
    public DataViewSchema Schema { get; }
    public int TextColumnIndex { get; }
    public int OutputColumnIndex { get; }

    public EmbeddingDataView(TempScaleEmbeddingTransformer parent, IDataView source)
    {
        _parent = parent;
        Source = source;
        Schema = parent.GetOutputSchema(source.Schema);
        TextColumnIndex = parent.TextColumnIndex(source.Schema);
        OutputColumnIndex = Schema.Count - 1;
    }

    public bool CanShuffle => false;

    public long? GetRowCount() => Source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        var wantEmbedding = needed.Any(c => c.Index == OutputColumnIndex);
        var sourceColumns = needed.Where(c => c.Index != OutputColumnIndex).Select(c => Source.Schema[c.Index]);
        var main = Source.GetRowCursor(sourceColumns);
        var readAhead = wantEmbedding ? Source.GetRowCursor([Source.Schema[TextColumnIndex]]) : null;
        return new EmbeddingCursor(this, _parent.Embedder, main, readAhead);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}
