using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Extensions.Tests;

/// <summary>Vectors of the TempScale embedding transform (ApplyTempScaleEmbedding), the reference the generator must match.</summary>
internal static class ReferenceEmbeddings
{
    public sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    public static float[][] Of(TempScaleEmbeddingOptions options, IReadOnlyList<string> texts)
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }).ToList());
        using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", "Text", options).Fit(data);
        var output = transformer.Transform(data);
        var column = output.Schema["Embedding"];
        var result = new List<float[]>();
        using var cursor = output.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.DenseValues().ToArray());
        }
        return [.. result];
    }
}
