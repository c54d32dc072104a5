using System.Diagnostics;
using System.Globalization;
using System.Text;
using MlNetIso.Onnx.IO;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Benchmarks.Embedding;

/// <summary>
/// The <c>collapse-study</c> verb: length collapse and TempScale on <c>movie-review-polarity-v2</c>.
/// Reviews are embedded once per τ (mean pooling, L2-normalised, MaxTokens 512, long reviews truncated — or chunked
/// with <c>--long-text chunk</c>), bucketed by their untruncated token count ([CLS]/[SEP] included; 100-token buckets,
/// the last one 500+), and the mean pairwise cosine per bucket is tabulated with <see cref="LengthCollapse"/>.
/// Then sentiment accuracy per bucket with logistic regression on the embeddings: τ &lt; 1 is chosen on the training
/// folds only (train folds 0–5, validate on 6–7), and τ = 1 and the chosen τ are retrained on folds 0–7 and tested on 8–9.
/// Options: --model DIR | --random-encoder [--vocab FILE], --data DIR, --reviews N (default all 2,000; an even
/// subsample within each fold), --threads N, --long-text truncate|chunk, --out FILE (also write the Markdown there).
/// </summary>
internal static class CollapseStudy
{
    private static readonly float[] Temperatures = [1f, 0.9f, 0.8f, 0.7f, 0.6f, 0.5f];
    private const int BucketWidth = 100;
    private const int LastBucketStart = 500;
    private const int MaxTokens = 512;

    public static int Run(string[] argv)
    {
        var args = new BenchmarkArguments(argv);
        var total = Stopwatch.StartNew();
        var dataDir = RepoPaths.RequireSharedData(args);
        var encoder = BenchmarkEncoder.Resolve(args);
        var threads = args.Int("--threads", 2);
        var longText = (args.Value("--long-text") ?? "truncate").ToLowerInvariant() switch
        {
            "truncate" => LongTextMode.Truncate,
            "chunk" => LongTextMode.Chunk,
            var other => throw new ArgumentException($"--long-text must be truncate or chunk, not '{other}'."),
        };
        var reviews = Subsample(TextCorpora.MovieReviews(dataDir), args.Int("--reviews", 2000));
        var texts = reviews.Select(r => r.Text).ToList();
        var report = new StringBuilder();
        void Line(string s = "")
        {
            Console.WriteLine(s);
            report.AppendLine(s);
        }

        Line($"Encoder: {encoder.Description}.");
        Line($"Data: {reviews.Count} reviews of movie-review-polarity-v2 (folds 0–9, {reviews.Count(r => r.Positive)} positive); " +
             $"MaxTokens {MaxTokens}, LongText = {longText}, mean pooling, L2-normalised, BatchSize 32, IntraOpThreads {threads}.");
        Line($"Machine: {MachineInfo.Describe()}; load average at start {MachineInfo.LoadAverage()}.");
        Line();

        var embeddings = new Dictionary<float, IReadOnlyList<float[]>>();
        int[]? tokenCounts = null;
        foreach (var t in Temperatures)
        {
            var sw = Stopwatch.StartNew();
            using var runner = new TransformRunner(new TempScaleEmbeddingOptions
            {
                ModelPath = encoder.ModelPath,
                Temperature = t,
                MaxTokens = MaxTokens,
                LongText = longText,
                BatchSize = 32,
                IntraOpThreads = threads,
            });
            tokenCounts ??= texts.Select(x => runner.Transformer.Embedder.Tokenizer.CountTokens(x) + 2).ToArray();
            var flat = runner.Embed(texts);
            var d = runner.Dimension;
            embeddings[t] = Enumerable.Range(0, texts.Count).Select(i => flat.AsSpan(i * d, d).ToArray()).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  τ = {t}: {texts.Count} reviews embedded in {sw.Elapsed.TotalSeconds:0} s ({runner.Transformer.RewrittenSites} attention softmaxes rewritten)"));
        }

        var lengths = tokenCounts!;
        var bucketOf = lengths.Select(n => Math.Min(n, LastBucketStart)).ToArray();
        var table = LengthCollapse.Measure(bucketOf, Temperatures, t => embeddings[t], BucketWidth);
        var all = LengthCollapse.Measure(new int[lengths.Length], Temperatures, t => embeddings[t], int.MaxValue);
        Line($"### Mean pairwise cosine similarity per token-length bucket (untruncated length, [CLS]/[SEP] included; " +
             $"{lengths.Count(n => n > MaxTokens)} of {lengths.Length} reviews exceed {MaxTokens} tokens)");
        Line();
        Line(CollapseMarkdown(table, all));

        ClassificationSection(reviews, bucketOf, embeddings, Line);
        Line(string.Create(CultureInfo.InvariantCulture,
            $"Total run time {total.Elapsed.TotalMinutes:0.0} min; load average at end {MachineInfo.LoadAverage()}."));

        var outPath = args.Value("--out");
        if (outPath is not null) AtomicFile.WriteAllText(outPath, report.ToString());
        return 0;
    }

