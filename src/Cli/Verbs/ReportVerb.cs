using System.CommandLine;
using Microsoft.ML;
using Microsoft.ML.Data;
using MlNetIso.Cli.Arguments;
using MlNetIso.Cli.Inputs;
using MlNetIso.Cli.IO;
using MlNetIso.Cli.Rendering;
using MlNetIso.Transforms.Isotropy;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// <c>report</c>: measures the geometry of vector files or of texts embedded by encoders — one source, or several side
/// by side (<c>--model a --model b</c>, <c>--temperature 1,0.8</c>, <c>--vectors x --vectors y</c>) — and writes the
/// report: every measure with a one-line reading, JSON, Markdown, HTML, the spectrum and rogue-dimension charts, and
/// one chart per measure when comparing.
/// </summary>
internal sealed class ReportVerb : Verb
{
    private const string Column = "Features";
    private readonly Option<string[]> _vectors = CliOption.List("--vectors",
        "Vectors instead of texts: embed's .csv or .npy output, a numeric CSV, or a word2vec/GloVe text file. Repeat to compare files.",
        "none (embed texts)");
    private readonly TextInputArguments _input = new(TextSource.SampleSentences,
        "the bundled sample: 5,331 positive Rotten Tomatoes snippets", 0);
    private readonly EncoderArguments _encoder = new(manyModels: true, manyTemperatures: true);
    private readonly Option<string> _idColumn = CliOption.Create("--id-column", "A --vectors CSV column that is not a vector component.", "id");
    private readonly Option<int> _sample = CliOption.Create("--sample",
        "Rows in the seeded sample used by TwoNN, partition isotropy and matrix entropy.", IsotropyOptions.DefaultSampleSize).InRange(2, 1_000_000);
    private readonly Option<int> _seed = CliOption.Create("--seed", "Seed of that sample.", 0);
    private readonly Option<string> _out = CliOption.Create("--out", "The folder to write the report into.", Path.Combine("out", "report"));

    public ReportVerb()
    {
        _vectors.HelpName = "file";
        _out.HelpName = "folder";
    }

    public override string Name => "report";
    public override string Summary => "Geometry report (IsoScore and every isotropy measure, with readings) of embedded texts or vector files; compares several side by side.";
    public override string? Details => "Default: all-MiniLM-L6-v2 on the bundled sample sentences (--model mlnetiso-mini for the small demo encoder).";
    public override int Order => 10;
    public override IEnumerable<Option> Options => [_vectors, .. _input.All, .. _encoder.All, _idColumn, _sample, _seed, _out];

    private sealed record Source(string Label, string Description, long Rows, Func<MLContext, ProgressDisplay, IDataView> Build);

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class VectorRow
    {
        public float[] Features { get; set; } = [];
    }

    public override int Run(ParseResult parse, VerbContext context)
    {
        var outDir = parse.GetValue(_out)!;
        var seed = parse.GetValue(_seed);
        var sample = parse.GetValue(_sample);
        OutputPaths.EnsureWritableFolder(outDir, "--out");
        var sources = Sources(parse, context);

        var measured = new List<MeasuredSource>();
        foreach (var source in sources)
        {
            context.ThrowIfInterrupted();
            var ml = context.NewMLContext(seed);
            var report = context.WithProgress($"measuring {source.Label}", source.Rows, progress =>
            {
                var data = source.Build(ml, progress);
                using var transformer = ml.Transforms.MeasureIsotropy(Column, new IsotropyOptions { SampleSize = sample, Seed = seed }).Fit(data);
                return transformer.Report;
            });
            measured.Add(new MeasuredSource(source.Label, source.Description, report));
        }

        Show(measured, context);
        var title = measured.Count == 1 ? measured[0].Label : $"{measured.Count} sources";
        foreach (var (path, what) in ReportDocument.Write(measured, outDir, title))
            context.Wrote(path, what, Directory.Exists(path));
        return ExitCodes.Ok;
    }

