using System.Diagnostics;
using System.Globalization;
using System.Text;
using MlNetIso.Benchmarks.Study;
using MlNetIso.Onnx.IO;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Embedding.Tokenization;

namespace MlNetIso.Benchmarks.Embedding;

/// <summary>
/// The <c>collapse-study</c> verb: length collapse and TempScale on <c>movie-review-polarity-v2</c>, with confidence
/// intervals. For every long-text mode (<c>--modes truncate,chunk</c>) the reviews are embedded once per τ (through the
/// embedding cache, <see cref="StudyEmbedder"/>), bucketed by their untruncated token count ([CLS]/[SEP] included;
/// 100-token buckets, the last open: 500+ when truncating, <c>--last-bucket</c> (default 1500)+ when chunking), and
/// (1) the mean pairwise cosine per bucket and τ, over all reviews, and its slope against length are reported with
/// bootstrap intervals and paired differences from τ = 1 (<see cref="CollapseAnalysis"/>); (2) sentiment accuracy with
/// τ chosen on training folds only, held-out folds and nested 10-fold cross-validation (<see cref="LongReviewSentiment"/>).
/// With <c>--prefix-lengths 64,128,256,512</c> it also runs the content-controlled experiment: the
/// <c>--prefix-reviews</c> (default 400) fold-stratified reviews that are at least as long as the longest prefix,
/// embedded from their first L tokens (<see cref="PrefixLengthAnalysis"/>), at <c>--prefix-temperatures</c> (default: the
/// <c>--temperatures</c>).
/// Results go to the console and, as Markdown, JSON effects and PNG plots, to <c>--out-dir</c>/&lt;model&gt;/.
/// Options: <see cref="StudyOptions"/>; <c>--out FILE</c> also writes the Markdown there.
/// </summary>
internal static class CollapseStudy
{
    private const int BucketWidth = 100;

