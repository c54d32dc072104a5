using System.Diagnostics;
using MlNetIso.Benchmarks.Embedding;
using MlNetIso.Transforms.Embedding;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// The <c>tempscale-embed</c> verb: fills the embedding cache for the TempScale study, one set at a time, each written
/// as soon as it is computed (so a long background run can be stopped and resumed). <c>--sets</c> lists what to embed,
/// in order (default <c>movie-reviews,rt-polarity,subjectivity,trec,ag-news</c>); the movie reviews are embedded in every
/// <c>--modes</c> mode, the short texts with Truncate only (none exceeds MaxTokens). Every τ of <c>--temperatures</c> is
/// embedded for a set before the next set starts. Other options: <see cref="StudyOptions"/>.
/// </summary>
internal static class TempScaleEmbedVerb
{
    public static int Run(string[] argv)
    {
        var options = StudyOptions.Parse(argv);
        var sets = (options.Args.Value("--sets") ?? "movie-reviews,rt-polarity,subjectivity,trec,ag-news")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var embedder = options.Embedder();
        var total = Stopwatch.StartNew();
        Console.WriteLine($"Encoder: {options.Encoder.Description} (sha256 {options.Encoder.Sha256[..16]}…); cache {options.Cache.Folder}.");
        Console.WriteLine($"Machine: {MachineInfo.Describe()}; load average {MachineInfo.LoadAverage()}.");
        foreach (var set in sets)
        {
            var (texts, modes) = set switch
            {
                "movie-reviews" => (StudyCorpora.MovieReviews(ReviewSample.Take(TextCorpora.MovieReviews(options.DataDir), options.Reviews)), options.Modes),
                "rt-polarity" => (StudyCorpora.RtPolarity(options.DataDir).Texts, [LongTextMode.Truncate]),
                "subjectivity" => (StudyCorpora.Subjectivity(options.DataDir).Texts, [LongTextMode.Truncate]),
                "trec" => (StudyCorpora.Trec(options.DataDir).Texts, [LongTextMode.Truncate]),
                "ag-news" => (StudyCorpora.AgNews(options.DataDir).Texts, (IReadOnlyList<LongTextMode>)[LongTextMode.Truncate]),
                _ => throw new ArgumentException($"--sets: unknown set '{set}' (movie-reviews, rt-polarity, subjectivity, trec, ag-news)."),
            };
            foreach (var mode in modes)
            foreach (var t in options.Temperatures)
            {
                if (embedder.IsCached(texts, t, mode, options.MaxTokens))
                {
                    Console.WriteLine($"  cached: {texts.Name}, τ = {t}, {mode}");
                    continue;
                }
                embedder.Embed(texts, t, mode, options.MaxTokens);
            }
        }
        Console.WriteLine($"Done in {total.Elapsed.TotalMinutes:0.0} min; load average {MachineInfo.LoadAverage()}.");
        return 0;
    }
}
