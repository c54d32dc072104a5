using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Hosting;

namespace MlNetIso.Transforms.Embedding;

/// <summary>Collects the text of each row a cursor stands on; a missing or empty text is kept as null (embedded as [CLS][SEP]).</summary>
internal sealed class TextBlockReader(DataViewRow row, DataViewSchema.Column textColumn) : IRowBlockReader
{
    private readonly ValueGetter<ReadOnlyMemory<char>> _getter = row.GetGetter<ReadOnlyMemory<char>>(textColumn);
    private readonly List<string?> _texts = [];
    private ReadOnlyMemory<char> _text;

    /// <summary>The texts collected, in reading order.</summary>
    public IReadOnlyList<string?> Texts => _texts;

    /// <inheritdoc />
    public int Count => _texts.Count;

    /// <inheritdoc />
    public void Read()
    {
        _getter(ref _text);
        _texts.Add(_text.IsEmpty ? null : _text.ToString());
    }

    /// <inheritdoc />
    public void Clear() => _texts.Clear();
}
