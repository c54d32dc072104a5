using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Trainers.Tests.IStar;

/// <summary><c>mlContext.BinaryClassification.Trainers.IStar</c>: Boolean labels, ML.NET's binary output columns, persistence.</summary>
public class IStarBinaryTests
{
    private static readonly string[] OutputColumns = ["Score", "Probability", "PredictedLabel"];

    private static IStarOptions Tiny(int? seed = 7) => new()
    {
        FeatureColumnName = "Features",
        HiddenSize = 8,
        Epochs = 4,
        BatchSize = 16,
        LearningRate = 1e-2,
        Seed = seed,
        ReferencePoints = 1000,
    };

    public sealed class BinaryPrediction
    {
        public bool PredictedLabel { get; set; }

        public float Score { get; set; }

        public float Probability { get; set; }
    }

    public sealed class SingleLabelRow
    {
        public float Label { get; set; }

        [VectorType(IStarTestData.Dimension)]
        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void Fit_SeparatesTwoBlobs_AndEvaluateReadsTheOutputs()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(IStarTestData.BinaryBlobs(40, 1));
        var test = ml.Data.LoadFromEnumerable(IStarTestData.BinaryBlobs(30, 2));
        var options = Tiny();
        options.ValidationSet = test;
        using var model = ml.BinaryClassification.Trainers.IStar(options).Fit(train);
        Assert.Equal(["False", "True"], model.ClassNames);
        Assert.Equal(4, model.TrainingHistory.Count);
        Assert.True(model.TrainingHistory[^1].ValidationAccuracy > 0.9, $"validation accuracy {model.TrainingHistory[^1].ValidationAccuracy}");

        var scored = model.Transform(test);
        var metrics = ml.BinaryClassification.Evaluate(scored);
        Assert.True(metrics.Accuracy > 0.9, $"accuracy {metrics.Accuracy}");
        Assert.True(metrics.AreaUnderRocCurve > 0.95, $"AUC {metrics.AreaUnderRocCurve}");
        Assert.InRange(metrics.LogLoss, 0, 0.5);
        var uncalibrated = ml.BinaryClassification.EvaluateNonCalibrated(scored);
        Assert.Equal(metrics.AreaUnderRocCurve, uncalibrated.AreaUnderRocCurve, 12);
        Assert.Equal(metrics.Accuracy, uncalibrated.Accuracy, 12);

        // The three columns hold s = logit₁ − logit₀, σ(s) and s > 0, and the evaluator's accuracy is that of s > 0.
        var labels = scored.GetColumn<bool>("Label").ToArray();
        var scores = scored.GetColumn<float>("Score").ToArray();
        var probabilities = scored.GetColumn<float>("Probability").ToArray();
        var predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
        for (int i = 0; i < scores.Length; i++)
        {
            Assert.Equal(1 / (1 + Math.Exp(-scores[i])), probabilities[i], tolerance: 1e-6);
            Assert.Equal(scores[i] > 0, predicted[i]);
        }
        Assert.Equal(labels.Zip(predicted).Count(p => p.First == p.Second) / (double)labels.Length, metrics.Accuracy, 12);
        Assert.True(scores.Where((_, i) => labels[i]).Average() > 1 && scores.Where((_, i) => !labels[i]).Average() < -1,
            "true rows should get positive margins and false rows negative ones");
    }

    [Fact]
    public void Evaluate_AucOnOverlappingBlobsMatchesAHandCountAndLogisticRegression()
    {
        var ml = new MLContext(1);
        var train = ml.Data.LoadFromEnumerable(IStarTestData.BinaryBlobs(60, 3, spread: 1.6f));
        var test = ml.Data.LoadFromEnumerable(IStarTestData.BinaryBlobs(60, 4, spread: 1.6f));
        using var model = ml.BinaryClassification.Trainers.IStar(Tiny()).Fit(train);
        var scored = model.Transform(test);
        var auc = ml.BinaryClassification.Evaluate(scored).AreaUnderRocCurve;

        var labels = scored.GetColumn<bool>("Label").ToArray();
        var scores = scored.GetColumn<float>("Score").ToArray();
        Assert.Equal(MannWhitneyAuc(labels, scores), auc, 9);

        var baseline = ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(train);
        var baselineAuc = ml.BinaryClassification.Evaluate(baseline.Transform(test)).AreaUnderRocCurve;
        Assert.InRange(auc, 0.7, 0.999);
        Assert.True(Math.Abs(auc - baselineAuc) < 0.05, $"I-STAR AUC {auc:F4}, L-BFGS logistic regression AUC {baselineAuc:F4}");
    }

