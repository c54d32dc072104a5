using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// A linear classifier on frozen embeddings with ML.NET's own trainers: per-feature standardisation fitted on the
/// training rows (<c>NormalizeMeanVariance</c>), then <c>LbfgsLogisticRegression</c> for two classes or
/// <c>LbfgsMaximumEntropy</c> (multinomial logistic regression) for more, with ML.NET's default L2 regularisation,
/// <c>MLContext(seed: 0)</c>. Deterministic.
/// </summary>
internal static class LinearProbe
{
    /// <summary>Trains on the given rows and returns the predicted class (0 … classCount − 1) of every test row.</summary>
    public static int[] TrainAndPredict(IReadOnlyList<float[]> trainFeatures, IReadOnlyList<int> trainLabels,
        IReadOnlyList<float[]> testFeatures, int classCount)
    {
        if (trainFeatures.Count == 0 || testFeatures.Count == 0) throw new ArgumentException("Both the training and the test set need rows.");
        if (trainFeatures.Count != trainLabels.Count) throw new ArgumentException("One label per training row is needed.");
        if (classCount < 2) throw new ArgumentOutOfRangeException(nameof(classCount), classCount, "At least two classes are needed.");
        var d = trainFeatures[0].Length;
        var ml = new MLContext(seed: 0);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        IDataView Load(IReadOnlyList<float[]> features, IReadOnlyList<int>? labels) =>
            ml.Data.LoadFromEnumerable(features.Select((f, i) => new Row { Features = f, Label = labels?[i] ?? 0 }).ToList(), schema);

        var train = Load(trainFeatures, trainLabels);
        var test = Load(testFeatures, null);
        if (classCount == 2)
        {
            var pipeline = ml.Transforms.CustomMapping<Row, BinaryLabel>((r, b) => b.Positive = r.Label == 1, contractName: null)
                .Append(ml.Transforms.NormalizeMeanVariance(nameof(Row.Features)))
                .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(nameof(BinaryLabel.Positive), nameof(Row.Features)));
            var model = pipeline.Fit(train);
            return ml.Data.CreateEnumerable<BinaryPrediction>(model.Transform(test), reuseRowObject: false)
                .Select(p => p.PredictedLabel ? 1 : 0).ToArray();
        }
        else
        {
            var pipeline = ml.Transforms.Conversion.MapValueToKey("LabelKey", nameof(Row.Label),
                    keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(ml.Transforms.NormalizeMeanVariance(nameof(Row.Features)))
                .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("LabelKey", nameof(Row.Features)))
                .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedClass", "PredictedLabel"));
            var model = pipeline.Fit(train);
            return ml.Data.CreateEnumerable<MulticlassPrediction>(model.Transform(test), reuseRowObject: false)
                .Select(p => p.PredictedClass).ToArray();
        }
    }

    private sealed class Row
    {
        public int Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    private sealed class BinaryLabel
    {
        public bool Positive { get; set; }
    }

    private sealed class BinaryPrediction
    {
        public bool PredictedLabel { get; set; }
    }

    private sealed class MulticlassPrediction
    {
        public int PredictedClass { get; set; }
    }
}
