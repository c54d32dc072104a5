using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Trainers.Tests.IStar;

/// <summary>
/// The I-STAR model as an ML.NET prediction transformer: <c>LastTransformer.Model</c> describes it, and ML.NET's
/// permutation feature importance (multiclass and binary) runs on a head-only model and finds the one informative slot.
/// </summary>
public class IStarPredictionTransformerTests
{
    private const int Dimension = 4;

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

    /// <summary>Slot 0 carries the class (centres −3, 0, 3 with noise 0.3); slots 1–3 are pure N(0, 1) noise.</summary>
    private static Row[] OneInformativeSlot(int rowsPerClass, int classes, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<Row>();
        for (var i = 0; i < rowsPerClass; i++)
            for (var k = 0; k < classes; k++)
            {
                var centre = classes == 2 ? (k == 0 ? -2f : 2f) : 3f * (k - 1);
                var features = new float[Dimension];
                features[0] = centre + 0.3f * Normal(rng);
                for (var j = 1; j < Dimension; j++) features[j] = Normal(rng);
                rows.Add(new Row { Label = "class" + k, Features = features });
            }
        return [.. rows];
    }

    private static float Normal(Random rng) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));

    private static IStarOptions Options() => new()
    {
        FeatureColumnName = "Features",
        HiddenSize = 8,
        Epochs = 8,
        BatchSize = 16,
        LearningRate = 2e-2,
        Seed = 3,
        ReferencePoints = 500,
    };

    [Fact]
    public void MulticlassModel_IsASingleFeaturePredictionTransformer_AndPfiFindsTheInformativeSlot()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(OneInformativeSlot(60, 3, seed: 1));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.IStar(Options()));
        var model = pipeline.Fit(data);
        using var istar = model.LastTransformer;

        ISingleFeaturePredictionTransformer<IStarModelParameters> prediction = istar;
        Assert.Equal("Features", prediction.FeatureColumnName);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, Dimension), prediction.FeatureColumnType);
        var parameters = model.LastTransformer.Model;
        Assert.False(parameters.IsBinary);
        Assert.False(parameters.IsFineTuned);
        Assert.Equal(Dimension, parameters.InputSize);
        Assert.Equal(8, parameters.RepresentationSize);
        Assert.Equal(["class0", "class1", "class2"], parameters.ClassNames);
        Assert.Equal(3, parameters.ClassCount);

        var features = model.Transform(data); // Label keyed; PFI scores with the I-STAR step alone
        var importance = ml.MulticlassClassification.PermutationFeatureImportance(istar, features, permutationCount: 3);
        Assert.Equal(Dimension, importance.Length);
        var drops = importance.Select(s => s.MacroAccuracy.Mean).ToArray();
        Assert.True(drops[0] < -0.3, $"permuting the informative slot 0 changed macro accuracy by {drops[0]:0.000}");
        for (var j = 1; j < Dimension; j++)
            Assert.True(Math.Abs(drops[j]) < 0.1, $"permuting noise slot {j} changed macro accuracy by {drops[j]:0.000}");
    }

    [Fact]
    public void BinaryModel_RunsBinaryPfi()
    {
        var ml = new MLContext(1);
        var rows = OneInformativeSlot(80, 2, seed: 2).Select(r => new BinaryRow { Label = r.Label == "class1", Features = r.Features });
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.BinaryClassification.Trainers.IStar(Options()).Fit(data);
        Assert.True(model.Model.IsBinary);
        Assert.Equal(["False", "True"], model.Model.ClassNames);

        var importance = ml.BinaryClassification.PermutationFeatureImportance(model, data, permutationCount: 3);
        var drops = importance.Select(s => s.AreaUnderRocCurve.Mean).ToArray();
        Assert.True(drops[0] < -0.3, $"permuting the informative slot 0 changed AUC by {drops[0]:0.000}");
        for (var j = 1; j < Dimension; j++)
            Assert.True(Math.Abs(drops[j]) < 0.05, $"permuting noise slot {j} changed AUC by {drops[j]:0.000}");
    }
}
