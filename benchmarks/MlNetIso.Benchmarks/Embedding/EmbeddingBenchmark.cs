using System.Globalization;
using System.Runtime.InteropServices;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Benchmarks.Embedding;

/// <summary>
/// The <c>embedding</c> verb: the TempScale embedding transform side by side with its baselines, in one run, on one
/// encoder, with the same ONNX Runtime intra-op thread count everywhere —
/// (1) the transform (BatchSize 32) vs a hand-written ONNX Runtime loop (same tokenizer, batches of 32 padded to their
/// longest sequence, mean pooling); (2) the transform at τ = 0.8 (TempScale-rewritten graph) vs τ = 1 (original graph);
/// (3) the transform's length-sorted dynamic padding vs the raw loop padding every batch to MaxTokens, on movie
/// reviews; (4) managed heap and working set while 100k short texts stream through one cursor.
/// Options: --quick, --reps N, --threads N, --short-texts N, --reviews N, --memory-rows N, --only pairs|memory,
/// --model DIR | --random-encoder [--vocab FILE], --data DIR.
/// </summary>
internal static class EmbeddingBenchmark
{
    private const int BatchSize = 32;
    private const int MaxTokens = 512;

    public static int Run(string[] argv)
    {
        var args = new BenchmarkArguments(argv);
        var quick = args.Has("--quick");
        var reps = args.Int("--reps", quick ? 3 : 5);
        var threads = args.Int("--threads", 2);
        var dataDir = RepoPaths.RequireSharedData(args);
        var encoder = BenchmarkEncoder.Resolve(args);
        var inv = CultureInfo.InvariantCulture;

        Console.WriteLine($"# TempScale embedding benchmark ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC){(quick ? " --quick" : "")}");
        Console.WriteLine($"# encoder: {encoder.Description}");
        Console.WriteLine($"# machine: {MachineInfo.Describe()}");
        Console.WriteLine($"# ONNX Runtime intra-op threads: {threads} on both sides; BatchSize {BatchSize}; MaxTokens {MaxTokens}; " +
                          $"{reps} interleaved repetitions per pair (+1 warm-up each); medians of wall time");

        var shortTexts = TextCorpora.ShortTexts(dataDir);
        var shortSample = Spread(shortTexts, args.Int("--short-texts", quick ? 256 : 1024));
        var reviews = TextCorpora.SpreadReviews(dataDir, args.Int("--reviews", quick ? 32 : 64));
        var shortForPadding = shortSample.Take(quick ? 64 : 128).ToList();
        var only = args.Value("--only");
        if (only is not (null or "pairs" or "memory")) throw new ArgumentException($"--only must be pairs or memory, not '{only}'.");

        var baseOptions = new TempScaleEmbeddingOptions
        {
            ModelPath = encoder.ModelPath,
            BatchSize = BatchSize,
            MaxTokens = MaxTokens,
            IntraOpThreads = threads,
            LongText = LongTextMode.Truncate,
        };
        if (only != "pairs")
        {
            // First, in a process holding only this one session, so the working set is the transform's own.
            using var streaming = new TransformRunner(baseOptions);
            MemoryFlatness.Run(streaming, shortTexts, args.Int("--memory-rows", quick ? 20_000 : 100_000), quick ? 2_000 : 10_000);
        }
        if (only != "memory") RunPairs(encoder, baseOptions, threads, shortSample, reviews, shortForPadding, reps);
        Console.WriteLine($"# load average at end: {MachineInfo.LoadAverage()}");
        return 0;
    }

