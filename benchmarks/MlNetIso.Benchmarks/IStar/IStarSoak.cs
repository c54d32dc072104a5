using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Benchmarks.IStar;

/// <summary>
/// Soak test of I-STAR training in one long-lived process: fits <c>--fits</c> models (default 50) one after another,
/// cycling through head-only and fine-tune mode, multiclass and binary, λ = −1 and λ = +1, on small slices of the
/// bundled rt-polarity sentences, scores each model once and disposes it. Every failure is caught and listed with its
/// fit number, mode and message; the native "Unknown scalar type" error (a sporadic libtorch failure seen in long runs,
/// docs/istar.md) is counted separately. Exit code 0 when every fit succeeded, 1 otherwise.
/// </summary>
internal static class IStarSoak
{
    private sealed class TextRow
    {
        public string Label { get; set; } = "";

        public bool Positive { get; set; }

        public string Text { get; set; } = "";
    }

    private sealed record Fit(int Number, string Mode, string Task, double Lambda, double Seconds, double CpuSeconds, string? Error);

    public static int Run(string[] args)
    {
        var arguments = new BenchmarkArguments(args);
        int fits = arguments.Int("--fits", 50);
        int rows = arguments.Int("--rows", 64);
        int epochs = arguments.Int("--epochs", 2);
        int threads = arguments.Int("--threads", 1);
        string encoder = arguments.Value("--encoder") ?? Path.Combine(RepoPaths.Root, "models", "mlnetiso-mini");
        TorchSharp.torch.set_num_threads(threads);

        var ml = new MLContext(0);
        var texts = Sentences(Path.Combine(RepoPaths.Root, "data", "rt-sentence-polarity-v1"), rows);
        var textView = ml.Data.LoadFromEnumerable(texts);
        // Head-only features: the bundled encoder's mean-pooled embeddings, computed once and cached.
        var featurize = ml.Transforms.Text.ApplyTempScaleEmbedding("Features", encoder, inputColumnName: "Text");
        var featureView = ml.Data.Cache(featurize.Fit(textView).Transform(textView));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(textView);
        var multiText = keyed.Transform(textView);
        var multiFeatures = keyed.Transform(featureView);

        Console.WriteLine($"I-STAR soak: {fits} fits in one process (pid {Environment.ProcessId}); {rows} rt-polarity sentences, {epochs} epochs, " +
                          $"batch 16, TorchSharp threads {threads}; encoder {encoder}; fine-tune MaxTokens 32");
        Console.WriteLine("| fit | mode | task | λ | wall s | CPU s | outcome |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        var results = new List<Fit>();
        var process = Process.GetCurrentProcess();
        var total = Stopwatch.StartNew();
        for (int i = 0; i < fits; i++)
        {
            bool fineTune = i % 2 == 1;
            bool binary = i / 2 % 2 == 1;
            double lambda = i / 4 % 2 == 0 ? -1 : 1;
            var options = new IStarOptions
            {
                LabelColumnName = binary ? "Positive" : "Label",
                FeatureColumnName = fineTune ? null : "Features",
                TextColumnName = fineTune ? "Text" : null,
                EncoderPath = fineTune ? encoder : null,
                Lambda = lambda, Epochs = epochs, BatchSize = 16, MaxTokens = 32, Seed = i + 1, ReferencePoints = 4_000,
                LearningRate = fineTune ? 1e-4 : 3e-3, NumberOfThreads = threads,
            };
            var data = fineTune ? (binary ? textView : multiText) : (binary ? featureView : multiFeatures);
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            string? error = null;
            try
            {
                if (binary)
                {
                    using var model = ml.BinaryClassification.Trainers.IStar(options).Fit(data);
                    _ = ml.BinaryClassification.Evaluate(model.Transform(data), "Positive").Accuracy;
                }
                else
                {
                    using var model = ml.MulticlassClassification.Trainers.IStar(options).Fit(data);
                    _ = ml.MulticlassClassification.Evaluate(model.Transform(data)).MicroAccuracy;
                }
            }
            catch (Exception e)
            {
                error = $"{e.GetType().Name}: {e.Message}".ReplaceLineEndings(" ");
            }
            process.Refresh();
            var fit = new Fit(i + 1, fineTune ? "fine-tune" : "head-only", binary ? "binary" : "multiclass", lambda,
                clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpuBefore).TotalSeconds, error);
            results.Add(fit);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {fit.Number} | {fit.Mode} | {fit.Task} | {fit.Lambda:+0;−0} | {fit.Seconds:F2} | {fit.CpuSeconds:F2} | {fit.Error ?? "ok"} |"));
        }

        var failed = results.Where(r => r.Error is not null).ToList();
        int scalar = failed.Count(r => r.Error!.Contains("Unknown scalar type", StringComparison.Ordinal));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{results.Count} fits in {total.Elapsed.TotalSeconds:F0} s: {results.Count - failed.Count} succeeded, {failed.Count} failed " +
            $"({scalar} with \"Unknown scalar type\"); load average {LoadAverage()}."));
        foreach (var f in failed) Console.WriteLine($"  fit {f.Number} ({f.Mode}, {f.Task}): {f.Error}");
        return failed.Count == 0 ? 0 : 1;
    }

    /// <summary>The first <paramref name="count"/>/2 positive and negative sentences, interleaved.</summary>
    private static TextRow[] Sentences(string folder, int count)
    {
        var pos = File.ReadLines(Path.Combine(folder, "rt-polarity.pos")).Take((count + 1) / 2);
        var neg = File.ReadLines(Path.Combine(folder, "rt-polarity.neg")).Take(count / 2);
        return pos.Select(t => new TextRow { Label = "pos", Positive = true, Text = t })
            .Zip(neg.Select(t => new TextRow { Label = "neg", Positive = false, Text = t }))
            .SelectMany(p => new[] { p.First, p.Second }).ToArray();
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
