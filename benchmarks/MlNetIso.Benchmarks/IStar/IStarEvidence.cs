using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Benchmarks.IStar;

/// <summary>
/// Evidence for docs/istar.md: head-only I-STAR on rt-sentence-polarity-v1 and TREC-6 for λ ∈ {−1, 0, +1} and several
/// seeds. Prints a markdown table of test accuracy (mean ± sd over seeds), the last epoch's mean mini-batch IsoScore*
/// during training, and IsoScore / IsoScore* of the hidden representation of the test set.
/// </summary>
internal static class IStarEvidence
{
    public static int Run(string[] args)
    {
        var arguments = new BenchmarkArguments(args);
        string data = RepoPaths.SharedData(arguments) ?? Path.Combine(RepoPaths.Root, "..", "shared", "data");
        string? encoder = arguments.Value("--encoder");
        int seeds = arguments.Int("--seeds", 3);
        int epochs = arguments.Int("--epochs", 5);
        int threads = arguments.Int("--threads", 1);
        double learningRate = double.Parse(arguments.Value("--lr") ?? "5e-3", CultureInfo.InvariantCulture);
        double[] lambdas = (arguments.Value("--lambdas") ?? "-1,0,1").Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        TorchSharp.torch.set_num_threads(threads);
        if (arguments.Value("--fine-tune") is { } rows)
            return FineTune(data, encoder ?? Path.Combine(RepoPaths.Root, "models", "mlnetiso-mini"), int.Parse(rows, CultureInfo.InvariantCulture), seeds, epochs, lambdas, threads,
                double.Parse(arguments.Value("--lr") ?? "3e-4", CultureInfo.InvariantCulture));
        if (!Directory.Exists(data))
        {
            Console.Error.WriteLine($"data folder '{data}' not found (use --data)");
            return 2;
        }
        Console.WriteLine($"features: {(encoder is null ? "hashed word 1-2-gram bags, 2^11 slots, L2-normalised" : $"mean-pooled encoder states from {encoder}")}; " +
            $"head: tanh MLP, hidden 64; epochs {epochs}, batch 32, lr {learningRate}, weight decay 0.01, ζ 0.2; seeds 1..{seeds}; TorchSharp threads {threads}");
        Console.WriteLine();
        Console.WriteLine("| dataset | λ | test accuracy (mean ± sd) | train IsoScore* (last epoch) | test IsoScore | test IsoScore* | s/run |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, split) in new[] { ("rt-polarity", EvidenceDatasets.RtPolarity(data)), ("TREC-6", EvidenceDatasets.Trec(data)) })
        {
            var ml = new MLContext(0);
            var (trainX, testX) = encoder is null
                ? EvidenceFeatures.HashedBags(ml, split.Train, split.Test)
                : EvidenceFeatures.Encoder(encoder, split.Train, split.Test);
            var (train, test) = Views(ml, split, trainX, testX);
            foreach (double lambda in lambdas)
            {
                var results = new List<(double Accuracy, double TrainIso, double TestIso, double TestIsoStar, double Seconds)>();
                for (int seed = 1; seed <= seeds; seed++)
                {
                    var sw = Stopwatch.StartNew();
                    using var model = ml.MulticlassClassification.Trainers.IStar(new IStarOptions
                    {
                        FeatureColumnName = "Features", Lambda = lambda, Epochs = epochs, HiddenSize = 64, Seed = seed,
                        LearningRate = learningRate, NumberOfThreads = threads,
                    }).Fit(train);
                    double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
                    var iso = model.MeasureRepresentationIsotropy(test);
                    results.Add((accuracy, model.TrainingHistory[^1].IsoScoreStar, iso.IsoScore, iso.IsoScoreStar, sw.Elapsed.TotalSeconds));
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {lambda:+0;−0;0} | {Mean(results.Select(r => r.Accuracy)):F4} ± {Sd(results.Select(r => r.Accuracy)):F4} | " +
                    $"{Mean(results.Select(r => r.TrainIso)):F4} | {Mean(results.Select(r => r.TestIso)):F4} ± {Sd(results.Select(r => r.TestIso)):F4} | " +
                    $"{Mean(results.Select(r => r.TestIsoStar)):F4} | {Mean(results.Select(r => r.Seconds)):F1} |"));
            }
        }
        return 0;
    }

