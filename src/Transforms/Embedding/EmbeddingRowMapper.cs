using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Embedding;

/// <summary>
/// Single-row path of the transform (used by <c>PredictionEngine</c> and by transformer chains): each output row
/// embeds its input row's text on demand, with its own buffers, so rows may be used from different threads.
/// </summary>
internal sealed class EmbeddingRowMapper : IRowToRowMapper
{
    private readonly TempScaleEmbeddingTransformer _parent;
    private readonly int _textIndex;

    public EmbeddingRowMapper(TempScaleEmbeddingTransformer parent, DataViewSchema inputSchema)
    {
        _parent = parent;
        InputSchema = inputSchema;
        OutputSchema = parent.GetOutputSchema(inputSchema);
        _textIndex = parent.TextColumnIndex(inputSchema);
    }

    public DataViewSchema InputSchema { get; }
    public DataViewSchema OutputSchema { get; }
    private int OutputIndex => OutputSchema.Count - 1;

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = new SortedSet<int>();
        foreach (var column in dependingColumns)
            needed.Add(column.Index == OutputIndex ? _textIndex : column.Index);
        return needed.Select(i => InputSchema[i]).ToList();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        var wantEmbedding = activeColumns.Any(c => c.Index == OutputIndex);
        return new Row(this, input, wantEmbedding);
    }

    private sealed class Row : DataViewRow
    {
        private readonly EmbeddingRowMapper _mapper;
        private readonly DataViewRow _input;
        private readonly ValueGetter<ReadOnlyMemory<char>>? _textGetter;
        private readonly EmbedderWorkspace _workspace = new();
        private readonly string?[] _text = new string?[1];
        private float[] _embedding = [];
        private string? _cachedText;
        private bool _hasCache;

        public Row(EmbeddingRowMapper mapper, DataViewRow input, bool wantEmbedding)
        {
            _mapper = mapper;
            _input = input;
            if (wantEmbedding)
                _textGetter = input.GetGetter<ReadOnlyMemory<char>>(mapper.InputSchema[mapper._textIndex]);
        }

        public override DataViewSchema Schema => _mapper.OutputSchema;
        public override long Position => _input.Position;
        public override long Batch => _input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index == _mapper.OutputIndex ? _textGetter is not null : _input.IsColumnActive(_mapper.InputSchema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != _mapper.OutputIndex)
                return _input.GetGetter<TValue>(_mapper.InputSchema[column.Index]);
            return EmbeddingGetters.Typed<TValue>(column, _textGetter is not null, GetEmbedding);
        }

        private void GetEmbedding(ref VBuffer<float> value)
        {
            var raw = default(ReadOnlyMemory<char>);
            _textGetter!(ref raw);
            var text = raw.IsEmpty ? null : raw.ToString();
            var embedder = _mapper._parent.Embedder;
            var d = embedder.Dimension;
            if (!_hasCache || !string.Equals(text, _cachedText, StringComparison.Ordinal))
            {
                if (_embedding.Length != d) _embedding = new float[d];
                _text[0] = text;
                embedder.Embed(_text, _embedding, _workspace);
                _cachedText = text;
                _hasCache = true;
            }
            EmbeddingGetters.Write(_embedding, ref value);
        }
    }
}
