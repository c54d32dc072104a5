using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Benchmarks.IStar;

/// <summary>
/// Whole I-STAR <c>Fit</c> time against TorchSharp's intra-op thread count: 1, 2 and libtorch's own default (read at
/// start-up, before anything sets it), interleaved round by round so load drift hits every setting. Head-only: 3,000
/// rows of 384-d features (two shifted Gaussian classes), the default options (5 epochs, hidden 64). Fine-tune: 400
/// rt-polarity sentences on the demo encoder, 1 epoch, ≤ 48 tokens, a 20,000-point C0 bank. Reports the median wall
/// time and the median process CPU time per fit, and the load average, so a reader can tell contention from work.
/// This is the measurement behind <see cref="IStarOptions.NumberOfThreads"/>' default.
/// </summary>
internal static class IStarThreadsBenchmark
{
    public static int Run(string[] args)
    {
        var arguments = new BenchmarkArguments(args);
        int rounds = arguments.Int("--rounds", arguments.Has("--quick") ? 1 : 3);
        int torchDefault = TorchSharp.torch.get_num_threads();
        var settings = new[] { 1, 2, torchDefault }.Distinct().ToArray();
        Console.WriteLine($"libtorch default threads {torchDefault}, Environment.ProcessorCount {Environment.ProcessorCount}, " +
                          $"{rounds} interleaved rounds, median; load average before: {LoadAverage()}");
        var ml = new MLContext(0);

        var rng = new Random(1);
        var rows = Enumerable.Range(0, 3_000).Select(i => new LabelledFeatures
        {
            Label = (i % 2).ToString(CultureInfo.InvariantCulture),
            Features = Enumerable.Range(0, 384).Select(_ => (float)(rng.NextDouble() * 2 - 1 + (i % 2) * 0.1)).ToArray(),
        }).ToArray();
        var head = ml.Data.Cache(ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows))
            .Transform(ml.Data.LoadFromEnumerable(rows)));

        var data = Path.Combine(RepoPaths.Root, "data", "rt-sentence-polarity-v1");
        var texts = File.ReadLines(Path.Combine(data, "rt-polarity.pos")).Zip(File.ReadLines(Path.Combine(data, "rt-polarity.neg")))
            .Take(200)
            .SelectMany(p => new[] { new LabelledTextRow { Label = "pos", Text = p.First }, new LabelledTextRow { Label = "neg", Text = p.Second } })
            .ToArray();
        var text = ml.Data.Cache(ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(texts))
            .Transform(ml.Data.LoadFromEnumerable(texts)));
        var encoder = Path.Combine(RepoPaths.Root, "models", "mlnetiso-mini");

        var cases = new (string Name, Func<int, IStarOptions> Options, IDataView Data)[]
        {
            ("head-only, 3,000 × 384, 5 epochs", t => new IStarOptions { FeatureColumnName = "Features", Seed = 1, NumberOfThreads = t }, head),
            ("fine-tune, 400 sentences, demo encoder, 1 epoch", t => new IStarOptions
            {
                TextColumnName = "Text", EncoderPath = encoder, Epochs = 1, MaxTokens = 48, LearningRate = 1e-4,
                ReferencePoints = 20_000, Seed = 1, NumberOfThreads = t,
            }, text),
        };
        Console.WriteLine("| mode | threads | wall s (median) | CPU s (median) | wall s (all rounds) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var (name, options, view) in cases)
        {
            Fit(ml, options(1), view); // warm-up: JIT, libtorch initialisation, first-touch memory
            var wall = settings.ToDictionary(t => t, _ => new List<double>());
            var cpu = settings.ToDictionary(t => t, _ => new List<double>());
            for (int r = 0; r < rounds; r++)
            {
                // Rotate the order each round so no setting always runs first or last.
                foreach (var t in settings.Skip(r % settings.Length).Concat(settings.Take(r % settings.Length)))
                {
                    var (w, c) = Fit(ml, options(t), view);
                    wall[t].Add(w);
                    cpu[t].Add(c);
                }
            }
            foreach (var t in settings)
            {
                var label = t == torchDefault ? $"{t} (libtorch default)" : t.ToString(CultureInfo.InvariantCulture);
                Console.WriteLine($"| {name} | {label} | {Median(wall[t]):F2} | {Median(cpu[t]):F2} | " +
                                  $"{string.Join(", ", wall[t].Select(x => x.ToString("F2", CultureInfo.InvariantCulture)))} |");
            }
        }
        Console.WriteLine($"load average after: {LoadAverage()}");
        return 0;
    }

    private static (double Wall, double Cpu) Fit(MLContext ml, IStarOptions options, IDataView data)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        using (ml.MulticlassClassification.Trainers.IStar(options).Fit(data)) { }
        sw.Stop();
        process.Refresh();
        return (sw.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu0).TotalSeconds);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
