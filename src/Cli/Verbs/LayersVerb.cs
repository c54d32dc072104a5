using System.CommandLine;
using System.Globalization;
using MlNetIso.Cli.Arguments;
using MlNetIso.Cli.Inputs;
using MlNetIso.Cli.IO;
using MlNetIso.Cli.Rendering;
using MlNetIso.Onnx.IO;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Isotropy;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// <c>layers</c>: layer-wise geometry (<see cref="LayerwiseGeometry"/>) — IsoScore, average cosine, matrix entropy,
/// effective rank and TwoNN of the mean-pooled states of every hidden layer of one or more encoders, at one or more
/// TempScale temperatures, plus the per-text token matrix entropy of Diff-eRank; a table per encoder and τ, a CSV, and one
/// plot per measure (layers on x, a line per encoder and τ).
/// </summary>
internal sealed class LayersVerb : Verb
{
    /// <summary>Files written into the output folder.</summary>
    public const string CsvFile = "layers.csv", TableFile = "layers.md";

    private const int DefaultLimit = 1000;
    private readonly TextInputArguments _input = new(TextSource.SampleSentences,
        "the bundled sample: positive Rotten Tomatoes snippets", DefaultLimit,
        "The first rows are used; every text runs once per encoder and τ.");
    private readonly EncoderArguments _encoder = new(manyModels: true, manyTemperatures: true);
    private readonly Option<int> _sample = CliOption.Create("--sample",
        "Rows in the seeded sample used by TwoNN, partition isotropy and matrix entropy of each layer.", IsotropyOptions.DefaultSampleSize).InRange(2, 1_000_000);
    private readonly Option<int> _seed = CliOption.Create("--seed", "Seed of that sample.", 0);
    private readonly Option<string> _out = CliOption.Create("--out", "The folder to write layers.csv, layers.md and the plots into.", Path.Combine("out", "layers"));

    public LayersVerb()
    {
        _out.HelpName = "folder";
    }

    public override string Name => "layers";
    public override string Summary => "Layer-wise geometry: IsoScore, average cosine, matrix entropy, effective rank and TwoNN of every hidden layer of encoders, at several τ.";
    public override string? Details =>
        "Texts run one at a time through each encoder with its hidden states exposed; each layer's token states are mean-pooled per text. " +
        "--long-text chunk and --batch do not apply (texts are truncated at --max-tokens).";
    public override int Order => 80;
    public override IEnumerable<Option> Options => [.. _input.All, .. _encoder.All, _sample, _seed, _out];

    /// <summary>A measure of the table, CSV and plots.</summary>
    private sealed record Measure(string Key, string Title, string Short, string Format, Func<LayerGeometry, double> Value);

    private static readonly Measure[] Measures =
    [
        new("isoscore", "IsoScore", "IsoScore", "0.0000", l => l.Pooled.IsoScore),
        new("average_cosine", "Average cosine", "avg cos", "0.0000", l => l.Pooled.AverageCosineSimilarity),
        new("matrix_entropy", "Matrix entropy (pooled, nats)", "H pooled", "0.000", l => l.Pooled.MatrixEntropy),
        new("normalized_matrix_entropy", "Matrix entropy / log d (pooled)", "H/log d", "0.000", l => l.Pooled.MatrixEntropy / Math.Log(Math.Min(l.Pooled.Dimension, l.Pooled.SampleCount))),
        new("token_matrix_entropy", "Token matrix entropy per text (nats)", "H tokens", "0.000", l => l.MeanTokenMatrixEntropy),
        new("token_matrix_entropy_sd", "Token matrix entropy, sd over texts", "H tok sd", "0.000", l => l.TokenMatrixEntropyStandardDeviation),
        new("normalized_token_matrix_entropy", "Token matrix entropy / log min(n − 1, d) per text", "H tok/log", "0.000", l => l.MeanNormalizedTokenMatrixEntropy),
        new("effective_rank_covariance", "Effective rank (covariance)", "erank cov", "0.0", l => l.Pooled.EffectiveRank.Covariance),
        new("effective_rank_singular", "Effective rank (singular)", "erank σ", "0.0", l => l.Pooled.EffectiveRank.Singular),
        new("twonn", "TwoNN intrinsic dimension", "TwoNN", "0.0", l => l.Pooled.IntrinsicDimension),
    ];

