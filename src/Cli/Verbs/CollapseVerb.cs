using System.Globalization;
using MlNetIso.Cli.Inputs;
using MlNetIso.Cli.Rendering;
using MlNetIso.Transforms.Embedding;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// <c>collapse</c>: the length-collapse table and plot (Zhou et al., arXiv 2410.24200) — texts bucketed by token length,
/// mean pairwise cosine similarity of their embeddings per bucket, one column per TempScale temperature τ.
/// </summary>
internal static class CollapseVerb
{
    /// <summary>Files written into the output folder.</summary>
    public const string TableFile = "collapse.md", PlotFile = "collapse.png", CsvFile = "collapse.csv";

    public static int Run(CliArguments args, IAnsiConsole console)
    {
        var input = args.String("input") ?? DefaultPaths.LongTexts;
        var column = args.String("column");
        var temperatures = args.Doubles("temperatures", [1.0, 0.8, 0.6], 1e-6, 1e6).Select(t => (float)t).ToArray();
        var bucket = args.Int("bucket", LengthCollapse.DefaultBucketWidth, 1, 100_000);
        var limitArg = args.Int("limit", 400, 0);
        var outDir = args.String("out") ?? Path.Combine("out", "collapse");
        var options = VectorSource.EncoderOptions(args);
        args.RejectUnknown();

        var table = TextTable.Open(input, column);
        var rows = table.Rows().Select(r => (string?)r.Text);
        var texts = (limitArg > 0 ? rows.Take(limitArg) : rows).ToList();
        if (texts.Count < 2) throw new CliInputException($"'{input}' has fewer than 2 texts; the collapse table needs pairs.");

        LengthCollapseTable result = null!;
        console.Status().Start($"Embedding {texts.Count:N0} texts at {temperatures.Length} temperature(s)…",
            _ => result = LengthCollapse.Measure(texts, options, temperatures, bucket));

        var view = new Table().AddColumn("tokens").AddColumn(new TableColumn("texts").RightAligned());
        foreach (var t in temperatures) view.AddColumn(new TableColumn($"τ = {t.ToString(CultureInfo.InvariantCulture)}").RightAligned());
        foreach (var b in result.Buckets)
            view.AddRow([Markup.Escape(Label(b)), b.Count.ToString(CultureInfo.InvariantCulture), .. b.MeanCosine.Select(F)]);
        console.Write(view);

        Directory.CreateDirectory(outDir);
        File.WriteAllText(Path.Combine(outDir, TableFile), result.ToMarkdown());
        File.WriteAllLines(Path.Combine(outDir, CsvFile),
            [string.Join(',', ["min_tokens", "max_tokens", "count", .. temperatures.Select(t => "tau_" + t.ToString(CultureInfo.InvariantCulture))]),
             .. result.Buckets.Select(b => string.Join(',', [b.MinTokens.ToString(CultureInfo.InvariantCulture), b.MaxTokensExclusive.ToString(CultureInfo.InvariantCulture),
                 b.Count.ToString(CultureInfo.InvariantCulture), .. b.MeanCosine.Select(v => v.ToString("R", CultureInfo.InvariantCulture))]))]);
        var series = temperatures.Select((t, i) => ($"τ = {t.ToString(CultureInfo.InvariantCulture)}",
            result.Buckets.Select(b => double.IsFinite(b.MeanCosine[i]) ? b.MeanCosine[i] : (double?)null).ToArray())).ToList();
        Charts.Collapse(result.Buckets.Select(b => b.MinTokens.ToString(CultureInfo.InvariantCulture)).ToList(), series, Path.Combine(outDir, PlotFile), $"Length collapse — {Path.GetFileName(input)}");
        foreach (var f in new[] { TableFile, CsvFile, PlotFile })
            console.MarkupLine($"wrote [green]{Markup.Escape(Path.Combine(outDir, f))}[/]");
        return CliApp.Ok;
    }

    private static string Label(LengthCollapseBucket b) => $"[{b.MinTokens},{b.MaxTokensExclusive})";

    private static string F(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "–";
}
