using Microsoft.ML;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// The row mapping of the TempScale embedding transform: every input column passes through and the embedding column is
/// appended. Under <see cref="MappedDataView"/> the texts are embedded in read-ahead blocks of
/// <see cref="EmbeddingSettings.ReadAheadRows"/> rows (length-sorted, dynamically padded batches); as a row-to-row mapper
/// (<c>PredictionEngine</c>, transformer chains) each row is embedded on its own. The view never shuffles
/// (<see cref="ReadAheadPolicy.Always"/>): row by row, a shuffling trainer would be an order of magnitude slower.
/// </summary>
internal sealed class EmbeddingRowMapper : RowMapperBase
{
    private readonly TextEmbedder _embedder;
    private readonly int _textIndex;

    /// <summary>Binds the transform to <paramref name="inputSchema"/> (throws naming the text column when it is missing or not text).</summary>
    public EmbeddingRowMapper(TempScaleEmbeddingTransformer parent, DataViewSchema inputSchema)
        : base(inputSchema, parent.GetOutputSchema(inputSchema))
    {
        _embedder = parent.Embedder;
        _textIndex = parent.TextColumnIndex(inputSchema);
        ComputedInputs = [_textIndex];
    }

    /// <inheritdoc />
    public override IReadOnlyList<int> ComputedInputs { get; }

    /// <inheritdoc />
    public override ReadAheadPolicy ReadAhead => ReadAheadPolicy.Always;

    /// <inheritdoc />
    protected override ComputedValues Bind(DataViewRow input, DataViewRowCursor? readAhead) =>
        new EmbeddingValues(_embedder, _textIndex, input, readAhead);
}