    [Fact]
    public void OutputSchema_MatchesMlNetsBinaryTrainerTypesAndAnnotations()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(IStarTestData.BinaryBlobs(20, 5));
        using var model = ml.BinaryClassification.Trainers.IStar(Tiny()).Fit(data);
        var reference = ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(data);
        var ours = model.Transform(data).Schema;
        var theirs = reference.Transform(data).Schema;

        Assert.Equal(NumberDataViewType.Single, ours["Score"].Type);
        Assert.Equal(NumberDataViewType.Single, ours["Probability"].Type);
        Assert.Equal(BooleanDataViewType.Instance, ours["PredictedLabel"].Type);
        Assert.Equal("ScoreColumnSetId=1 ScoreColumnKind=BinaryClassification ScoreValueKind=Score", ScorerAnnotations.Describe(ours["Score"]));
        Assert.Equal("ScoreColumnSetId=1 ScoreColumnKind=BinaryClassification ScoreValueKind=Probability IsNormalized=True", ScorerAnnotations.Describe(ours["Probability"]));
        foreach (var name in OutputColumns)
        {
            Assert.Equal(theirs[name].Type, ours[name].Type);
            Assert.Equal(ScorerAnnotations.Of(theirs[name]), ScorerAnnotations.Of(ours[name]));
        }

        // Scoring data that already has a score column set numbers ours one higher, as ML.NET's scorers do.
        var rescored = model.Transform(reference.Transform(data)).Schema;
        Assert.Contains("ScoreColumnSetId=2 ", ScorerAnnotations.Describe(rescored["Score"]));