    /// <summary>Fine-tune mode on the first <paramref name="rows"/> training sentences of each dataset (full test sets).</summary>
    private static int FineTune(string data, string encoder, int rows, int seeds, int epochs, double[] lambdas, int threads, double learningRate)
    {
        Console.WriteLine($"fine-tune: encoder {encoder}, first {rows} training rows, epochs {epochs}, batch 32, lr {learningRate}, MaxTokens 48, " +
            $"layers All, padding excluded, ζ 0.2; seeds 1..{seeds}; TorchSharp threads {threads}");
        Console.WriteLine();
        Console.WriteLine("| dataset | λ | test accuracy (mean ± sd) | train IsoScore* (last epoch) | test IsoScore (tokens) | s/run |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, split) in new[] { ("rt-polarity", EvidenceDatasets.RtPolarity(data)), ("TREC-6", EvidenceDatasets.Trec(data)) })
        {
            var ml = new MLContext(0);
            var key = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(split.Train.Select(r => new TextRow { Label = r.Label, Text = r.Text })));
            IDataView Load(IEnumerable<LabelledText> r) => ml.Data.Cache(key.Transform(ml.Data.LoadFromEnumerable(r.Select(x => new TextRow { Label = x.Label, Text = x.Text }))));
            var train = Load(split.Train.Take(rows));
            var test = Load(split.Test);
            foreach (double lambda in lambdas)
            {
                var results = new List<(double Accuracy, double TrainIso, double TestIso, double Seconds)>();
                for (int seed = 1; seed <= seeds; seed++)
                {
                    var sw = Stopwatch.StartNew();
                    using var model = ml.MulticlassClassification.Trainers.IStar(new IStarOptions
                    {
                        TextColumnName = "Text", EncoderPath = encoder, Lambda = lambda, Epochs = epochs, Seed = seed, LearningRate = learningRate,
                        MaxTokens = 48, NumberOfThreads = threads, ReferencePoints = 20_000,
                    }).Fit(train);
                    double accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
                    var iso = model.MeasureRepresentationIsotropy(test, 50_000);
                    results.Add((accuracy, model.TrainingHistory[^1].IsoScoreStar, iso.IsoScore, sw.Elapsed.TotalSeconds));
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {lambda:+0;−0;0} | {Mean(results.Select(r => r.Accuracy)):F4} ± {Sd(results.Select(r => r.Accuracy)):F4} | " +
                    $"{Mean(results.Select(r => r.TrainIso)):F4} | {Mean(results.Select(r => r.TestIso)):F4} | {Mean(results.Select(r => r.Seconds)):F1} |"));
            }
        }
        return 0;
    }

    private static (IDataView Train, IDataView Test) Views(MLContext ml, (LabelledText[] Train, LabelledText[] Test) split, float[][] trainX, float[][] testX)
    {
        int d = trainX[0].Length;
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        IDataView Load(LabelledText[] rows, float[][] x) =>
            ml.Data.LoadFromEnumerable(rows.Select((r, i) => new FeatureRow { Label = r.Label, Features = x[i] }), schema);
        var train = Load(split.Train, trainX);
        var key = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        return (ml.Data.Cache(key.Transform(train)), ml.Data.Cache(key.Transform(Load(split.Test, testX))));
    }

    private static double Mean(IEnumerable<double> values) => values.Average();

    private static double Sd(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length < 2) return 0;
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1));
    }

    private sealed class TextRow
    {
        public string Label { get; set; } = "";

        public string Text { get; set; } = "";
    }

    private sealed class FeatureRow
    {
        public string Label { get; set; } = "";

        public float[] Features { get; set; } = [];
    }
}
