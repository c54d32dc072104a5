using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Tools.TrainDemoEncoder;

/// <summary>
/// Linear probe of sentence embeddings: ML.NET L-BFGS logistic regression on mean/variance-normalised features,
/// trained on one labelled set and scored (accuracy) on another. Deterministic for a given seed.
/// </summary>
internal static class SentimentProbe
{
    private sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }

    public static double Accuracy(IReadOnlyList<float[]> trainX, IReadOnlyList<bool> trainY,
                                  IReadOnlyList<float[]> testX, IReadOnlyList<bool> testY, int seed = 1)
    {
        if (trainX.Count != trainY.Count || testX.Count != testY.Count)
            throw new ArgumentException("Feature and label counts differ.");
        if (trainX.Count == 0 || testX.Count == 0) throw new ArgumentException("The probe needs training and test rows.");
        int dim = trainX[0].Length;
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        var train = ml.Data.LoadFromEnumerable(trainX.Select((x, i) => new Row { Label = trainY[i], Features = x }), schema);
        var test = ml.Data.LoadFromEnumerable(testX.Select((x, i) => new Row { Label = testY[i], Features = x }), schema);
        var pipeline = ml.Transforms.NormalizeMeanVariance(nameof(Row.Features))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(
                new Microsoft.ML.Trainers.LbfgsLogisticRegressionBinaryTrainer.Options { L2Regularization = 1f, NumberOfThreads = 1 }));
        var model = pipeline.Fit(train);
        return ml.BinaryClassification.Evaluate(model.Transform(test)).Accuracy;
    }
}
