using System.Diagnostics;
using System.Globalization;
using System.Text;
using MlNetIso.Benchmarks.Embedding;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Onnx.IO;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// The <c>tempscale-downstream</c> verb: TempScale on short texts, τ chosen on training data only — classification of
/// rt-polarity, subjectivity and TREC-6 with ML.NET's logistic-regression trainers (<see cref="ShortTextClassification"/>)
/// and k-means clustering of AG News (test split, k = 4, <c>--kmeans-seeds N</c> seeds, default 10;
/// <see cref="KMeansClustering"/>). <c>--tasks</c> picks a subset (default rt-polarity,subjectivity,trec,ag-news).
/// Embeddings come from the study cache (computed when missing). Other options: <see cref="StudyOptions"/>.
/// Results: console, and <c>--out-dir</c>/&lt;model&gt;/downstream.md plus effects-downstream.json.
/// </summary>
internal static class TempScaleDownstreamVerb
{
    public static int Run(string[] argv)
    {
        var options = StudyOptions.Parse(argv);
        var inv = CultureInfo.InvariantCulture;
        var encoder = options.Encoder;
        var embedder = options.Embedder();
        var total = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var tasks = (options.Args.Value("--tasks") ?? "rt-polarity,subjectivity,trec,ag-news").Split(',', StringSplitOptions.TrimEntries);
        var seeds = Enumerable.Range(1, options.Args.Int("--kmeans-seeds", 10)).ToArray();
        var report = new StringBuilder();
        var effects = new List<StudyEffect>();
        void Line(string s = "")
        {
            Console.WriteLine(s);
            report.AppendLine(s);
        }
        string Taus(IEnumerable<double> values) => string.Join(" | ", values.Select(v => v.ToString("0.000", inv)));

        Line($"# TempScale downstream, short texts: {encoder.Name}");
        Line();
        Line($"Encoder: {encoder.Description}; model.onnx sha256 {encoder.Sha256[..16]}…; MaxTokens {options.MaxTokens}, Truncate, L2-normalised.");
        Line($"Bootstrap: {options.BootstrapReplicates} resamples, seed {options.Seed}. Machine: {MachineInfo.Describe()}; load average {MachineInfo.LoadAverage()}.");
        Line();
        void Header(IReadOnlyList<float> temperatures)
        {
            Line("| | " + string.Join(" | ", temperatures.Select(StudyMarkdown.Tau)) + " |");
            Line("|---|" + string.Concat(temperatures.Select(_ => "---:|")));
        }

        var classification = new List<ShortTextClassification.Result>();
        foreach (var task in tasks.Where(t => t != "ag-news"))
        {
            var data = task switch
            {
                "rt-polarity" => StudyCorpora.RtPolarity(options.DataDir),
                "subjectivity" => StudyCorpora.Subjectivity(options.DataDir),
                "trec" => StudyCorpora.Trec(options.DataDir),
                _ => throw new ArgumentException($"--tasks: unknown task '{task}' (rt-polarity, subjectivity, trec, ag-news)."),
            };
            var sw = Stopwatch.StartNew();
            var temperatures = options.Available(embedder, data.Texts, LongTextMode.Truncate, options.MaxTokens);
            if (temperatures.Count < 2)
            {
                Line($"## {task}: not in the cache (--cached-only); skipped.");
                Line();
                continue;
            }
            var r = ShortTextClassification.Run(data, temperatures,
                t => embedder.Embed(data.Texts, t, LongTextMode.Truncate, options.MaxTokens), options.BootstrapReplicates, options.Seed);
            classification.Add(r);
            Line($"## {task} ({data.ClassNames.Length} classes; {r.TrainCount} training, {r.Test.Count} test texts)");
            Line();
            Header(temperatures);
            Line($"| 5-fold CV accuracy on the training split | {Taus(r.CrossValidatedAccuracy)} |");
            Line($"| test accuracy (reference only) | {Taus(r.TestAccuracy)} |");
            Line();
            Line($"τ* = {r.Choice.ToString("0.0#", inv)} (chosen by CV on the training split). Test: accuracy τ = 1 {r.Test.AtOne.Format()}, " +
                 $"τ* {r.Test.AtChoice.Format()}, **τ* − τ = 1: {r.Test.Difference.FormatSigned()}** (paired bootstrap over test texts; " +
                 $"{sw.Elapsed.TotalSeconds:0} s).");
            Line();
            effects.Add(StudyEffect.From(encoder.Name, task, "accuracy τ* − τ = 1", r.Choice, r.Test.Difference, r.Test.Count));
        }

        if (tasks.Contains("ag-news"))
        {
            var data = StudyCorpora.AgNews(options.DataDir);
            var sw = Stopwatch.StartNew();
            var temperatures = options.Available(embedder, data.Texts, LongTextMode.Truncate, options.MaxTokens);
            if (temperatures.Count < 2)
            {
                Line("## ag-news: not in the cache (--cached-only); skipped.");
                Line();
            }
            else
            {
                var r = KMeansClustering.Run(data, temperatures,
                    t => embedder.Embed(data.Texts, t, LongTextMode.Truncate, options.MaxTokens), seeds, options.BootstrapReplicates, options.Seed);
                Line($"## AG News clustering (ML.NET KMeans, k = 4, k-means++, {seeds.Length} seeds; {r.SelectionCount} selection, {r.EvaluationCount} evaluation texts)");
                Line();
                Header(temperatures);
                Line($"| mean NMI, selection half | {Taus(r.SelectionNmi)} |");
                Line($"| mean NMI, evaluation half (reference only) | {Taus(r.EvaluationNmi)} |");
                Line();
                Line($"τ* = {r.Choice.ToString("0.0#", inv)} (chosen on the selection half). Evaluation half: NMI τ = 1 {r.NmiAtOne.Format()}, " +
                     $"τ* {r.NmiAtChoice.Format()}, **τ* − τ = 1: {r.Difference.FormatSigned()}** (paired by seed, bootstrap over the " +
                     $"{seeds.Length} seeds; NMI with the arithmetic normaliser equals the V-measure; {sw.Elapsed.TotalSeconds:0} s).");
                Line();
                effects.Add(StudyEffect.From(encoder.Name, "ag-news (k-means)", "NMI τ* − τ = 1", r.Choice, r.Difference, seeds.Length));
            }
        }

        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        Line(string.Create(inv, $"Run time {total.Elapsed.TotalMinutes:0.0} min wall, {cpuSeconds / 60:0.0} min CPU; load average at end {MachineInfo.LoadAverage()}."));
        var outDir = Path.Combine(options.OutDir, encoder.Name);
        AtomicFile.WriteAllText(Path.Combine(outDir, "downstream.md"), report.ToString());
        StudyEffect.Save(Path.Combine(outDir, "effects-downstream.json"), effects);
        return 0;
    }
}