    public static int Run(string[] argv)
    {
        var options = StudyOptions.Parse(argv);
        var args = options.Args;
        var inv = CultureInfo.InvariantCulture;
        var total = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var encoder = options.Encoder;
        var embedder = options.Embedder();
        var outDir = Path.Combine(options.OutDir, encoder.Name);
        var lastChunkBucket = args.Int("--last-bucket", 1500);
        var prefixLengths = args.Value("--prefix-lengths") is { } p
            ? p.Split(',').Select(x => int.Parse(x, NumberStyles.Integer, inv)).Order().ToArray()
            : [];

        var reviews = ReviewSample.Take(TextCorpora.MovieReviews(options.DataDir), options.Reviews);
        var texts = StudyCorpora.MovieReviews(reviews);
        var tokenizer = BertTextTokenizer.Create(encoder.VocabularyPath);
        var lengths = reviews.Select(r => tokenizer.CountTokens(r.Text) + 2).ToArray();
        var report = new StringBuilder();
        var effects = new List<StudyEffect>();
        void Line(string s = "")
        {
            Console.WriteLine(s);
            report.AppendLine(s);
        }

        Line($"# Length collapse and TempScale: {encoder.Name}");
        Line();
        Line($"Encoder: {encoder.Description}; model.onnx sha256 {encoder.Sha256[..16]}….");
        Line($"Data: {reviews.Count} reviews of movie-review-polarity-v2 ({reviews.Count(r => r.Positive)} positive; folds 0–9); " +
             $"token length median {Median(lengths)}, {lengths.Count(n => n > options.MaxTokens)} longer than MaxTokens {options.MaxTokens}. " +
             $"Pooling {encoder.Pooling}, L2-normalised, BatchSize 32, IntraOpThreads {options.Threads}.");
        Line($"Bootstrap: {options.BootstrapReplicates} resamples, seed {options.Seed}, percentile 95 % intervals.");
        Line($"Machine: {MachineInfo.Describe()}; load average at start {MachineInfo.LoadAverage()}.");
        Line();

        foreach (var mode in options.Modes)
        {
            var temperatures = options.Available(embedder, texts, mode, options.MaxTokens);
            if (temperatures.Count == 0)
            {
                Line($"## {mode}: not in the cache (--cached-only); skipped.");
                Line();
                continue;
            }
            var embeddings = temperatures.ToDictionary(t => t, t => embedder.Embed(texts, t, mode, options.MaxTokens));
            var truncating = mode == LongTextMode.Truncate;
            var buckets = LengthBucket.Make(lengths, BucketWidth, truncating ? 500 : lastChunkBucket);
            var inputLengths = truncating ? lengths.Select(n => Math.Min(n, options.MaxTokens)).ToArray() : lengths;
            var d = embeddings[1f].Dimension;
            var collapse = CollapseAnalysis.Measure(inputLengths, buckets, temperatures, t => embeddings[t].Data, d,
                options.BootstrapReplicates, options.Seed);

            Line($"## {mode}: mean pairwise cosine per token-length bucket");
            Line();
            Line($"Untruncated length, 100-token buckets; τ = 1 with its 95 % interval. The slope is fitted to the buckets with at least " +
                 $"{CollapseAnalysis.MinSlopeCount} reviews ({string.Join(", ", collapse.SlopeBuckets.Select(b => buckets[b].Label))}) against their mean " +
                 $"{(truncating ? $"input length min(n, {options.MaxTokens})" : "length")}.");
            Line();
            Line(StudyMarkdown.CollapseTable(collapse));
            if (temperatures.Count > 1)
            {
                Line("Paired differences from τ = 1 (same reviews, same resamples):");
                Line();
                Line(StudyMarkdown.CollapseDifferences(collapse));
            }
            var modeName = mode.ToString().ToLowerInvariant();
            StudyCharts.Lines(Path.Combine(outDir, $"collapse-{modeName}-{reviews.Count}.png"),
                $"{encoder.Name}, {modeName}: mean pairwise cosine by length (95 % CI)",
                truncating ? $"mean input length of the bucket, min(n, {options.MaxTokens}) tokens" : "mean length of the bucket (tokens)",
                "mean pairwise cosine similarity",
                temperatures.Select((t, k) => new StudyCharts.Series(StudyMarkdown.Tau(t),
                    collapse.SlopeBuckets.Select(b => collapse.BucketMeanLength[b]).ToArray(),
                    collapse.SlopeBuckets.Select(b => collapse.BucketCosine[k][b]).ToArray(), Band: k == 0 || k == temperatures.Count - 1)).ToList());
            effects.Add(StudyEffect.From(encoder.Name, $"movie reviews ({modeName})", "slope of mean cosine per 100 tokens at τ = 1", 1f, collapse.Slope[0], reviews.Count));
            for (var t = 1; t < temperatures.Count; t++)
                effects.Add(StudyEffect.From(encoder.Name, $"movie reviews ({modeName})", "Δ mean pairwise cosine, all reviews",
                    temperatures[t], collapse.AllDifference[t], reviews.Count));

            if (temperatures.Count < 2)
            {
                Line("(Sentiment needs a τ < 1 to choose from; skipped.)");
                Line();
                continue;
            }
            var sentiment = LongReviewSentiment.Run(reviews, temperatures, t => embeddings[t].Rows(), buckets,
                options.BootstrapReplicates, options.Seed);
            SentimentSection(sentiment, Line);
            effects.Add(StudyEffect.From(encoder.Name, $"movie reviews ({modeName}), folds 8–9", "accuracy τ* − τ = 1",
                sentiment.HeldOutChoice, sentiment.HeldOut.Difference, sentiment.HeldOut.Count));
            effects.Add(StudyEffect.From(encoder.Name, $"movie reviews ({modeName}), nested 10-fold CV", "accuracy τ* − τ = 1",
                null, sentiment.CrossValidated.Difference, sentiment.CrossValidated.Count));
        }

        if (prefixLengths.Length > 0) PrefixSection(options, embedder, prefixLengths, outDir, effects, Line);

        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Line(string.Create(inv,
            $"Run time {total.Elapsed.TotalMinutes:0.0} min wall, {cpuSeconds / 60:0.0} min CPU (embedding sets read from the cache " +
            $"{options.Cache.Folder} take no encoder time); load average at end {MachineInfo.LoadAverage()}."));
        var name = $"collapse-{string.Join("-", options.Modes.Select(m => m.ToString().ToLowerInvariant()))}-{reviews.Count}";
        AtomicFile.WriteAllText(Path.Combine(outDir, name + ".md"), report.ToString());
        StudyEffect.Save(Path.Combine(outDir, $"effects-{name}.json"), effects);
        if (args.Value("--out") is { } outPath) AtomicFile.WriteAllText(outPath, report.ToString());
        return 0;
    }

    private static void SentimentSection(LongReviewSentiment.Result s, Action<string> line)
    {
        var inv = CultureInfo.InvariantCulture;
        line("### Sentiment (standardised embeddings → ML.NET LbfgsLogisticRegression), τ chosen on training folds only");
        line("");
        line("| τ | " + string.Join(" | ", s.Temperatures.Select(t => t.ToString("0.0#", inv))) + " |");
        line("|---|" + string.Concat(s.Temperatures.Select(_ => "---:|")));
        line("| validation accuracy (train 0–5, validate 6–7) | " + string.Join(" | ", s.ValidationAccuracy.Select(a => a.ToString("0.000", inv))) + " |");
        line("| test accuracy, folds 8–9 (reference only) | " + string.Join(" | ", s.HeldOutTestAccuracy.Select(a => a.ToString("0.000", inv))) + " |");
        line("");
        line($"Chosen on folds 0–7: τ* = {s.HeldOutChoice.ToString("0.0#", inv)}. Nested 10-fold CV choices per outer fold: " +
             string.Join(", ", s.FoldChoices.Select(t => t.ToString("0.0#", inv))) + ".");
        line("");
        line("| protocol | test reviews | accuracy τ = 1 | accuracy τ* | τ* − τ = 1 |");
        line("|---|---:|---:|---:|---:|");
        line($"| train 0–7, test 8–9 | {s.HeldOut.Count} | {StudyMarkdown.Paired(s.HeldOut)} |");
        line($"| nested 10-fold CV | {s.CrossValidated.Count} | {StudyMarkdown.Paired(s.CrossValidated)} |");
        line("");
        line("Cross-validated accuracy per length bucket (each review predicted once, by the model of its outer fold):");
        line("");
        line("| tokens | reviews | accuracy τ = 1 | accuracy τ* | τ* − τ = 1 |");
        line("|---|---:|---:|---:|---:|");
        foreach (var (bucket, accuracy) in s.CrossValidatedByBucket)
            line($"| {bucket.Label} | {accuracy.Count} | {StudyMarkdown.Paired(accuracy)} |");
        line("");
    }