    /// <summary>An even subsample of <paramref name="count"/> reviews, taken every k-th row within each fold.</summary>
    private static IReadOnlyList<MovieReview> Subsample(IReadOnlyList<MovieReview> all, int count)
    {
        if (count >= all.Count) return all;
        return all.GroupBy(r => r.Fold).OrderBy(g => g.Key).SelectMany(g =>
        {
            var fold = g.ToList();
            var take = (int)Math.Round((double)count * fold.Count / all.Count);
            return Enumerable.Range(0, take).Select(i => fold[(int)((long)i * fold.Count / take)]);
        }).ToList();
    }

    private static string BucketLabel(int minTokens) =>
        minTokens >= LastBucketStart ? $"{LastBucketStart}+" : $"{minTokens}–{minTokens + BucketWidth - 1}";

    private static string CollapseMarkdown(LengthCollapseTable table, LengthCollapseTable all)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("| tokens | reviews |");
        foreach (var t in table.Temperatures) sb.Append(inv, $" τ = {t:0.0} |");
        sb.AppendLine().Append("|---|---:|").Append(string.Concat(table.Temperatures.Select(_ => "---:|"))).AppendLine();
        foreach (var b in table.Buckets.Concat(all.Buckets))
        {
            var label = ReferenceEquals(b, all.Buckets[0]) ? "**all**" : BucketLabel(b.MinTokens);
            sb.Append(inv, $"| {label} | {b.Count} |");
            foreach (var c in b.MeanCosine) sb.Append(double.IsNaN(c) ? " – |" : string.Create(inv, $" {c:0.0000} |"));
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private static void ClassificationSection(IReadOnlyList<MovieReview> reviews, int[] bucketOf,
        Dictionary<float, IReadOnlyList<float[]>> embeddings, Action<string> line)
    {
        var inv = CultureInfo.InvariantCulture;
        List<(float[], bool)> Rows(float t, Func<MovieReview, bool> take) =>
            reviews.Select((r, i) => (r, i)).Where(x => take(x.r)).Select(x => (embeddings[t][x.i], x.r.Positive)).ToList();
        static double Accuracy(bool[] predicted, IReadOnlyList<bool> truth) =>
            predicted.Zip(truth, (p, y) => p == y ? 1.0 : 0.0).Average();

        // Model selection on the training folds only.
        var validationTruth = reviews.Where(r => r.Fold is 6 or 7).Select(r => r.Positive).ToList();
        var validation = new Dictionary<float, double>();
        foreach (var t in Temperatures)
            validation[t] = Accuracy(ReviewClassifier.TrainAndPredict(Rows(t, r => r.Fold <= 5), Rows(t, r => r.Fold is 6 or 7)), validationTruth);
        var best = Temperatures.Where(t => t < 1f).OrderByDescending(t => validation[t]).ThenByDescending(t => t).First();

        var testIndex = reviews.Select((r, i) => (r, i)).Where(x => x.r.Fold >= 8).Select(x => x.i).ToList();
        var testTruth = testIndex.Select(i => reviews[i].Positive).ToList();
        var testPredictions = new Dictionary<float, bool[]>();
        foreach (var t in Temperatures)
            testPredictions[t] = ReviewClassifier.TrainAndPredict(Rows(t, r => r.Fold <= 7), Rows(t, r => r.Fold >= 8));

        line("### Sentiment accuracy (standardised features → ML.NET LbfgsLogisticRegression)");
        line("");
        line($"τ chosen on the training folds only: train folds 0–5 ({reviews.Count(r => r.Fold <= 5)} reviews), " +
             $"validate on folds 6–7 ({validationTruth.Count} reviews). Best τ < 1: **{best.ToString("0.0", inv)}**.");
        line("");
        line("| τ | " + string.Join(" | ", Temperatures.Select(t => t.ToString("0.0", inv))) + " |");
        line("|---|" + string.Concat(Temperatures.Select(_ => "---:|")));
        line("| validation accuracy (folds 6–7) | " + string.Join(" | ", Temperatures.Select(t => validation[t].ToString("0.000", inv))) + " |");
        line("");
        line($"Test: retrained on folds 0–7 ({reviews.Count(r => r.Fold <= 7)} reviews), tested on folds 8–9 ({testIndex.Count} reviews), per length bucket:");
        line("");
        line($"| tokens | test reviews | accuracy τ = 1 | accuracy τ = {best.ToString("0.0", inv)} |");
        line("|---|---:|---:|---:|");
        foreach (var bucket in testIndex.Select(i => bucketOf[i] / BucketWidth * BucketWidth).Distinct().Order())
        {
            var members = Enumerable.Range(0, testIndex.Count).Where(k => bucketOf[testIndex[k]] / BucketWidth * BucketWidth == bucket).ToList();
            double Acc(float t) => members.Average(k => testPredictions[t][k] == testTruth[k] ? 1.0 : 0.0);
            line(string.Create(inv, $"| {BucketLabel(bucket)} | {members.Count} | {Acc(1f):0.000} | {Acc(best):0.000} |"));
        }
        line(string.Create(inv,
            $"| **all** | {testIndex.Count} | {Accuracy(testPredictions[1f], testTruth):0.000} | {Accuracy(testPredictions[best], testTruth):0.000} |"));
        line("");
        line("For reference only (not used to choose τ), test accuracy at every τ: " +
             string.Join(", ", Temperatures.Select(t => string.Create(inv, $"τ = {t:0.0}: {Accuracy(testPredictions[t], testTruth):0.000}"))) + ".");
        line("");
    }
}
