using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Benchmarks.Embedding;

/// <summary>
/// Sentiment classification on frozen embeddings: per-feature standardisation (fitted on the training rows) followed
/// by ML.NET's L-BFGS logistic regression (default L2 regularisation), trained on one set of rows and scored on another.
/// </summary>
internal static class ReviewClassifier
{
    /// <summary>Trains on <paramref name="train"/> and returns the predicted label (true = positive) of every row of <paramref name="test"/>.</summary>
    public static bool[] TrainAndPredict(IReadOnlyList<(float[] Features, bool Label)> train, IReadOnlyList<(float[] Features, bool Label)> test)
    {
        if (train.Count == 0 || test.Count == 0) throw new ArgumentException("Both the training and the test set need rows.");
        var d = train[0].Features.Length;
        var ml = new MLContext(seed: 0);
        var schema = SchemaDefinition.Create(typeof(LabelledRow));
        schema[nameof(LabelledRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        IDataView Load(IReadOnlyList<(float[] Features, bool Label)> rows) =>
            ml.Data.LoadFromEnumerable(rows.Select(r => new LabelledRow { Features = r.Features, Label = r.Label }).ToList(), schema);

        var pipeline = ml.Transforms.NormalizeMeanVariance(nameof(LabelledRow.Features))
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(nameof(LabelledRow.Label), nameof(LabelledRow.Features)));
        var model = pipeline.Fit(Load(train));
        return ml.Data.CreateEnumerable<Prediction>(model.Transform(Load(test)), reuseRowObject: false)
            .Select(p => p.PredictedLabel).ToArray();
    }

    private sealed class LabelledRow
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public bool PredictedLabel { get; set; }
    }
}
