using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// The embedding column of one cursor or row: the texts of a block go through one <see cref="TextEmbedder.Embed"/> call
/// and the current row's d-vector is served from the block. Each instance has its own buffers and workspace, so
/// cursors and rows may run on different threads over one shared encoder session.
/// </summary>
internal sealed class EmbeddingValues : BlockValues<TextBlockReader>
{
    private readonly TextEmbedder _embedder;
    private readonly int _textIndex;
    private readonly EmbedderWorkspace _workspace = new();
    private readonly float[] _block;

    public EmbeddingValues(TextEmbedder embedder, int textIndex, DataViewRow current, DataViewRowCursor? readAhead)
        : base(current, readAhead, embedder.Settings.ReadAheadRows, "embedding")
    {
        _embedder = embedder;
        _textIndex = textIndex;
        _block = new float[BlockCapacity * embedder.Dimension];
    }

    /// <inheritdoc />
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
        Typed<TValue>(column, (ValueGetter<VBuffer<float>>)GetEmbedding);

    /// <inheritdoc />
    protected override TextBlockReader CreateReader(DataViewRow row) => new(row, row.Schema[_textIndex]);

    /// <inheritdoc />
    protected override void Compute(TextBlockReader reader)
    {
        _embedder.Embed(reader.Texts, _block, _workspace);
        reader.Clear();
    }

    private void GetEmbedding(ref VBuffer<float> value)
    {
        int d = _embedder.Dimension;
        var embedding = _block.AsSpan(CurrentSlot() * d, d);
        var editor = VBufferEditor.Create(ref value, d);
        embedding.CopyTo(editor.Values);
        value = editor.Commit();
    }
}
