using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Benchmarks.IStar.Study;

/// <summary>
/// The study's runs: fine-tuning the encoder end to end with one λ and seed, and the head-only baseline on the frozen
/// encoder's mean-pooled embeddings. Each finished run is appended to the results file at once.
/// </summary>
internal static class IStarStudyRun
{
    /// <summary>Fine-tunes <see cref="IStarStudySettings.Encoder"/> on one dataset with one λ and seed; appends the record.</summary>
    public static IStarStudyRecord FineTune(IStarStudySettings s, string dataset, double lambda, int seed, string output)
    {
        var (trainRows, testRows) = IStarStudyData.Load(s.DataDir, dataset, s.TrainRows, s.TestRows);
        var ml = new MLContext(0);
        var key = ml.Transforms.Conversion.MapValueToKey("Label").Fit(Load(ml, trainRows));
        var train = ml.Data.Cache(key.Transform(Load(ml, trainRows)));
        var test = ml.Data.Cache(key.Transform(Load(ml, testRows)));
        var options = new IStarOptions
        {
            TextColumnName = "Text", EncoderPath = s.Encoder, Lambda = lambda, Zeta = s.Zeta, Seed = seed, Epochs = s.Epochs,
            LearningRate = s.LearningRate, BatchSize = s.BatchSize, MaxTokens = s.MaxTokens, ReferencePoints = s.ReferencePoints,
            Layers = IStarLayers.All, ExcludePadding = true, NumberOfThreads = s.Threads,
        };
        var (model, fitSeconds, cpuSeconds) = Timed(() => ml.MulticlassClassification.Trainers.IStar(options).Fit(train));
        using (model)
        {
            var record = Measure(s, model, "fine-tune", dataset, lambda, seed, test, testRows, s.Epochs, s.LearningRate, fitSeconds, cpuSeconds,
                trainRows.Length);
            JsonLinesFile.Append(output, record);
            return record;
        }
    }

    /// <summary>
    /// Head-only baseline: embeds the dataset once with the frozen encoder (mean-pooled last layer, as the fine-tuned
    /// head reads it), then trains the tanh head for every λ and seed not yet in <paramref name="done"/>, appending each.
    /// </summary>
    public static void HeadOnly(IStarStudySettings s, string dataset, ISet<string> done, string output)
    {
        var todo = (from seed in Enumerable.Range(1, s.Seeds) from lambda in s.Lambdas
                    where !done.Contains(s.Key("head-only", dataset, lambda, seed)) select (lambda, seed)).ToArray();
        if (todo.Length == 0) return;
        var (trainRows, testRows) = IStarStudyData.Load(s.DataDir, dataset, s.TrainRows, s.TestRows);
        var sw = Stopwatch.StartNew();
        var (trainX, testX) = EvidenceFeatures.Encoder(s.Encoder, trainRows, testRows, s.MaxTokens);
        Console.WriteLine($"[istar-study] head-only {dataset}: embedded {trainRows.Length} + {testRows.Length} rows with the frozen encoder in {sw.Elapsed.TotalSeconds:F0} s");
        var pretrainedKey = s.Key("pretrained", dataset, 0, 0);
        if (!done.Contains(pretrainedKey))
        {
            // The frozen encoder's own test sentence embeddings: the geometry fine-tuning starts from.
            JsonLinesFile.Append(output, new IStarStudyRecord
            {
                Key = pretrainedKey, Mode = "pretrained", Dataset = dataset, TrainRows = trainRows.Length, TestRows = testRows.Length,
                Accuracy = double.NaN, TrainIsoScoreStar = double.NaN, TestIsoScore = double.NaN, TestIsoScoreStar = double.NaN,
                PointsTwoNN = double.NaN, SentenceIsoScore = MlNetIso.Geometry.IsotropyScores.IsoScore(testX),
                SentenceTwoNN = MlNetIso.Geometry.TwoNN.Estimate(testX), LoadAverage = LoadAverage(), FinishedUtc = DateTime.UtcNow,
            });
        }
        var ml = new MLContext(0);
        int dim = trainX[0].Length;
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        IDataView View(LabelledText[] rows, float[][] x) =>
            ml.Data.LoadFromEnumerable(rows.Select((r, i) => new FeatureRow { Label = r.Label, Features = x[i] }), schema);
        var key = ml.Transforms.Conversion.MapValueToKey("Label").Fit(View(trainRows, trainX));
        var train = ml.Data.Cache(key.Transform(View(trainRows, trainX)));
        var test = ml.Data.Cache(key.Transform(View(testRows, testX)));
        foreach (var (lambda, seed) in todo)
        {
            var options = new IStarOptions
            {
                FeatureColumnName = "Features", Lambda = lambda, Zeta = s.Zeta, Seed = seed, Epochs = s.HeadEpochs,
                LearningRate = s.HeadLearningRate, BatchSize = s.BatchSize, HiddenSize = s.HeadHidden, NumberOfThreads = s.Threads,
            };
            var (model, fitSeconds, cpuSeconds) = Timed(() => ml.MulticlassClassification.Trainers.IStar(options).Fit(train));
            using (model)
            {
                var record = Measure(s, model, "head-only", dataset, lambda, seed, test, testRows, s.HeadEpochs, s.HeadLearningRate,
                    fitSeconds, cpuSeconds, trainRows.Length);
                JsonLinesFile.Append(output, record);
                Console.WriteLine($"[istar-study] {record.Key}: accuracy {record.Accuracy:F4}, hidden IsoScore {record.TestIsoScore:F4}, TwoNN {record.PointsTwoNN:F2}");
            }
        }
    }

