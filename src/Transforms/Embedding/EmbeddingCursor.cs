using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Cursor of <see cref="EmbeddingDataView"/>. Pass-through columns come from a main input cursor. When the
/// embedding column is active, a second input cursor over the text column reads ahead
/// <see cref="EmbeddingSettings.ReadAheadRows"/> rows starting at the current position, the block is embedded in one
/// <see cref="TextEmbedder.Embed"/> call (length-sorted, dynamically padded batches) and the results are served by
/// <see cref="Position"/>. Blocks whose embeddings are never read are skipped without running the encoder.
/// </summary>
internal sealed class EmbeddingCursor : DataViewRowCursor
{
    private readonly EmbeddingDataView _view;
    private readonly TextEmbedder _embedder;
    private readonly DataViewRowCursor _main;
    private readonly DataViewRowCursor? _readAhead;
    private readonly ValueGetter<ReadOnlyMemory<char>>? _textGetter;
    private readonly EmbedderWorkspace _workspace = new();
    private readonly List<string?> _texts = [];
    private float[] _block = [];
    private long _blockStart = -1;
    private int _blockRows;

    public EmbeddingCursor(EmbeddingDataView view, TextEmbedder embedder, DataViewRowCursor main, DataViewRowCursor? readAhead)
    {
        _view = view;
        _embedder = embedder;
        _main = main;
        _readAhead = readAhead;
        if (readAhead is not null)
            _textGetter = readAhead.GetGetter<ReadOnlyMemory<char>>(view.Source.Schema[view.TextColumnIndex]);
    }

    public override DataViewSchema Schema => _view.Schema;
    public override long Position => _main.Position;
    public override long Batch => _main.Batch;
    public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();
    public override bool MoveNext() => _main.MoveNext();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index == _view.OutputColumnIndex ? _readAhead is not null : _main.IsColumnActive(_view.Source.Schema[column.Index]);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index != _view.OutputColumnIndex)
            return _main.GetGetter<TValue>(_view.Source.Schema[column.Index]);
        return EmbeddingGetters.Typed<TValue>(column, _readAhead is not null, GetEmbedding);
    }

    private void GetEmbedding(ref VBuffer<float> value)
    {
        var position = _main.Position;
        if (position < 0)
            throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
        if (position < _blockStart || position >= _blockStart + _blockRows)
            ReadBlock(position);
        var d = _embedder.Dimension;
        EmbeddingGetters.Write(_block.AsSpan((int)(position - _blockStart) * d, d), ref value);
    }

    private void ReadBlock(long position)
    {
        _texts.Clear();
        var text = default(ReadOnlyMemory<char>);
        ReadAheadBlock.Read(_readAhead!, position, _embedder.Settings.ReadAheadRows, () =>
        {
            _textGetter!(ref text);
            _texts.Add(text.IsEmpty ? null : text.ToString());
        }, () => _texts.Count, "embedding");

        var d = _embedder.Dimension;
        if (_block.Length < _texts.Count * d) _block = new float[_texts.Count * d];
        _embedder.Embed(_texts, _block, _workspace);
        _blockStart = position;
        _blockRows = _texts.Count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _main.Dispose();
            _readAhead?.Dispose();
        }
        base.Dispose(disposing);
    }
}
