using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Transforms.Tests.Embedding;

internal sealed class TextRow
{
    public string? Text { get; set; }
}

internal sealed class LabeledTextRow
{
    public string? Text { get; set; }
    public bool Label { get; set; }
}

internal sealed class EmbeddingRow
{
    public float[] Embedding { get; set; } = [];
}

internal static class EmbeddingTestData
{
    public static IDataView Texts(MLContext ml, IEnumerable<string?> texts) =>
        ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }).ToList());

    /// <summary>All values of a vector column, read with a plain cursor.</summary>
    public static List<float[]> ReadVectors(IDataView view, string column)
    {
        var result = new List<float[]>();
        var col = view.Schema[column];
        using var cursor = view.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        var value = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref value);
            result.Add(value.DenseValues().ToArray());
        }
        return result;
    }

    public static void AssertClose(float[] expected, float[] actual, double tolerance, string because)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var j = 0; j < expected.Length; j++)
            Assert.True(Math.Abs(expected[j] - actual[j]) <= tolerance,
                $"{because}: element {j} is {actual[j]}, expected {expected[j]} (tolerance {tolerance}).");
    }
}