    private List<Source> Sources(ParseResult parse, VerbContext context)
    {
        var sources = new List<Source>();
        var vectorFiles = parse.GetValue(_vectors) ?? [];
        foreach (var path in vectorFiles)
        {
            var file = VectorFile.Open(path, parse.GetValue(_idColumn)!);
            var rows = _input.ApplyLimit(parse, file.Rows, context, $"vectors of '{file.DisplayName}'");
            sources.Add(new Source(Path.GetFileName(path), $"{file.DisplayName}: {rows:N0} vectors of dimension {file.Dimension}", rows,
                (ml, progress) => VectorView(ml, Tracked(file.Read(rows), progress, context), file.Dimension)));
        }
        if (vectorFiles.Length > 0 && !_encoder.ModelGiven(parse) && parse.GetValue(_input.Input) is null) return sources;

        var table = _input.Open(parse);
        var count = _input.CountRows(parse, table, context);
        var models = _encoder.Models(parse);
        var temperatures = _encoder.Temperatures(parse);
        foreach (var model in models)
        {
            foreach (var temperature in temperatures)
            {
                var options = _encoder.For(parse, model, temperature, context);
                var label = models.Count > 1 && temperatures.Count > 1 ? $"{ModelReference.ShortName(model)} τ={CliOption.Format(temperature)}"
                    : temperatures.Count > 1 ? $"τ = {CliOption.Format(temperature)}"
                    : ModelReference.ShortName(model);
                if (vectorFiles.Length > 0 && models.Count == 1 && temperatures.Count == 1) label = $"{ModelReference.ShortName(model)} τ={CliOption.Format(temperature)}";
                sources.Add(new Source(label,
                    $"{count:N0} texts of {table.Source.DisplayName} embedded by {EncoderArguments.Describe(model, temperature)}" +
                    $"{(options.LongText == Transforms.Embedding.LongTextMode.Chunk ? ", long texts chunked" : "")}",
                    count,
                    (ml, progress) =>
                    {
                        var texts = ml.Data.LoadFromEnumerable(Tracked(table.Rows().Take((int)Math.Min(count, int.MaxValue)), progress, context)
                            .Select(r => new TextRow { Text = r.Text }));
                        return ml.Transforms.Text.ApplyTempScaleEmbedding(Column, nameof(TextRow.Text), options).Fit(texts).Transform(texts);
                    }));
            }
        }
        return sources;
    }

    /// <summary>
    /// Reports how far the rows have been read (each enumeration counts its own position: the embedding transform
    /// reads its input with two cursors) and stops the pass when an interruption is requested.
    /// </summary>
    private static IEnumerable<T> Tracked<T>(IEnumerable<T> rows, ProgressDisplay progress, VerbContext context)
    {
        long position = 0;
        foreach (var row in rows)
        {
            context.ThrowIfInterrupted();
            yield return row;
            progress.AtLeast(++position);
        }
    }

    private static IDataView VectorView(MLContext ml, IEnumerable<float[]> vectors, int dimension)
    {
        var schema = SchemaDefinition.Create(typeof(VectorRow));
        schema[nameof(VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return ml.Data.LoadFromEnumerable(vectors.Select(v => new VectorRow { Features = v }), schema);
    }

    private static void Show(IReadOnlyList<MeasuredSource> sources, VerbContext context)
    {
        var table = new Table().AddColumn("measure");
        foreach (var s in sources) table.AddColumn(new TableColumn(Markup.Escape(s.Label)).RightAligned());
        if (sources.Count == 1) table.AddColumn("reading");
        foreach (var m in ReportMeasures.All)
        {
            List<string> cells = [Markup.Escape(m.Name), .. sources.Select(s => Markup.Escape(m.Format(s.Report)))];
            if (sources.Count == 1) cells.Add(Markup.Escape(m.Read(sources[0].Report)));
            table.AddRow(cells.ToArray());
        }
        context.Console.Ansi.Write(table);
        foreach (var s in sources)
            context.Say($"{(sources.Count > 1 ? Markup.Escape(s.Label) + ": " : "")}[bold]{Markup.Escape(ReportMeasures.Headline(s.Report))}[/]");
    }
}
