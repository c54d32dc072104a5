using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Benchmarks.Embedding;

/// <summary>
/// Our side of a comparison: the fitted <c>ApplyTempScaleEmbedding</c> transform, driven the way an ML.NET user
/// drives it — an <see cref="IDataView"/> of texts, <see cref="ITransformer.Transform"/>, one cursor reading the
/// embedding column row by row. Fitting (TempScale rewrite, session creation) happens once, outside the timings.
/// </summary>
internal sealed class TransformRunner : IDisposable
{
    private readonly MLContext _ml = new(seed: 0);
    private readonly TempScaleEmbeddingTransformer _transformer;

    public TransformRunner(TempScaleEmbeddingOptions options)
    {
        var empty = _ml.Data.LoadFromEnumerable(new List<TextRow>());
        _transformer = _ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", nameof(TextRow.Text), options).Fit(empty);
    }

    /// <summary>The fitted transformer.</summary>
    public TempScaleEmbeddingTransformer Transformer => _transformer;

    /// <summary>Width d of the embeddings.</summary>
    public int Dimension => _transformer.Dimension;

    /// <summary>Embeds all texts through an ML.NET cursor; returns texts × d, row-major, input order.</summary>
    public float[] Embed(IReadOnlyList<string> texts)
    {
        var d = Dimension;
        var result = new float[texts.Count * d];
        var data = _ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }));
        var output = _transformer.Transform(data);
        var column = output.Schema["Embedding"];
        using var cursor = output.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var value = default(VBuffer<float>);
        var row = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            value.GetValues().CopyTo(result.AsSpan(row++ * d, d));
        }
        if (row != texts.Count) throw new InvalidOperationException($"The transform returned {row} rows for {texts.Count} texts.");
        return result;
    }

    public void Dispose() => _transformer.Dispose();

    /// <summary>The one-column input row.</summary>
    internal sealed class TextRow
    {
        public string Text { get; set; } = "";
    }
}