    private static void PrefixSection(StudyOptions options, StudyEmbedder embedder, int[] prefixLengths, string outDir,
        List<StudyEffect> effects, Action<string> line)
    {
        var encoder = options.Encoder;
        var temperatures = StudyOptions.ParseTemperatures(options.Args.Value("--prefix-temperatures")
                                                          ?? string.Join(',', options.Temperatures.Select(t => t.ToString("R", CultureInfo.InvariantCulture))));
        var allReviews = TextCorpora.MovieReviews(options.DataDir);
        var subset = ReviewSample.Take(allReviews, options.Args.Int("--prefix-reviews", 400));
        var texts = StudyCorpora.MovieReviews(subset);
        // At L = MaxTokens the subset's embeddings are rows of the all-reviews Truncate set (same texts, same key otherwise).
        var allTexts = StudyCorpora.MovieReviews(allReviews);
        var rowOf = allReviews.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i);
        bool Cached(float t, int l) => embedder.IsCached(texts, t, LongTextMode.Truncate, l)
                                       || l == options.MaxTokens && embedder.IsCached(allTexts, t, LongTextMode.Truncate, l);
        var tokenizer = BertTextTokenizer.Create(encoder.VocabularyPath);
        if (options.CachedOnly && !temperatures.All(t => prefixLengths.All(l => Cached(t, l))))
        {
            line("## Prefix lengths: not all sets are in the cache (--cached-only); skipped.");
            line("");
            return;
        }
        var members = Enumerable.Range(0, subset.Count).Where(i => tokenizer.CountTokens(subset[i].Text) + 2 >= prefixLengths[^1]).ToArray();
        var cache = new Dictionary<(float, int), EmbeddingMatrix>();
        float[] At(float t, int l)
        {
            if (cache.TryGetValue((t, l), out var m)) return m.Data;
            if (l == options.MaxTokens && !embedder.IsCached(texts, t, LongTextMode.Truncate, l))
            {
                var all = embedder.Embed(allTexts, t, LongTextMode.Truncate, l);
                var rows = new float[subset.Count * all.Dimension];
                for (var k = 0; k < subset.Count; k++) all.Row(rowOf[subset[k].Id]).CopyTo(rows.AsSpan(k * all.Dimension));
                m = new EmbeddingMatrix(rows, subset.Count, all.Dimension);
            }
            else m = embedder.Embed(texts, t, LongTextMode.Truncate, l);
            cache[(t, l)] = m;
            return m.Data;
        }
        var d = embedder.Embed(texts, 1f, LongTextMode.Truncate, prefixLengths[0]).Dimension;
        var result = PrefixLengthAnalysis.Measure(temperatures, prefixLengths, members, At, d, options.BootstrapReplicates, options.Seed);
        line($"## Content held fixed: the same {result.Reviews} reviews (of {subset.Count}, those with ≥ {prefixLengths[^1]} tokens) embedded from their first L tokens");
        line("");
        line("Mean pairwise cosine with 95 % intervals; the rise and its difference from τ = 1 are paired over the same reviews.");
        line("");
        line(StudyMarkdown.PrefixTable(result));
        StudyCharts.Lines(Path.Combine(outDir, "collapse-prefix.png"),
            $"{encoder.Name}: the same {result.Reviews} reviews cut to their first L tokens (95 % CI)",
            "prefix length L (tokens, log scale)", "mean pairwise cosine similarity",
            temperatures.Select((t, k) => new StudyCharts.Series(StudyMarkdown.Tau(t), prefixLengths.Select(l => (double)l).ToArray(),
                result.Cosine[k], Band: k == 0 || k == temperatures.Count - 1)).ToList(), logX: true);
        effects.Add(StudyEffect.From(encoder.Name, "movie reviews, same reviews cut to L tokens",
            $"rise of mean cosine {prefixLengths[0]}→{prefixLengths[^1]} tokens at τ = 1", 1f, result.Rise[0], result.Reviews));
        for (var t = 1; t < temperatures.Count; t++)
            effects.Add(StudyEffect.From(encoder.Name, "movie reviews, same reviews cut to L tokens",
                $"Δ rise {prefixLengths[0]}→{prefixLengths[^1]} vs τ = 1", temperatures[t], result.RiseDifference[t], result.Reviews));
    }

    private static int Median(int[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
    }
}
