using Microsoft.ML;
using MlNetIso.Cli.Inputs;
using MlNetIso.Cli.Rendering;
using MlNetIso.Transforms.Isotropy;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// <c>report</c>: measures the geometry of a vector file, or of texts embedded by an ONNX encoder (default: the bundled
/// demo encoder on the bundled sample), and writes the report (JSON, Markdown, HTML, spectrum and rogue-dimension PNGs).
/// </summary>
internal static class ReportVerb
{
    public static int Run(CliArguments args, IAnsiConsole console)
    {
        var vectors = args.String("vectors");
        var outDir = args.String("out") ?? Path.Combine("out", "report");
        var limitArg = args.Int("limit", 0, 0);
        int? limit = limitArg > 0 ? limitArg : null;
        var sample = args.Int("sample", IsotropyOptions.DefaultSampleSize, 2, 1_000_000);
        var seed = args.Int("seed", 0);
        var ml = new MLContext(seed);

        IDataView data;
        string source;
        if (vectors is not null)
        {
            args.RejectUnknown();
            var (view, dim, rows) = VectorSource.FromVectorFile(ml, vectors, limit);
            console.MarkupLine($"Read [bold]{rows:N0}[/] vectors of dimension [bold]{dim}[/] from '{Markup.Escape(vectors)}'.");
            data = view;
            source = vectors;
        }
        else
        {
            var input = args.String("input") ?? DefaultPaths.SampleTexts;
            var column = args.String("column");
            var options = VectorSource.EncoderOptions(args);
            args.RejectUnknown();
            var table = TextTable.Open(input, column);
            console.MarkupLine($"Embedding texts of '{Markup.Escape(input)}' with '{Markup.Escape(options.ModelPath)}' (τ = {options.Temperature}).");
            data = VectorSource.EmbeddedTexts(ml, table, options, limit);
            source = $"{input} → {options.ModelPath} (τ = {options.Temperature})";
        }

        IsotropyReport report = null!;
        console.Status().Start("Measuring isotropy (one streaming pass)…", _ =>
        {
            using var transformer = ml.Transforms.MeasureIsotropy(VectorSource.Column, new IsotropyOptions { SampleSize = sample, Seed = seed }).Fit(data);
            report = transformer.Report;
        });

        var table2 = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned()).AddColumn("meaning");
        foreach (var (name, value, meaning) in ReportDocument.Rows(report))
            table2.AddRow(Markup.Escape(name), Markup.Escape(value), Markup.Escape(meaning));
        console.Write(table2);
        var title = Path.GetFileName(vectors ?? source.Split(' ')[0]);
        foreach (var path in ReportDocument.Write(report, outDir, title, source))
            console.MarkupLine($"wrote [green]{Markup.Escape(path)}[/]");
        return CliApp.Ok;
    }
}