    private static void RunPairs(BenchmarkEncoder encoder, TempScaleEmbeddingOptions baseOptions, int threads,
        IReadOnlyList<string> shortSample, IReadOnlyList<string> reviews, IReadOnlyList<string> shortForPadding, int reps)
    {
        var inv = CultureInfo.InvariantCulture;
        using var ours = new TransformRunner(baseOptions);
        var tempScaled = baseOptions.Clone();
        tempScaled.Temperature = 0.8f;
        using var oursTempScale = new TransformRunner(tempScaled);
        using var rawLongest = new RawOrtEmbedder(encoder.ModelPath, threads, MaxTokens, BatchSize, RawPadding.BatchLongest);
        using var rawFixed = new RawOrtEmbedder(encoder.ModelPath, threads, MaxTokens, BatchSize, RawPadding.MaxTokens);
        Console.WriteLine($"# TempScale τ = 0.8 rewrote {oursTempScale.Transformer.RewrittenSites} attention softmaxes");
        Console.WriteLine(string.Create(inv,
            $"# agreement: max |transform − raw loop| over {shortSample.Count} short texts = {MaxAbsDiff(ours.Embed(shortSample), rawLongest.Embed(shortSample)):0.0e+0}, " +
            $"over {reviews.Count} reviews = {MaxAbsDiff(ours.Embed(reviews), rawFixed.Embed(reviews)):0.0e+0} (vs pad-to-{MaxTokens})"));
        foreach (var (name, texts) in new[] { ("short texts", shortSample), ("movie reviews", reviews) })
        {
            var (mean, atMax) = rawFixed.TokenStats(texts);
            Console.WriteLine(string.Create(inv, $"# {name}: mean {mean:0.0} tokens after truncation; {atMax:P0} cut at {MaxTokens}"));
        }
        Console.WriteLine($"# load average before the pairs: {MachineInfo.LoadAverage()}");
        Console.WriteLine();

        var rows = new List<string>();
        void Pair(string what, string workload, string nameA, Action a, string nameB, Action b, int items, string goal, Func<double, bool> met)
        {
            Console.WriteLine($"## {what} — {workload}");
            var result = PairedTiming.Run(a, b, reps, items, Console.WriteLine);
            Console.WriteLine(result.Describe(nameA, nameB));
            var ratio = result.MedianSpeedRatio;
            var (lo, hi) = result.SpeedRatioRange;
            rows.Add(string.Create(inv,
                $"| {what} | {workload} | {nameA}: {result.MedianA:0.000} s ({items / result.MedianA:0.0}/s) | " +
                $"{nameB}: {result.MedianB:0.000} s ({items / result.MedianB:0.0}/s) | {ratio:0.000} [{lo:0.000}–{hi:0.000}] | {result.MedianCpuRatio:0.000} | {goal} | {(met(ratio) ? "met" : "NOT met")} |"));
            Console.WriteLine();
        }

        Pair("transform vs raw ORT loop", $"{shortSample.Count} short texts (sms-spam + rt-polarity)",
            "transform", () => ours.Embed(shortSample), "raw loop", () => rawLongest.Embed(shortSample),
            shortSample.Count, "≥ 0.9×", r => r >= 0.9);
        Pair("transform vs raw ORT loop", $"{reviews.Count} movie reviews (truncated to {MaxTokens})",
            "transform", () => ours.Embed(reviews), "raw loop", () => rawLongest.Embed(reviews),
            reviews.Count, "≥ 0.9×", r => r >= 0.9);
        Pair("TempScale τ=0.8 vs original graph", $"{shortSample.Count} short texts",
            "τ=0.8", () => oursTempScale.Embed(shortSample), "τ=1", () => ours.Embed(shortSample),
            shortSample.Count, "≥ 0.97× (≤ 3% slower)", r => r >= 0.97);
        Pair("TempScale τ=0.8 vs original graph", $"{reviews.Count} movie reviews (truncated to {MaxTokens})",
            "τ=0.8", () => oursTempScale.Embed(reviews), "τ=1", () => ours.Embed(reviews),
            reviews.Count, "≥ 0.97× (≤ 3% slower)", r => r >= 0.97);
        Pair("dynamic padding vs pad to MaxTokens", $"{reviews.Count} movie reviews (truncated to {MaxTokens})",
            "transform (sorted, dynamic)", () => ours.Embed(reviews), $"raw loop padded to {MaxTokens}", () => rawFixed.Embed(reviews),
            reviews.Count, "≥ 1.5×", r => r >= 1.5);
        Pair("dynamic padding vs pad to MaxTokens", $"{shortForPadding.Count} short texts",
            "transform (sorted, dynamic)", () => ours.Embed(shortForPadding), $"raw loop padded to {MaxTokens}", () => rawFixed.Embed(shortForPadding),
            shortForPadding.Count, "≥ 1.5×", r => r >= 1.5);

        Console.WriteLine("## Summary (speed ratio = median over repetitions of time(B) / time(A); > 1 means A is faster)");
        Console.WriteLine("| comparison | workload | A (median) | B (median) | speed A/B (wall) [min–max] | CPU-time ratio B/A | goal | wall ratio vs goal |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in rows) Console.WriteLine(row);
        Console.WriteLine();
    }

    /// <summary><paramref name="count"/> items taken evenly over the list.</summary>
    internal static IReadOnlyList<string> Spread(IReadOnlyList<string> all, int count)
    {
        count = Math.Min(count, all.Count);
        return Enumerable.Range(0, count).Select(i => all[(int)((long)i * all.Count / count)]).ToList();
    }

    private static double MaxAbsDiff(float[] a, float[] b)
    {
        if (a.Length != b.Length) throw new InvalidOperationException($"Embedding lengths differ: {a.Length} vs {b.Length}.");
        double max = 0;
        for (var i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }
}

/// <summary>Hardware and load facts for the report.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} logical CPUs, " +
               $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}, ONNX Runtime {OnnxRuntimeVersion()}";
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) + " (1/5/15 min)" : "n/a";

    private static string OnnxRuntimeVersion() =>
        typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetName().Version?.ToString() ?? "?";
}
