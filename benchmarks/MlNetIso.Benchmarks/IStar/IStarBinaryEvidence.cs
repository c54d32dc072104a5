using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Benchmarks.IStar;

/// <summary>
/// Evidence for the binary I-STAR trainer (docs/istar.md): head-only <c>BinaryClassification.Trainers.IStar</c> on
/// rt-sentence-polarity-v1 (positive = true) and the SMS Spam Collection (spam = true, 13 % positive) for
/// λ ∈ {−1, 0, +1} and several seeds, on hashed word-bag features. Prints test accuracy, AUC and F1 (mean ± sd), the
/// IsoScore of the hidden representation of the test set, and an ML.NET L-BFGS logistic regression on the same
/// features for reference. With <c>--fine-tune N</c> it fine-tunes the demo encoder (or <c>--encoder</c>) end to end on
/// the first N training sentences instead, and reports the IsoScore of the test token states.
/// </summary>
internal static class IStarBinaryEvidence
{
    public static int Run(string[] args)
    {
        var arguments = new BenchmarkArguments(args);
        int seeds = arguments.Int("--seeds", 3);
        int epochs = arguments.Int("--epochs", 5);
        double learningRate = double.Parse(arguments.Value("--lr") ?? (arguments.Has("--fine-tune") ? "3e-4" : "5e-3"), CultureInfo.InvariantCulture);
        double[] lambdas = (arguments.Value("--lambdas") ?? "-1,0,1").Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        TorchSharp.torch.set_num_threads(1);
        if (RepoPaths.SharedData(arguments) is not { } data)
        {
            Console.Error.WriteLine("shared data folder not found (use --data)");
            return 2;
        }
        int? fineTuneRows = arguments.Value("--fine-tune") is { } rows ? int.Parse(rows, CultureInfo.InvariantCulture) : null;
        string encoder = arguments.Value("--encoder") ?? Path.Combine(RepoPaths.Root, "models", "mlnetiso-mini");
        Console.WriteLine(fineTuneRows is int n
            ? $"binary I-STAR, fine-tune: encoder {encoder}, first {n} training rows, epochs {epochs}, batch 32, lr {learningRate}, MaxTokens 48, " +
              $"layers All, padding excluded, ζ 0.2; seeds 1..{seeds}; TorchSharp threads 1"
            : $"binary I-STAR, head-only: hashed word 1-2-gram bags (2^11 slots, L2-normalised), tanh MLP hidden 64; epochs {epochs}, " +
              $"batch 32, lr {learningRate}, weight decay 0.01, ζ 0.2; seeds 1..{seeds}; TorchSharp threads 1");
        Console.WriteLine();
        Console.WriteLine($"| dataset | model | test accuracy | test AUC | test F1 | test IsoScore ({(fineTuneRows is null ? "hidden" : "token states")}) | s/run |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (name, split) in new[] { ("rt-polarity", EvidenceDatasets.RtPolarity(data)), ("SMS spam", SmsSpam(data)) })
        {
            var ml = new MLContext(0);
            string positive = name == "SMS spam" ? "spam" : "pos";
            IDataView train, test;
            var sw = Stopwatch.StartNew();
            if (fineTuneRows is int take)
            {
                train = LoadText(ml, split.Train.Take(take), positive);
                test = LoadText(ml, split.Test, positive);
            }
            else
            {
                var (trainX, testX) = EvidenceFeatures.HashedBags(ml, split.Train, split.Test);
                train = Load(ml, split.Train, trainX, positive);
                test = Load(ml, split.Test, testX, positive);
                sw.Restart();
                var baseline = ml.BinaryClassification.Trainers.LbfgsLogisticRegression().Fit(train);
                var b = ml.BinaryClassification.Evaluate(baseline.Transform(test));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | L-BFGS logistic regression | {b.Accuracy:F4} | {b.AreaUnderRocCurve:F4} | {b.F1Score:F4} | — | {sw.Elapsed.TotalSeconds:F1} |"));
            }

            foreach (double lambda in lambdas)
            {
                var results = new List<(double Accuracy, double Auc, double F1, double Iso, double Seconds)>();
                for (int seed = 1; seed <= seeds; seed++)
                {
                    sw.Restart();
                    var options = fineTuneRows is null
                        ? new IStarOptions { FeatureColumnName = "Features", HiddenSize = 64 }
                        : new IStarOptions { TextColumnName = "Text", EncoderPath = encoder, MaxTokens = 48, ReferencePoints = 20_000 };
                    options.Lambda = lambda;
                    options.Epochs = epochs;
                    options.Seed = seed;
                    options.LearningRate = learningRate;
                    options.NumberOfThreads = 1;
                    using var model = ml.BinaryClassification.Trainers.IStar(options).Fit(train);
                    var m = ml.BinaryClassification.Evaluate(model.Transform(test));
                    var iso = model.MeasureRepresentationIsotropy(test, 50_000);
                    results.Add((m.Accuracy, m.AreaUnderRocCurve, m.F1Score, iso.IsoScore, sw.Elapsed.TotalSeconds));
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | I-STAR λ = {lambda:+0;−0;0} | {Stat(results.Select(r => r.Accuracy))} | {Stat(results.Select(r => r.Auc))} | " +
                    $"{Stat(results.Select(r => r.F1))} | {Stat(results.Select(r => r.Iso))} | {results.Average(r => r.Seconds):F1} |"));
            }
        }
        return 0;
    }

    /// <summary>SMS Spam Collection v.1 (Almeida &amp; Gómez Hidalgo 2011): no official split, so a seeded 20 % test set.</summary>
    private static (LabelledText[] Train, LabelledText[] Test) SmsSpam(string dataDir)
    {
        var rows = File.ReadAllLines(Path.Combine(dataDir, "sms-spam-collection", "SMSSpamCollection"))
            .Where(l => l.Contains('\t'))
            .Select(l => new LabelledText(l[..l.IndexOf('\t')], l[(l.IndexOf('\t') + 1)..]))
            .Where(r => !string.IsNullOrWhiteSpace(r.Text)).ToArray();
        new Random(2024).Shuffle(rows);
        int test = rows.Length / 5;
        return (rows[test..], rows[..test]);
    }

    private static IDataView Load(MLContext ml, LabelledText[] rows, float[][] x, string positive)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, x[0].Length);
        return ml.Data.Cache(ml.Data.LoadFromEnumerable(rows.Select((r, i) => new Row { Label = r.Label == positive, Features = x[i] }), schema));
    }

    private static IDataView LoadText(MLContext ml, IEnumerable<LabelledText> rows, string positive) =>
        ml.Data.Cache(ml.Data.LoadFromEnumerable(rows.Select(r => new TextRow { Label = r.Label == positive, Text = r.Text })));

    private static string Stat(IEnumerable<double> values)
    {
        var v = values.ToArray();
        double mean = v.Average();
        double sd = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return string.Create(CultureInfo.InvariantCulture, $"{mean:F4} ± {sd:F4}");
    }

    private sealed class TextRow
    {
        public bool Label { get; set; }

        public string Text { get; set; } = "";
    }

    private sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
