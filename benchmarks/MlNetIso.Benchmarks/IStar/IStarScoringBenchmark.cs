using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Scoring;

namespace MlNetIso.Benchmarks.IStar;

/// <summary>
/// Scoring throughput of a trained I-STAR model: <c>Transform</c> read in row order (blocks of
/// <see cref="IStarRowScores.BlockRows"/> rows per network call through a read-ahead cursor) versus the same view read
/// through a shuffling cursor (one network call per row, the path <c>PredictionEngine</c> also takes), alternating,
/// median of the rounds. Head-only on random 384-d features and fine-tune on rt-polarity sentences with the demo encoder.
/// </summary>
internal static class IStarScoringBenchmark
{
    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int rounds = quick ? 3 : 5;
        TorchSharp.torch.set_num_threads(1);
        if (args.Contains("--libtorch-ops")) MlNetIso.Trainers.Encoders.CpuKernels.Enabled = false;
        var root = RepoPaths.Root;
        var ml = new MLContext(0);
        Console.WriteLine($"TorchSharp threads 1, {rounds} alternating rounds, median");
        Console.WriteLine("| mode | rows | row by row (s) | blocks of 64 (s) | speed-up |");
        Console.WriteLine("|---|---|---|---|---|");

        int headRows = quick ? 5_000 : 20_000;
        var rng = new Random(1);
        var features = Enumerable.Range(0, headRows).Select(i => new LabelledFeatures
        {
            Label = (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Features = Enumerable.Range(0, 384).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray(),
        }).ToArray();
        var headData = ml.Data.Cache(ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(features))
            .Transform(ml.Data.LoadFromEnumerable(features)));
        using (var head = ml.MulticlassClassification.Trainers.IStar(new IStarOptions
               {
                   FeatureColumnName = "Features", Epochs = 1, HiddenSize = 64, Seed = 1, ReferencePoints = 2_000, NumberOfThreads = 1,
               }).Fit(ml.Data.TakeRows(headData, 2_000)))
            Measure("head-only, d 384 → hidden 64", headRows, head.Transform(headData), rounds);

        int textRows = quick ? 500 : 2_000;
        var data = Path.Combine(root, "data", "rt-sentence-polarity-v1");
        var texts = File.ReadLines(Path.Combine(data, "rt-polarity.pos")).Zip(File.ReadLines(Path.Combine(data, "rt-polarity.neg")))
            .Take(textRows / 2)
            .SelectMany(p => new[] { new LabelledTextRow { Label = "pos", Text = p.First }, new LabelledTextRow { Label = "neg", Text = p.Second } })
            .ToArray();
        var textData = ml.Data.Cache(ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(texts))
            .Transform(ml.Data.LoadFromEnumerable(texts)));
        using (var fineTune = ml.MulticlassClassification.Trainers.IStar(new IStarOptions
               {
                   TextColumnName = "Text", EncoderPath = Path.Combine(root, "models", "mlnetiso-mini"), Epochs = 1, BatchSize = 32,
                   LearningRate = 1e-4, MaxTokens = 64, Seed = 1, ReferencePoints = 2_000, NumberOfThreads = 1,
               }).Fit(ml.Data.TakeRows(textData, 128)))
            Measure("fine-tune, demo encoder 2×128, ≤ 64 tokens", texts.Length, fineTune.Transform(textData), rounds);
        return 0;
    }

    private static void Measure(string mode, int rows, IDataView scored, int rounds)
    {
        var column = scored.Schema["Score"];
        double ReadAll(Random? rand)
        {
            var sw = Stopwatch.StartNew();
            using var cursor = scored.GetRowCursor([column], rand);
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> value = default;
            int n = 0;
            while (cursor.MoveNext())
            {
                getter(ref value);
                n++;
            }
            if (n != rows) throw new InvalidOperationException($"read {n} rows, expected {rows}");
            return sw.Elapsed.TotalSeconds;
        }
        ReadAll(null);
        var single = new List<double>();
        var blocks = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            single.Add(ReadAll(new Random(r))); // a shuffling cursor request scores row by row
            blocks.Add(ReadAll(null));
        }
        double a = Median(single), b = Median(blocks);
        Console.WriteLine($"| {mode} | {rows:N0} | {a:F3} | {b:F3} | {a / b:F1}× |");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