    private static IStarStudyRecord Measure(IStarStudySettings s, IStarTransformer model, string mode, string dataset, double lambda, int seed,
        IDataView test, LabelledText[] testRows, int epochs, double learningRate, double fitSeconds, double cpuSeconds, int trainCount)
    {
        var sw = Stopwatch.StartNew();
        var classes = model.ClassNames.ToList();
        var labels = testRows.Select(r => classes.IndexOf(r.Label)).ToArray();
        if (labels.Contains(-1))
            throw new InvalidOperationException($"{dataset}: a test label does not occur in the training sample.");
        var iso = model.MeasureRepresentationIsotropy(test, s.IsotropyPoints);
        var pass = IStarStudyMeasurement.Take(model, test, labels, s.TwoNNSample, sampleSeed: 7);
        return new IStarStudyRecord
        {
            Key = s.Key(mode, dataset, lambda, seed), Mode = mode, Dataset = dataset, Lambda = lambda, Zeta = s.Zeta, Seed = seed,
            TrainRows = trainCount, TestRows = testRows.Length, Epochs = epochs, LearningRate = learningRate,
            Accuracy = pass.Accuracy,
            TrainIsoScoreStar = model.TrainingHistory[^1].IsoScoreStar,
            TestIsoScore = iso.IsoScore, TestIsoScoreStar = iso.IsoScoreStar, IsotropyPoints = iso.Points,
            PointsTwoNN = pass.PointsTwoNN(), PointsTwoNNSample = pass.PointSample.Count,
            SentenceIsoScore = pass.SentenceIsoScore(), SentenceTwoNN = pass.SentenceTwoNN(),
            FitSeconds = fitSeconds, FitCpuSeconds = cpuSeconds, MeasureSeconds = sw.Elapsed.TotalSeconds,
            LoadAverage = LoadAverage(), FinishedUtc = DateTime.UtcNow,
        };
    }

    private static (T Result, double Wall, double Cpu) Timed<T>(Func<T> action)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = action();
        process.Refresh();
        return (result, sw.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static IDataView Load(MLContext ml, LabelledText[] rows) =>
        ml.Data.LoadFromEnumerable(rows.Select(r => new LabelledTextRow { Label = r.Label, Text = r.Text }));

    /// <summary>The 1-minute load average from /proc/loadavg (NaN where there is none).</summary>
    public static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException) { return double.NaN; }
        catch (UnauthorizedAccessException) { return double.NaN; }
    }

    private sealed class FeatureRow
    {
        public string Label { get; set; } = "";

        public float[] Features { get; set; } = [];
    }
}
