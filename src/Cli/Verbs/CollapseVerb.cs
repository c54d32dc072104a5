using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Cli.Arguments;
using MlNetIso.Cli.Inputs;
using MlNetIso.Cli.IO;
using MlNetIso.Cli.Rendering;
using MlNetIso.Onnx.IO;
using MlNetIso.Transforms.Embedding;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// <c>collapse</c>: the length-collapse table and plot (Zhou et al., arXiv 2410.24200) — texts bucketed by token length,
/// the mean pairwise cosine similarity of their embeddings per bucket, one column per TempScale temperature τ. Long
/// texts are truncated at --max-tokens or, with <c>--long-text chunk</c>, embedded as averaged windows.
/// </summary>
internal sealed class CollapseVerb : Verb
{
    /// <summary>Files written into the output folder.</summary>
    public const string TableFile = "collapse.md", PlotFile = "collapse.png", CsvFile = "collapse.csv";

    private const int DefaultLimit = 400;
    private readonly TextInputArguments _input = new(TextSource.SampleReviews,
        "the bundled sample: 400 movie reviews (folds 0–1 of movie-review-polarity v2.0), column Text", DefaultLimit,
        "The first rows are used; every text is embedded once per τ, so this bounds the run time.");
    private readonly EncoderArguments _encoder = new(manyTemperatures: true, defaultTemperatures: [1.0, 0.8, 0.6]);
    private readonly Option<int> _bucket = CliOption.Create("--bucket", "Width of a token-length bucket, in tokens.", LengthCollapse.DefaultBucketWidth).InRange(1, 100_000);
    private readonly Option<string> _out = CliOption.Create("--out", "The folder to write collapse.md, collapse.csv and collapse.png into.", Path.Combine("out", "collapse"));

    public CollapseVerb()
    {
        _bucket.HelpName = "tokens";
        _out.HelpName = "folder";
    }

    public override string Name => "collapse";
    public override string Summary => "Length-collapse table and plot: mean pairwise cosine per token-length bucket, for several τ.";
    public override string? Details => "Input: a text file (one text per line) or a column of a CSV/TSV file; default: the bundled movie reviews.";
    public override int Order => 20;
    public override IEnumerable<Option> Options => [.. _input.All, .. _encoder.All, _bucket, _out];

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    public override int Run(ParseResult parse, VerbContext context)
    {
        var outDir = parse.GetValue(_out)!;
        var bucket = parse.GetValue(_bucket);
        OutputPaths.EnsureWritableFolder(outDir, "--out");
        var table = _input.Open(parse);
        var count = _input.CountRows(parse, table, context);
        if (count < 2)
            throw new CliInputException($"Input '{table.Source.DisplayName}' holds {count} text; the collapse table compares pairs, so at least 2 are needed.");
        var texts = table.Rows().Take((int)Math.Min(count, int.MaxValue)).Select(r => r.Text).ToList();
        var model = _encoder.Models(parse)[0];
        var temperatures = _encoder.Temperatures(parse);

        var ml = context.NewMLContext(0);
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }).ToList());
        int[]? lengths = null;
        var embeddings = new Dictionary<float, IReadOnlyList<float[]>>();
        context.WithProgress($"embedding {texts.Count:N0} texts with {ModelReference.Display(model)} at {temperatures.Count} temperature(s)",
            (long)texts.Count * temperatures.Count, progress =>
            {
                foreach (var t in temperatures)
                {
                    var options = _encoder.For(parse, model, t, context);
                    using var transformer = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", nameof(TextRow.Text), options).Fit(data);
                    lengths ??= texts.Select(text => transformer.Embedder.Tokenizer.Encode(text, int.MaxValue).Length).ToArray();
                    var embedded = transformer.Transform(data);
                    var column = embedded.Schema["Embedding"];
                    var rows = new List<float[]>(texts.Count);
                    using var cursor = embedded.GetRowCursor([column]);
                    var getter = cursor.GetGetter<VBuffer<float>>(column);
                    var buffer = default(VBuffer<float>);
                    while (cursor.MoveNext())
                    {
                        context.ThrowIfInterrupted();
                        getter(ref buffer);
                        rows.Add(buffer.DenseValues().ToArray());
                        progress.Advance();
                    }
                    embeddings[t] = rows;
                }
                return true;
            });
        var result = LengthCollapse.Measure(lengths!, temperatures, t => embeddings[t], bucket);

        var view = new Table().AddColumn("tokens").AddColumn(new TableColumn("texts").RightAligned());
        foreach (var t in temperatures) view.AddColumn(new TableColumn($"τ = {CliOption.Format(t)}").RightAligned());
        foreach (var b in result.Buckets)
            view.AddRow([Markup.Escape($"[{b.MinTokens},{b.MaxTokensExclusive})"), b.Count.ToString(CultureInfo.InvariantCulture), .. b.MeanCosine.Select(F)]);
        context.Console.Ansi.Write(view);

        AtomicFile.WriteAllText(Path.Combine(outDir, TableFile), result.ToMarkdown());
        context.Wrote(Path.Combine(outDir, TableFile), "table, Markdown");
        var inv = CultureInfo.InvariantCulture;
        AtomicFile.WriteAllText(Path.Combine(outDir, CsvFile), string.Join('\n',
            [string.Join(',', ["min_tokens", "max_tokens", "count", .. temperatures.Select(t => "tau_" + CliOption.Format(t))]),
             .. result.Buckets.Select(b => string.Join(',', [b.MinTokens.ToString(inv), b.MaxTokensExclusive.ToString(inv), b.Count.ToString(inv),
                 .. b.MeanCosine.Select(v => double.IsFinite(v) ? v.ToString("R", inv) : "")]))]) + "\n");
        context.Wrote(Path.Combine(outDir, CsvFile), "table, CSV");
        var series = temperatures.Select((t, i) => ($"τ = {CliOption.Format(t)}",
            result.Buckets.Select(b => double.IsFinite(b.MeanCosine[i]) ? b.MeanCosine[i] : (double?)null).ToArray())).ToList();
        Charts.Collapse(result.Buckets.Select(b => b.MinTokens.ToString(inv)).ToList(), series, Path.Combine(outDir, PlotFile),
            $"Length collapse — {table.Source.DisplayName}, {ModelReference.ShortName(model)}");
        context.Wrote(Path.Combine(outDir, PlotFile), "plot");
        return ExitCodes.Ok;
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "–";
}
