using System.Globalization;
using Microsoft.ML;
using MlNetIso.Cli.Inputs;
using MlNetIso.Trainers.IStar;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// <c>train</c>: an I-STAR classifier (Rudman &amp; Eickhoff, arXiv 2305.19358) in head-only mode on TempScale embeddings of
/// a labelled text file: loss = cross-entropy + λ·(1 − IsoScore*). Multiclass by default; with <c>--positive LABEL</c>
/// the binary trainer on the Boolean label "label = LABEL". Prints test metrics and the isotropy of the learned
/// representation, and saves the whole pipeline (embedding → classifier) to one file.
/// </summary>
internal static class TrainVerb
{
    private sealed class Row
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private sealed class BinaryRow
    {
        public string Text { get; set; } = "";
        public bool Label { get; set; }
    }

    public static int Run(CliArguments args, IAnsiConsole console)
    {
        var input = args.String("input");
        var column = args.String("column");
        var labelColumn = args.String("label");
        var lambda = args.Double("lambda", -1.0, -1000, 1000);
        var zeta = args.Double("zeta", 0.2, 0, 1);
        var epochs = args.Int("epochs", 5, 1, 10_000);
        var hidden = args.Int("hidden", 64, 1, 65_536);
        var testFraction = args.Double("test-fraction", 0.2, 0.01, 0.99);
        var limit = args.Int("limit", 2000, 0);
        var seed = args.Int("seed", 0);
        var output = args.String("output") ?? Path.Combine("out", "istar-model.zip");
        var positive = args.String("positive");
        var threads = args.Int("threads", 0, 0, 4096);
        if (input is not null && labelColumn is null)
            throw new CliUsageException("--label NAME is required with --input.");
        var encoder = VectorSource.EncoderOptions(args);
        args.RejectUnknown();

        var rows = LoadRows(input, column, labelColumn, limit, seed);
        if (positive is not null && !rows.Any(r => r.Label == positive))
            throw new CliInputException($"--positive '{positive}' is not one of the labels ({string.Join(", ", rows.Select(r => r.Label).Distinct().Order().Take(10))}).");
        var ml = new MLContext(seed);
        var all = positive is null
            ? ml.Data.LoadFromEnumerable(rows)
            : ml.Data.LoadFromEnumerable(rows.Select(r => new BinaryRow { Text = r.Text, Label = r.Label == positive }));
        var split = ml.Data.TrainTestSplit(all, testFraction, seed: seed);
        var options = new IStarOptions
        {
            FeatureColumnName = VectorSource.Column,
            Lambda = lambda,
            Zeta = zeta,
            Epochs = epochs,
            HiddenSize = hidden,
            Seed = seed,
            NumberOfThreads = threads > 0 ? threads : null,
        };
        var embedding = ml.Transforms.Text.ApplyTempScaleEmbedding(VectorSource.Column, nameof(Row.Text), encoder);
        var pipeline = positive is null
            ? ml.Transforms.Conversion.MapValueToKey("Label").Append(embedding).Append(ml.MulticlassClassification.Trainers.IStar(options))
            : embedding.Append(ml.BinaryClassification.Trainers.IStar(options));

        ITransformer model = null!;
        console.Status().Start($"Training {(positive is null ? "multiclass" : $"binary ('{positive}' vs the rest)")} I-STAR " +
            $"(λ = {F(lambda)}, ζ = {F(zeta)}, {epochs} epochs) on {rows.Count:N0} rows…",
            _ => model = pipeline.Fit(split.TrainSet));
        var scored = model.Transform(split.TestSet);
        var istar = ((IEnumerable<ITransformer>)model).OfType<IStarTransformer>().Single();
        var iso = istar.MeasureRepresentationIsotropy(scored); // scored passes the embedding column through
        var table = new Table().AddColumn("epoch").AddColumn(new TableColumn("loss").RightAligned())
            .AddColumn(new TableColumn("task loss").RightAligned()).AddColumn(new TableColumn("IsoScore*").RightAligned());
        foreach (var e in istar.TrainingHistory)
            table.AddRow(e.Epoch.ToString(CultureInfo.InvariantCulture), F(e.Loss), F(e.TaskLoss), F(e.IsoScoreStar));
        console.Write(table);
        if (positive is null)
        {
            var metrics = ml.MulticlassClassification.Evaluate(scored);
            console.MarkupLine($"test accuracy (micro) [bold]{F(metrics.MicroAccuracy)}[/], macro {F(metrics.MacroAccuracy)}, log-loss {F(metrics.LogLoss)}");
        }
        else
        {
            var metrics = ml.BinaryClassification.Evaluate(scored);
            console.MarkupLine($"test accuracy [bold]{F(metrics.Accuracy)}[/], AUC {F(metrics.AreaUnderRocCurve)}, F1 {F(metrics.F1Score)}, log-loss {F(metrics.LogLoss)}");
        }
        console.MarkupLine($"representation on the test set: IsoScore [bold]{F(iso.IsoScore)}[/], IsoScore* {F(iso.IsoScoreStar)} ({iso.Points:N0} points, d = {iso.Dimension})");

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        ml.Model.SavePackaged(model, all.Schema, output);
        console.MarkupLine($"saved the pipeline to [green]{Markup.Escape(output)}[/]");
        return CliApp.Ok;
    }

    /// <summary>Rows of a labelled CSV/TSV, or by default the bundled positive/negative sentence files.</summary>
    private static List<Row> LoadRows(string? input, string? column, string? labelColumn, int limit, int seed)
    {
        List<Row> rows;
        if (input is null)
        {
            if (column is not null || labelColumn is not null)
                throw new CliUsageException("--column and --label need --input (a .csv or .tsv file with a header).");
            var (pos, neg) = DefaultPaths.SentimentPair;
            rows = [.. ReadLines(pos, "pos"), .. ReadLines(neg, "neg")];
        }
        else
        {
            var table = TextTable.Open(input, column, labelColumn);
            rows = [];
            var line = 1;
            foreach (var (text, label) in table.Rows())
            {
                line++;
                if (string.IsNullOrWhiteSpace(label))
                    throw new CliInputException($"Row {line} of '{input}' has an empty label.");
                rows.Add(new Row { Text = text, Label = label! });
            }
        }
        var rng = new Random(seed);
        rows = rows.OrderBy(_ => rng.Next()).ToList();
        if (limit > 0 && rows.Count > limit) rows = rows.Take(limit).ToList();
        if (rows.Select(r => r.Label).Distinct().Count() < 2)
            throw new CliInputException("The training data holds fewer than two distinct labels.");
        return rows;
    }

    private static IEnumerable<Row> ReadLines(string path, string label)
    {
        if (!File.Exists(path)) throw new CliInputException($"Bundled file '{path}' is missing.");
        return File.ReadLines(path).Where(l => l.Length > 0).Select(l => new Row { Text = l, Label = label });
    }

    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
