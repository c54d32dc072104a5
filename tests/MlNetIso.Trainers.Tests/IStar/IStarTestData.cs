using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Trainers.Tests.IStar;

/// <summary>A tiny separable problem: Gaussian blobs around K class centres in R^d, labels as text then keys.</summary>
internal static class IStarTestData
{
    public const int Dimension = 6;

    public sealed class Row
    {
        public string Label { get; set; } = "";

        [VectorType(Dimension)]
        public float[] Features { get; set; } = [];
    }

    public sealed class BinaryRow
    {
        public bool Label { get; set; }

        [VectorType(Dimension)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>Two blobs (the first two centres of <see cref="Blobs"/>) with a Boolean label: true for the second.</summary>
    public static BinaryRow[] BinaryBlobs(int rowsPerClass, int seed, float spread = 0.6f) =>
        Blobs(rowsPerClass, seed, classes: 2, spread).Select(r => new BinaryRow { Label = r.Label == "class1", Features = r.Features }).ToArray();

    public static Row[] Blobs(int rowsPerClass, int seed, int classes = 3, float spread = 0.6f)
    {
        var rng = new Random(seed);
        var centres = new Random(1234);
        var c = Enumerable.Range(0, classes).Select(_ => Enumerable.Range(0, Dimension).Select(_ => (float)(centres.NextDouble() * 4 - 2)).ToArray()).ToArray();
        var rows = new List<Row>();
        for (int i = 0; i < rowsPerClass; i++)
            for (int k = 0; k < classes; k++)
                rows.Add(new Row { Label = "class" + k, Features = c[k].Select(v => v + spread * (float)Normal(rng)).ToArray() });
        return rows.ToArray();
    }

    /// <summary>Loads rows and keys the label (KeyValues = class names in order of appearance).</summary>
    public static IDataView Keyed(MLContext ml, IEnumerable<Row> rows, IDataView? keySource = null)
    {
        var data = ml.Data.LoadFromEnumerable(rows);
        var map = ml.Transforms.Conversion.MapValueToKey("Label").Fit(keySource ?? data);
        return map.Transform(data);
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