        // The estimator's shape declares the same columns as ML.NET's trainer.
        var shape = ScorerAnnotations.CreateShape(data.Schema);
        var ourShape = ml.BinaryClassification.Trainers.IStar(Tiny()).GetOutputSchema(shape);
        var theirShape = ml.BinaryClassification.Trainers.LbfgsLogisticRegression().GetOutputSchema(shape);
        ScorerAnnotations.AssertSameShapes(theirShape, ourShape, OutputColumns);
    }

    [Fact]
    public void PredictionEngine_ReturnsTheTransformValues()
    {
        var ml = new MLContext(1);
        var rows = IStarTestData.BinaryBlobs(20, 6);
        using var model = ml.BinaryClassification.Trainers.IStar(Tiny()).Fit(ml.Data.LoadFromEnumerable(rows));
        var expected = ml.Data.CreateEnumerable<BinaryPrediction>(model.Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false).ToArray();
        var engine = ml.Model.CreatePredictionEngine<IStarTestData.BinaryRow, BinaryPrediction>(model);
        int correct = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            var p = engine.Predict(rows[i]);
            // Transform scores blocks of rows in one batched product, the engine one row: equal up to float rounding.
            Assert.Equal(expected[i].Score, p.Score, 1e-6f);
            Assert.Equal(expected[i].Probability, p.Probability, 1e-6f);
            Assert.Equal(expected[i].PredictedLabel, p.PredictedLabel);
            if (p.PredictedLabel == rows[i].Label) correct++;
        }
        Assert.True(correct > 0.9 * rows.Length, $"{correct}/{rows.Length} correct");
    }

    [Fact]
    public void Fit_IsDeterministicForAFixedSeed()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(IStarTestData.BinaryBlobs(20, 7));
        float[] Scores(int seed)
        {
            using var model = ml.BinaryClassification.Trainers.IStar(Tiny(seed)).Fit(data);
            return model.Transform(data).GetColumn<float>("Score").ToArray();
        }
        var a = Scores(5);
        Assert.Equal(a, Scores(5));
        Assert.NotEqual(a, Scores(6));
    }

    [Fact]
    public void BadLabels_FailWithMessagesNamingTheColumnAndTheExpectedType()
    {
        var ml = new MLContext(1);
        var rows = IStarTestData.BinaryBlobs(5, 8);
        var trainer = ml.BinaryClassification.Trainers.IStar(Tiny());

        var text = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(IStarTestData.Blobs(5, 8, classes: 2))));
        Assert.Contains("'Label'", text.Message);
        Assert.Contains("must be Boolean", text.Message);
        Assert.Contains("String", text.Message);
        var key = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(IStarTestData.Keyed(ml, IStarTestData.Blobs(5, 8, classes: 2))));
        Assert.Contains("must be Boolean", key.Message);
        var single = Assert.ThrowsAny<ArgumentException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(
            rows.Select(r => new SingleLabelRow { Label = r.Label ? 1 : 0, Features = r.Features }))));
        Assert.Contains("Single", single.Message);
        Assert.Contains("ConvertType", single.Message);
        var shape = Assert.ThrowsAny<ArgumentException>(() => trainer.GetOutputSchema(ScorerAnnotations.CreateShape(ml.Data.LoadFromEnumerable(IStarTestData.Blobs(2, 8)).Schema)));
        Assert.Contains("'Label'", shape.Message);
        Assert.Contains("Boolean", shape.Message);
        var missing = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.IStar("Target").Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("'Target'", missing.Message);

        var allTrue = Assert.Throws<InvalidOperationException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(rows.Where(r => r.Label))));
        Assert.Contains("'Label'", allTrue.Message);
        Assert.Contains("only true values", allTrue.Message);
        var allFalse = Assert.Throws<InvalidOperationException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(rows.Where(r => !r.Label))));
        Assert.Contains("only false values", allFalse.Message);
        var empty = Assert.Throws<InvalidOperationException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(Array.Empty<IStarTestData.BinaryRow>())));
        Assert.Contains("no rows", empty.Message);

        var withNaN = rows.Select(r => new IStarTestData.BinaryRow { Label = r.Label, Features = (float[])r.Features.Clone() }).ToArray();
        withNaN[3].Features[1] = float.NaN;
        var nan = Assert.Throws<InvalidOperationException>(() => trainer.Fit(ml.Data.LoadFromEnumerable(withNaN)));
        Assert.Contains("Row 3", nan.Message);
        Assert.Contains("'Features'", nan.Message);

        var badValidation = Tiny();
        badValidation.ValidationSet = ml.Data.LoadFromEnumerable(IStarTestData.Blobs(2, 8, classes: 2));
        var validation = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.IStar(badValidation).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("validation set", validation.Message);

        var clash = Tiny();
        clash.ProbabilityColumnName = "Score";
        Assert.Contains("ProbabilityColumnName", Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.IStar(clash)).Message);
        using var multiclassIgnoresIt = ml.MulticlassClassification.Trainers.IStar(clash).Fit(IStarTestData.Keyed(ml, IStarTestData.Blobs(5, 8)));
    }

    [Fact]
    public void SavePackaged_RoundTripsTheBinaryModel_AndModelSaveNamesIt()
    {
        var (ml, data, model) = TrainChain(9);
        var path = Path.Combine(TestPaths.NewTempDir(), "binary.zip");
        ml.Model.SavePackaged(model, data.Schema, path);

        var fresh = new MLContext(2);
        var loaded = fresh.Model.LoadPackaged(path, out var schema);
        Assert.Equal(data.Schema.Count, schema.Count);
        var loadedIStar = Assert.Single(((IEnumerable<ITransformer>)loaded).OfType<IStarTransformer>());
        Assert.Equal(["False", "True"], loadedIStar.ClassNames);
        var expected = model.Transform(data);
        var actual = loaded.Transform(data);
        Assert.Equal(expected.GetColumn<float>("Score"), actual.GetColumn<float>("Score"));
        Assert.Equal(expected.GetColumn<float>("Probability"), actual.GetColumn<float>("Probability"));
        Assert.Equal(expected.GetColumn<bool>("PredictedLabel"), actual.GetColumn<bool>("PredictedLabel"));
        Assert.Equal(ml.BinaryClassification.Evaluate(expected).AreaUnderRocCurve, fresh.BinaryClassification.Evaluate(actual).AreaUnderRocCurve);
        Assert.Equal(ScorerAnnotations.Describe(expected.Schema["Probability"]), ScorerAnnotations.Describe(actual.Schema["Probability"]));

        var error = Assert.Throws<NotSupportedException>(() => ml.Model.Save(model, data.Schema, Path.Combine(TestPaths.NewTempDir(), "plain.zip")));
        Assert.Contains("SavePackaged", error.Message);

        // The step records its task; a reader meeting an unknown task fails naming it instead of guessing the columns.
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.Entries.Single(e => e.FullName.EndsWith("istar.json", StringComparison.Ordinal));
            string json;
            using (var reader = new StreamReader(entry.Open())) json = reader.ReadToEnd();
            Assert.Contains("\"Task\": \"binary\"", json);
            Assert.Contains("\"Version\": 2", json);
            var name = entry.FullName;
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry(name).Open());
            writer.Write(json.Replace("\"Task\": \"binary\"", "\"Task\": \"ranking\""));
        }
        Assert.Contains("ranking", Assert.Throws<InvalidDataException>(() => fresh.Model.LoadPackaged(path, out _)).Message);

        foreach (var step in ((IEnumerable<ITransformer>)loaded).OfType<IDisposable>()) step.Dispose();
        foreach (var step in ((IEnumerable<ITransformer>)model).OfType<IDisposable>()) step.Dispose();
    }

    [Fact]
    public void FreshProcessLoad_GivesIdenticalScores()
    {
        var (ml, data, model) = TrainChain(10);
        var dir = TestPaths.NewTempDir();
        var modelPath = Path.Combine(dir, "binary.zip");
        var inputPath = Path.Combine(dir, "input.idv");
        var outputPath = Path.Combine(dir, "output.idv");
        ml.Model.SavePackaged(model, data.Schema, modelPath);
        using (var s = File.Create(inputPath)) ml.Data.SaveAsBinary(data, s);

        var (exit, stdout, stderr) = LoadCheckProcess.Run(TimeSpan.FromMinutes(3),
            "--model", modelPath, "--input", inputPath, "--output", outputPath, "--loader", "packaged");
        Assert.True(exit == 0, $"LoadCheck exited with {exit}: {stderr}");
        Assert.Contains("column\tScore\tSingle", stdout);
        Assert.Contains("column\tProbability\tSingle", stdout);
        Assert.Contains("column\tPredictedLabel\tBoolean", stdout);

        var expected = ml.Data.CreateEnumerable<BinaryPrediction>(model.Transform(data), reuseRowObject: false).ToList();
        var actual = ml.Data.CreateEnumerable<BinaryPrediction>(ml.Data.LoadFromBinary(outputPath), reuseRowObject: false).ToList();
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Score, actual[i].Score);
            Assert.Equal(expected[i].Probability, actual[i].Probability);
            Assert.Equal(expected[i].PredictedLabel, actual[i].PredictedLabel);
        }
        foreach (var step in ((IEnumerable<ITransformer>)model).OfType<IDisposable>()) step.Dispose();
    }

    [Fact]
    public void FineTune_BinaryTrainsEvaluatesAndRoundTrips()
    {
        var encoderFolder = FineTuneTests.TinyEncoderFolder();
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(FineTuneTests.Reviews(48, 1).Select(r => new { Label = r.Label == "pos", r.Text }));
        using var model = ml.BinaryClassification.Trainers.IStar(new IStarOptions
        {
            TextColumnName = "Text", EncoderPath = encoderFolder, Lambda = -1, Epochs = 3, BatchSize = 8, LearningRate = 3e-3,
            MaxTokens = 12, Seed = 4, ReferencePoints = 2000,
        }).Fit(data);
        Assert.All(model.TrainingHistory, m => Assert.InRange(m.IsoScoreStar, 0, 1));
        var scored = model.Transform(data);
        var metrics = ml.BinaryClassification.Evaluate(scored);
        Assert.True(metrics.Accuracy > 0.7, $"accuracy {metrics.Accuracy}");
        Assert.True(metrics.AreaUnderRocCurve > 0.8, $"AUC {metrics.AreaUnderRocCurve}");

        var path = Path.Combine(TestPaths.NewTempDir(), "finetune-binary.zip");
        ml.Model.SavePackaged(model, data.Schema, path);
        var loaded = new MLContext(3).Model.LoadPackaged(path, out _);
        Assert.Equal(scored.GetColumn<float>("Score"), loaded.Transform(data).GetColumn<float>("Score"));
        foreach (var step in ((IEnumerable<ITransformer>)loaded).OfType<IDisposable>()) step.Dispose();
    }

    /// <summary>NormalizeMinMax → binary I-STAR, trained on blobs.</summary>
    private static (MLContext Ml, IDataView Data, TransformerChain<IStarTransformer> Model) TrainChain(int seed)
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(IStarTestData.BinaryBlobs(20, seed));
        var pipeline = ml.Transforms.NormalizeMinMax("Features")
            .Append(ml.BinaryClassification.Trainers.IStar("Label", "Features", hiddenSize: 8, epochs: 2, batchSize: 16, learningRate: 1e-2, seed: 3));
        return (ml, data, pipeline.Fit(data));
    }

    /// <summary>P(score of a random true row &gt; score of a random false row), ties counted half.</summary>
    private static double MannWhitneyAuc(bool[] labels, float[] scores)
    {
        var positives = scores.Where((_, i) => labels[i]).ToArray();
        var negatives = scores.Where((_, i) => !labels[i]).ToArray();
        double wins = 0;
        foreach (var p in positives)
            foreach (var n in negatives)
                wins += p > n ? 1 : p == n ? 0.5 : 0;
        return wins / (positives.Length * (double)negatives.Length);
    }
}