    public override int Run(ParseResult parse, VerbContext context)
    {
        var outDir = parse.GetValue(_out)!;
        OutputPaths.EnsureWritableFolder(outDir, "--out");
        if (parse.GetValue(_encoder.LongText) == "chunk")
            throw new CliUsageException("layers truncates long texts at --max-tokens; --long-text chunk does not apply to it.");
        var table = _input.Open(parse);
        var count = _input.CountRows(parse, table, context);
        if (count < 2)
            throw new CliInputException($"Input '{table.Source.DisplayName}' holds {count} text; layer-wise geometry needs at least 2.");
        var texts = table.Rows().Take((int)Math.Min(count, int.MaxValue)).Select(r => r.Text).ToList();
        var models = _encoder.Models(parse);
        var temperatures = _encoder.Temperatures(parse);
        var isotropy = new IsotropyOptions { SampleSize = parse.GetValue(_sample), Seed = parse.GetValue(_seed) };

        var results = new List<(string Label, string Model, float Tau, LayerwiseGeometryResult Result)>();
        foreach (var model in models)
            foreach (var tau in temperatures)
            {
                context.ThrowIfInterrupted();
                var options = _encoder.For(parse, model, tau, context);
                var label = models.Count > 1 && temperatures.Count > 1 ? $"{ModelReference.ShortName(model)} τ={CliOption.Format(tau)}"
                    : temperatures.Count > 1 ? $"τ = {CliOption.Format(tau)}" : ModelReference.ShortName(model);
                var result = context.WithProgress($"{EncoderArguments.Describe(model, tau)}: {texts.Count:N0} texts", texts.Count, progress =>
                    LayerwiseGeometry.Measure(context.NewMLContext(parse.GetValue(_seed)), texts, options, isotropy,
                        new Reporter(progress), context.Interrupt));
                results.Add((label, model, tau, result));
                Show(label, result, context);
            }

        var inv = CultureInfo.InvariantCulture;
        var csv = new List<string> { string.Join(',', ["model", "tau", "layer", "texts", "dimension", .. Measures.Select(m => m.Key)]) };
        var md = new List<string> { $"# Layer-wise geometry — {texts.Count:N0} texts of {table.Source.DisplayName}", "" };
        foreach (var (label, model, tau, result) in results)
        {
            md.Add($"## {label}");
            md.Add("");
            md.Add("| layer | " + string.Join(" | ", Measures.Select(m => m.Title)) + " |");
            md.Add("|---:|" + string.Concat(Measures.Select(_ => "---:|")));
            foreach (var l in result.Layers)
            {
                csv.Add(string.Join(',', [ModelReference.ShortName(model), CliOption.Format(tau), l.Layer.ToString(inv), result.TextCount.ToString(inv),
                    l.Pooled.Dimension.ToString(inv), .. Measures.Select(m => m.Value(l).ToString("R", inv))]));
                md.Add($"| {l.Layer} | " + string.Join(" | ", Measures.Select(m => m.Value(l).ToString(m.Format, inv))) + " |");
            }
            md.Add("");
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, CsvFile), string.Join('\n', csv) + "\n");
        context.Wrote(Path.Combine(outDir, CsvFile), "one row per encoder, τ and layer, CSV");
        AtomicFile.WriteAllText(Path.Combine(outDir, TableFile), string.Join('\n', md));
        context.Wrote(Path.Combine(outDir, TableFile), "tables, Markdown");
        foreach (var m in Measures)
        {
            var path = Path.Combine(outDir, $"layers-{m.Key.Replace('_', '-')}.png");
            Charts.LayerLines(results.Select((r, i) => (r.Label, i,
                (IReadOnlyList<(double, double)>)r.Result.Layers.Select(l => ((double)l.Layer, m.Value(l))).ToList())).ToList(),
                path, $"{m.Title} per layer", "layer (0 = embedding output)", m.Title);
            context.Wrote(path, "plot");
        }
        return ExitCodes.Ok;
    }

    /// <summary>Passes the texts-done count to the progress display synchronously (Progress&lt;T&gt; would post it later).</summary>
    private sealed class Reporter(ProgressDisplay display) : IProgress<long>
    {
        public void Report(long value) => display.AtLeast(value);
    }

    private static void Show(string label, LayerwiseGeometryResult result, VerbContext context)
    {
        var view = new Table().Title(Markup.Escape(label)).AddColumn(new TableColumn("layer").RightAligned());
        foreach (var m in Measures) view.AddColumn(new TableColumn(Markup.Escape(m.Short)).RightAligned());
        foreach (var l in result.Layers)
            view.AddRow([l.Layer.ToString(CultureInfo.InvariantCulture), .. Measures.Select(m => m.Value(l).ToString(m.Format, CultureInfo.InvariantCulture))]);
        context.Console.Ansi.Write(view);
    }
}
