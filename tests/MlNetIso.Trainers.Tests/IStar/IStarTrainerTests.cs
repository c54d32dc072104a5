using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Trainers.Tests.IStar;

public class IStarTrainerTests
{
    private static IStarOptions Tiny(double lambda = -1, int? seed = 7) => new()
    {
        FeatureColumnName = "Features",
        Lambda = lambda,
        HiddenSize = 8,
        Epochs = 4,
        BatchSize = 16,
        LearningRate = 1e-2,
        Seed = seed,
        ReferencePoints = 1000,
    };

    [Fact]
    public void Fit_ProducesScoreAndPredictedLabel_ThatEvaluateMapKeyToValueAndPredictionEngineUse()
    {
        var ml = new MLContext(1);
        var train = IStarTestData.Keyed(ml, IStarTestData.Blobs(40, 1));
        using var model = ml.MulticlassClassification.Trainers.IStar(Tiny()).Fit(train);
        var scored = model.Transform(train);

        var score = scored.Schema["Score"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), score.Type);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        score.GetSlotNames(ref slotNames);
        Assert.Equal(["class0", "class1", "class2"], slotNames.DenseValues().Select(v => v.ToString()));
        Assert.Equal(new KeyDataViewType(typeof(uint), 3), scored.Schema["PredictedLabel"].Type);

        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MicroAccuracy > 0.9, $"accuracy {metrics.MicroAccuracy}");

        var withNames = ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel").Fit(scored).Transform(scored);
        var names = withNames.GetColumn<ReadOnlyMemory<char>>("PredictedName").Select(v => v.ToString()).ToArray();
        var truth = ml.Data.CreateEnumerable<IStarTestData.Row>(ml.Data.LoadFromEnumerable(IStarTestData.Blobs(40, 1)), false).Select(r => r.Label).ToArray();
        Assert.True(names.Zip(truth).Count(p => p.First == p.Second) > 0.9 * truth.Length);

        var engine = ml.Model.CreatePredictionEngine<IStarTestData.Row, Prediction>(model, ignoreMissingColumns: true);
        var row = IStarTestData.Blobs(1, 99)[1];
        var prediction = engine.Predict(row);
        Assert.Equal(3, prediction.Score.Length);
        Assert.Equal(1.0, prediction.Score.Sum(), 4);
        Assert.Equal(prediction.Score.ToList().IndexOf(prediction.Score.Max()) + 1, (int)prediction.PredictedLabel);
    }

    [Fact]
    public void OutputSchema_CarriesTheAnnotationsOfMlNetsMulticlassScorer()
    {
        var ml = new MLContext(1);
        var train = IStarTestData.Keyed(ml, IStarTestData.Blobs(20, 2));
        using var model = ml.MulticlassClassification.Trainers.IStar(Tiny()).Fit(train);
        var reference = ml.Transforms.Concatenate("Features", "Features")
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 5)).Fit(train);
        var ours = model.Transform(train).Schema;
        var theirs = reference.Transform(train).Schema;
        foreach (var name in new[] { "Score", "PredictedLabel" })
        {
            Assert.Equal(theirs[name].Type, ours[name].Type);
            Assert.Equal(ScorerAnnotations.Of(theirs[name]), ScorerAnnotations.Of(ours[name]));
        }
        Assert.Contains("ScoreColumnSetId=1 ScoreColumnKind=MulticlassClassification ScoreValueKind=Score", ScorerAnnotations.Describe(ours["Score"]));
        Assert.Contains("ScoreColumnSetId=2 ", ScorerAnnotations.Describe(model.Transform(reference.Transform(train)).Schema["Score"]));

        var shape = ScorerAnnotations.CreateShape(train.Schema);
        var ourShape = ml.MulticlassClassification.Trainers.IStar(Tiny()).GetOutputSchema(shape);
        var theirShape = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy().GetOutputSchema(shape);
        ScorerAnnotations.AssertSameShapes(theirShape, ourShape, ["Score", "PredictedLabel"]);
    }

    [Fact]
    public void Fit_LogsPerEpochMetrics_AndRecordsHistory()
    {
        var ml = new MLContext(1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var train = IStarTestData.Keyed(ml, IStarTestData.Blobs(20, 2));
        var options = Tiny();
        options.ValidationSet = train;
        using var model = ml.MulticlassClassification.Trainers.IStar(options).Fit(train);
        Assert.Equal(4, model.TrainingHistory.Count);
        Assert.All(model.TrainingHistory, m => Assert.InRange(m.IsoScoreStar, 0, 1));
        Assert.All(model.TrainingHistory, m => Assert.InRange(m.ValidationAccuracy, 0, 1));
        lock (messages) Assert.Equal(4, messages.Count(m => m.Contains("I-STAR epoch") && m.Contains("IsoScore*")));
    }

    [Fact]
    public void Fit_IsDeterministicForAFixedSeed()
    {
        var ml = new MLContext(1);
        var train = IStarTestData.Keyed(ml, IStarTestData.Blobs(20, 3));
        float[] Weights(int seed)
        {
            using var model = ml.MulticlassClassification.Trainers.IStar(Tiny(seed: seed)).Fit(train);
            return model.Network.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
        }
        var a = Weights(5);
        Assert.Equal(a, Weights(5));
        Assert.NotEqual(a, Weights(6));
    }

    [Fact]
    public void Lambda_MovesIsotropyOfTheHiddenRepresentationInItsDirection()
    {
        var ml = new MLContext(1);
        var train = IStarTestData.Keyed(ml, IStarTestData.Blobs(40, 4));
        double IsoScore(double lambda)
        {
            var o = Tiny(lambda);
            o.Epochs = 6;
            o.HiddenSize = 16;
            using var model = ml.MulticlassClassification.Trainers.IStar(o).Fit(train);
            return model.MeasureRepresentationIsotropy(train).IsoScore;
        }
        double down = IsoScore(-1), up = IsoScore(+1);
        Assert.True(up > down + 0.02, $"IsoScore λ=+1 {up:F4}, λ=−1 {down:F4}");
    }

    [Fact]
    public void EarlyStopping_StopsWhenValidationAccuracyStallsAndKeepsTheBestEpoch()
    {
        var ml = new MLContext(1);
        var train = IStarTestData.Keyed(ml, IStarTestData.Blobs(20, 5, spread: 0.1f));
        var o = Tiny();
        o.Epochs = 30;
        o.ValidationSet = train;
        o.EarlyStoppingPatience = 2;
        using var model = ml.MulticlassClassification.Trainers.IStar(o).Fit(train);
        Assert.True(model.TrainingHistory.Count < 30, $"ran {model.TrainingHistory.Count} epochs");
        double best = model.TrainingHistory.Max(m => m.ValidationAccuracy);
        Assert.Equal(best, ml.MulticlassClassification.Evaluate(model.Transform(train)).MicroAccuracy, 6);
    }

    [Fact]
    public void Cancellation_StopsTraining()
    {
        var ml = new MLContext(1);
        var train = IStarTestData.Keyed(ml, IStarTestData.Blobs(10, 6));
        var o = Tiny();
        o.CancellationToken = new CancellationToken(canceled: true);
        Assert.ThrowsAny<OperationCanceledException>(() => ml.MulticlassClassification.Trainers.IStar(o).Fit(train));
    }

    [Fact]
    public void BadInput_FailsWithMessagesNamingTheProblem()
    {
        var ml = new MLContext(1);
        var rows = IStarTestData.Blobs(5, 7);
        var keyed = IStarTestData.Keyed(ml, rows);
        var trainer = ml.MulticlassClassification.Trainers.IStar(Tiny());

        var missing = Assert.ThrowsAny<ArgumentException>(() => ml.MulticlassClassification.Trainers.IStar("Nope", "Features").Fit(keyed));
        Assert.Contains("'Nope'", missing.Message);

        var notKey = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("MapValueToKey", notKey.Message);

        var oneClass = Assert.Throws<InvalidOperationException>(() => trainer.Fit(IStarTestData.Keyed(ml, rows.Where(r => r.Label == "class0"), ml.Data.LoadFromEnumerable(rows))));
        Assert.Contains("single class", oneClass.Message);

        var withNaN = rows.Select(r => new IStarTestData.Row { Label = r.Label, Features = (float[])r.Features.Clone() }).ToArray();
        withNaN[3].Features[2] = float.NaN;
        var nan = Assert.Throws<InvalidOperationException>(() => trainer.Fit(IStarTestData.Keyed(ml, withNaN)));
        Assert.Contains("Row 3", nan.Message);
        Assert.Contains("'Features'", nan.Message);

        var emptyLabel = rows.Select(r => new IStarTestData.Row { Label = r.Label, Features = r.Features }).ToArray();
        emptyLabel[4].Label = "";
        var keyedEmpty = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(emptyLabel));
        var empty = Assert.Throws<InvalidOperationException>(() => trainer.Fit(keyedEmpty));
        Assert.Contains("Row 4", empty.Message);

        Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.IStar(new IStarOptions { FeatureColumnName = "Features", Zeta = 1.5 }));
        Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.IStar(new IStarOptions()));
        var cuda = new IStarOptions { FeatureColumnName = "Features", Device = "cuda", Epochs = 1 };
        var noCuda = Assert.Throws<InvalidOperationException>(() => ml.MulticlassClassification.Trainers.IStar(cuda).Fit(keyed));
        Assert.Contains("cuda", noCuda.Message);
    }

    [Fact]
    public void ModelSave_ThrowsNamingTheLibraryCall()
    {
        var ml = new MLContext(1);
        var train = IStarTestData.Keyed(ml, IStarTestData.Blobs(10, 8));
        var o = Tiny();
        o.Epochs = 1;
        using var model = ml.MulticlassClassification.Trainers.IStar(o).Fit(train);
        var error = Assert.Throws<NotSupportedException>(() => ml.Model.Save(model, train.Schema, Path.Combine(TestPaths.NewTempDir(), "m.zip")));
        Assert.Contains("SavePackaged", error.Message);
    }

    [Fact]
    public void EstimatorOutputSchema_AddsScoreAndPredictedLabel()
    {
        var ml = new MLContext(1);
        var train = IStarTestData.Keyed(ml, IStarTestData.Blobs(2, 9));
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.MulticlassClassification.Trainers.IStar(Tiny()));
        // SchemaShape.Create(DataViewSchema) is internal in ML.NET; tests reach it the way ML.NET's own tests do.
        var create = typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public, [typeof(DataViewSchema)])!;
        var input = (SchemaShape)create.Invoke(null, [ml.Data.LoadFromEnumerable(IStarTestData.Blobs(2, 9)).Schema])!;
        var shape = pipeline.GetOutputSchema(input);
        Assert.Contains(shape, c => c.Name == "Score" && c.ItemType == NumberDataViewType.Single);
        Assert.Contains(shape, c => c.Name == "PredictedLabel" && c.IsKey);
        _ = train;
    }

    public sealed class Prediction
    {
        public float[] Score { get; set; } = [];

        [KeyType(3)]
        public uint PredictedLabel { get; set; }
    }
}
