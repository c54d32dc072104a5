using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Embedding.Tokenization;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Inputs;

/// <summary>
/// Fine-tune mode input: a text column tokenised with the encoder's WordPiece vocabulary (HF-identical
/// <see cref="BertTextTokenizer"/>), truncated to the token limit, padded per batch to its longest row.
/// </summary>
internal sealed class FineTuneInput : NetworkInput
{
    private readonly BertTextTokenizer tokenizer;
    private readonly int maxTokens;

    /// <summary>Reads <paramref name="columnName"/> with <paramref name="tokenizer"/>, at most <paramref name="maxTokens"/> ids per row.</summary>
    public FineTuneInput(string columnName, BertTextTokenizer tokenizer, int maxTokens)
    {
        ColumnName = columnName;
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
    }

    /// <inheritdoc />
    public override string ColumnName { get; }

    /// <summary>The WordPiece tokenizer the texts are encoded with.</summary>
    public BertTextTokenizer Tokenizer => tokenizer;

    /// <inheritdoc />
    public override DataViewSchema.Column CheckSchema(DataViewSchema schema)
    {
        var column = schema.GetColumnOrNull(ColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Text column '{ColumnName}' not found in the input schema.");
        if (column.Type is not TextDataViewType)
            throw new ArgumentOutOfRangeException(nameof(schema), $"Text column '{ColumnName}' must be of type String, got {column.Type}.");
        return column;
    }

    /// <inheritdoc />
    protected override string ColumnRole => "Text";

    /// <inheritdoc />
    protected override string ExpectedType => "a scalar String (text) column";

    /// <inheritdoc />
    protected override bool Accepts(SchemaShape.Column column) =>
        column.Kind == SchemaShape.Column.VectorKind.Scalar && column.ItemType is TextDataViewType;

    /// <inheritdoc />
    public override TrainingExamples ReadExamples(IDataView data, string dataName)
    {
        var column = CheckSchema(data.Schema);
        var rows = new List<int[]>();
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> text = default;
        while (cursor.MoveNext())
        {
            getter(ref text);
            rows.Add(Encode(text, cursor.Position, dataName));
        }
        return new TokenExamples(rows, tokenizer.PadId);
    }

    /// <inheritdoc />
    public override InputRowReader CreateRowReader(DataViewRow row) => new TextRowReader(this, row);

    private int[] Encode(ReadOnlyMemory<char> text, long position, string dataName)
    {
        if (text.Span.IsWhiteSpace())
            throw new InvalidOperationException($"Row {position} of the {dataName}: text column '{ColumnName}' is empty.");
        return tokenizer.Encode(text.ToString(), maxTokens);
    }

    private sealed class TextRowReader : InputRowReader
    {
        private const int GroupRows = 8;

        private readonly FineTuneInput input;
        private readonly DataViewRow row;
        private readonly ValueGetter<ReadOnlyMemory<char>> getter;
        private readonly List<int[]> rows = [];
        private ReadOnlyMemory<char> text;

        public TextRowReader(FineTuneInput input, DataViewRow row)
        {
            this.input = input;
            this.row = row;
            getter = row.GetGetter<ReadOnlyMemory<char>>(input.CheckSchema(row.Schema));
        }

        public override int Count => rows.Count;

        public override void Read()
        {
            getter(ref text);
            rows.Add(input.Encode(text, row.Position, "input data"));
        }

        /// <summary>
        /// Rows sorted by token count and cut into groups of <see cref="GroupRows"/>, each padded only to its own
        /// longest row: a block of short and long sentences then runs about its real token count, not 64 × the longest.
        /// </summary>
        public override IReadOnlyList<(IStarBatch Batch, int[] Rows)> Flush(Device device)
        {
            var order = Enumerable.Range(0, rows.Count).OrderBy(i => rows[i].Length).ToArray();
            var groups = new List<(IStarBatch, int[])>();
            for (int start = 0; start < order.Length; start += GroupRows)
            {
                var members = order.AsSpan(start, Math.Min(GroupRows, order.Length - start)).ToArray();
                groups.Add((TokenExamples.Batch(members.Select(i => rows[i]).ToArray(), input.tokenizer.PadId, device), members));
            }
            rows.Clear();
            return groups;
        }

        public override void Clear() => rows.Clear();
    }

    private sealed class TokenExamples(List<int[]> rows, int padId) : TrainingExamples
    {
        public override int Count => rows.Count;

        public override IStarBatch MakeBatch(ReadOnlySpan<int> indices, Device device)
        {
            var selected = new int[indices.Length][];
            for (int i = 0; i < indices.Length; i++) selected[i] = rows[indices[i]];
            return Batch(selected, padId, device);
        }

        public static IStarBatch Batch(int[][] rows, int padId, Device device)
        {
            int length = rows.Max(r => r.Length);
            var ids = new long[rows.Length * length];
            var mask = new long[rows.Length * length];
            for (int i = 0; i < rows.Length; i++)
            {
                for (int t = 0; t < length; t++)
                {
                    bool real = t < rows[i].Length;
                    ids[i * length + t] = real ? rows[i][t] : padId;
                    mask[i * length + t] = real ? 1 : 0;
                }
            }
            return new IStarBatch
            {
                TokenIds = AlignedTensors.Int64(ids, [rows.Length, length], device),
                AttentionMask = AlignedTensors.Int64(mask, [rows.Length, length], device),
            };
        }
    }
}
