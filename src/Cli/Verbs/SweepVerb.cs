using System.CommandLine;
using System.Globalization;
using System.Text;
using Microsoft.ML;
using MlNetIso.Cli.Arguments;
using MlNetIso.Cli.Inputs;
using MlNetIso.Cli.IO;
using MlNetIso.Onnx.IO;
using MlNetIso.Trainers.IStar;
using MlNetIso.Trainers.IStar.Sweep;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// <c>sweep</c>: chooses I-STAR's λ and ζ (Rudman &amp; Eickhoff, arXiv 2305.19358) for a labelled text file by
/// stratified k-fold cross-validation of the head-only classifier on TempScale embeddings
/// (<c>mlContext.MulticlassClassification.SweepIStar</c>, or the binary one with <c>--positive</c>). The texts are embedded
/// once; every candidate trains on k − 1 folds and is scored by the held-out fold's accuracy. Prints every candidate's
/// mean ± sd and the best, and writes the table as CSV with <c>--output</c>.
/// </summary>
internal sealed class SweepVerb : Verb
{
    private const int DefaultLimit = 1000;
    private static readonly double[] DefaultLambdas = [-1, -0.5, 0, 0.5, 1];
    private readonly LabelledInputArguments _data = new(DefaultLimit, "sweep time grows with rows × candidates × folds",
        "Sweep a binary classifier: this label value against all others.");
    private readonly EncoderArguments _encoder = new();
    private readonly Option<string[]> _lambdas = CliOption.List("--lambdas",
        "λ values to try (each in the option's range [-5, 5]); a random or latin-hypercube sweep draws among them.",
        "-1,-0.5,0,0.5,1 for grid; the whole range [-5, 5] for random and latin-hypercube");
    private readonly Option<string[]> _zetas = CliOption.List("--zetas",
        "ζ values to try (each in [0, 1]); a random or latin-hypercube sweep draws among them.",
        "0.2 for grid; the whole range [0, 1] for random and latin-hypercube");
    private readonly Option<string> _strategy = CliOption.Create("--strategy",
        "How candidates are chosen: every combination of the values (grid), or --candidates seeded random or latin-hypercube points.", "grid");
    private readonly Option<int> _candidates = CliOption.Create("--candidates", "Candidates drawn by a random or latin-hypercube sweep.", 10).InRange(1, 10_000);
    private readonly Option<int> _folds = CliOption.Create("--folds", "Cross-validation folds k (split per label, so each keeps the label proportions).", 5).InRange(2, 100);
    private readonly Option<int> _epochs = CliOption.Create("--epochs", "Passes over the training folds per fit.", 5).InRange(1, 10_000);
    private readonly Option<int> _hidden = CliOption.Create("--hidden", "Width of the classifier's hidden layer (the representation I-STAR shapes).", 64).InRange(1, 65_536);
    private readonly Option<int> _seed = CliOption.Create("--seed", "Seed of the shuffle, the folds, the random candidates and the weights.", 0);
    private readonly Option<int?> _threads = CliOption.TorchThreads();
    private readonly Option<string?> _output = CliOption.Optional<string>("--output",
        "Also write the candidate table (values, mean, sd, each fold's accuracy) as CSV.", "none (table printed only)");

    public SweepVerb()
    {
        _strategy.AcceptOnlyFromAmong("grid", "random", "latin-hypercube");
        _lambdas.HelpName = "values";
        _zetas.HelpName = "values";
        _output.HelpName = "file";
    }

    public override string Name => "sweep";
    public override string Summary => "Choose I-STAR's λ and ζ for a labelled file by stratified k-fold cross-validation (head-only); print every candidate and the best.";
    public override string Details =>
        "The texts are embedded once; each candidate trains on k − 1 folds and is scored by held-out accuracy. " +
        "Train the final model with the best values: mlnetiso train --lambda L --zeta Z.";
    public override int Order => 60;
    public override IEnumerable<Option> Options =>
        [.. _data.All, .. _encoder.All, _lambdas, _zetas, _strategy, _candidates, _folds, _epochs, _hidden, _seed, _threads, _output];

    public override int Run(ParseResult parse, VerbContext context)
    {
        var output = parse.GetValue(_output);
        var positive = parse.GetValue(_data.Positive);
        var seed = parse.GetValue(_seed);
        _data.CheckUsage(parse);
        var strategy = parse.GetValue(_strategy) switch
        {
            "random" => IStarSweepStrategy.Random,
            "latin-hypercube" => IStarSweepStrategy.LatinHypercube,
            _ => IStarSweepStrategy.Grid,
        };
        var values = new Dictionary<string, double[]>(StringComparer.Ordinal);
        if (Given(parse, _lambdas) is { } lambdas) values[nameof(IStarOptions.Lambda)] = CliOption.Numbers(_lambdas, lambdas, -5, 5);
        else if (strategy == IStarSweepStrategy.Grid) values[nameof(IStarOptions.Lambda)] = DefaultLambdas;
        if (Given(parse, _zetas) is { } zetas) values[nameof(IStarOptions.Zeta)] = CliOption.Numbers(_zetas, zetas, 0, 1);
        else if (strategy == IStarSweepStrategy.Grid) values[nameof(IStarOptions.Zeta)] = [0.2];
        if (output is not null) OutputPaths.EnsureWritableFile(output, "--output"); // before the sweep: a typo must not cost it

        var rows = _data.Load(parse, seed, context);
        var folds = parse.GetValue(_folds);
        var smallest = rows.GroupBy(r => positive is null ? r.Label : (r.Label == positive).ToString()).Min(g => g.Count());
        if (smallest < folds)
            context.Note($"the rarest class has {smallest} row(s), fewer than --folds {folds}: some folds hold none of it.");
        var model = _encoder.Models(parse)[0];
        var temperature = _encoder.Temperatures(parse)[0];
        var encoder = _encoder.For(parse, model, temperature, context);
        var epochs = parse.GetValue(_epochs);
        var ml = context.NewMLContext(seed);
        var sweepOptions = new IStarSweepOptions
        {
            BaseOptions = new IStarOptions
            {
                FeatureColumnName = "Features",
                Epochs = epochs,
                HiddenSize = parse.GetValue(_hidden),
                Seed = seed,
                CancellationToken = context.Interrupt,
                NumberOfThreads = parse.GetValue(_threads),
            },
            Parameters = [nameof(IStarOptions.Lambda), nameof(IStarOptions.Zeta)],
            Values = values,
            Strategy = strategy,
            Candidates = parse.GetValue(_candidates),
            Folds = folds,
            Seed = seed,
        };
        var task = positive is null ? "multiclass" : $"binary ('{positive}' vs the rest)";
        context.Say($"Sweeping {Markup.Escape(task)} I-STAR ({parse.GetValue(_strategy)}, {folds}-fold cross-validation, {epochs} epochs per fit) " +
                    $"on {rows.Count:N0} rows with {Markup.Escape(EncoderArguments.Describe(model, temperature))}.");

        var result = context.WithProgress("embedding the rows", rows.Count, progress =>
        {
            var data = positive is null
                ? ml.Data.LoadFromEnumerable(LabelledRows.Tracked(rows, progress, context))
                : ml.Data.LoadFromEnumerable(LabelledRows.Tracked(rows, progress, context).Select(r => new BinaryLabelledRow { Text = r.Text, Label = r.Label == positive }));
            IEstimator<ITransformer> embedding = ml.Transforms.Text.ApplyTempScaleEmbedding("Features", nameof(LabelledRow.Text), encoder);
            if (positive is null) embedding = ml.Transforms.Conversion.MapValueToKey("Label").Append(embedding);
            // Embedded once, now (this step): a full pass fills the cache, and every candidate and fold reads the vectors.
            var embedded = ml.Data.Cache(embedding.Fit(data).Transform(data), "Features", "Label");
            using (var cursor = embedded.GetRowCursor(embedded.Schema))
                while (cursor.MoveNext()) context.ThrowIfInterrupted();
            var candidateCount = strategy == IStarSweepStrategy.Grid
                ? values.Values.Aggregate(1, (n, v) => n * v.Length)
                : sweepOptions.Candidates;
            var done = 0;
            ml.Log += (_, e) =>
            {
                if (e.Message.Contains("I-STAR sweep (", StringComparison.Ordinal))
                    progress.Step($"cross-validating {candidateCount} candidates", candidateCount);
                else if (e.Message.Contains("I-STAR sweep candidate ", StringComparison.Ordinal))
                    progress.AtLeast(++done);
            };
            return positive is null
                ? ml.MulticlassClassification.SweepIStar(embedded, sweepOptions)
                : ml.BinaryClassification.SweepIStar(embedded, sweepOptions);
        });
        context.ThrowIfInterrupted();

        var table = new Table().AddColumn("λ").AddColumn("ζ")
            .AddColumn(new TableColumn("accuracy").RightAligned()).AddColumn(new TableColumn("sd").RightAligned());
        foreach (var c in result.Candidates)
        {
            var mark = c.Index == result.Best.Index ? "[bold]" : "";
            var end = mark.Length > 0 ? "[/]" : "";
            table.AddRow(mark + F(Value(c, nameof(IStarOptions.Lambda))) + end, mark + F(Value(c, nameof(IStarOptions.Zeta))) + end,
                mark + F(c.MeanScore) + end, mark + F(c.StandardDeviation) + end);
        }
        context.Console.Ansi.Write(table);
        var best = result.Best;
        context.Say($"best: λ = [bold]{F(Value(best, nameof(IStarOptions.Lambda)))}[/], ζ = [bold]{F(Value(best, nameof(IStarOptions.Zeta)))}[/] " +
                    $"with accuracy {F(best.MeanScore)} ± {F(best.StandardDeviation)} (mean ± sd over {result.Folds} folds)");
        if (output is not null)
        {
            AtomicFile.WriteAllText(output, Csv(result));
            context.Wrote(output, $"{result.Candidates.Count} candidates, one row each");
        }
        return ExitCodes.Ok;
    }

    /// <summary>The list option's values when the user gave it, else null.</summary>
    private static string[]? Given(ParseResult parse, Option<string[]> option) =>
        parse.GetResult(option) is { Implicit: false } && parse.GetValue(option) is { Length: > 0 } v ? v : null;

    private static double Value(IStarSweepCandidate candidate, string name) => Convert.ToDouble(candidate.Values[name], CultureInfo.InvariantCulture);

    /// <summary>lambda,zeta,mean_accuracy,sd,best,fold1..k — one row per candidate, invariant culture.</summary>
    private static string Csv(IStarSweepResult result)
    {
        var csv = new StringBuilder("lambda,zeta,mean_accuracy,sd,best");
        for (var k = 1; k <= result.Folds; k++) csv.Append(CultureInfo.InvariantCulture, $",fold{k}");
        csv.Append('\n');
        foreach (var c in result.Candidates)
        {
            csv.Append(CultureInfo.InvariantCulture,
                $"{R(Value(c, nameof(IStarOptions.Lambda)))},{R(Value(c, nameof(IStarOptions.Zeta)))},{R(c.MeanScore)},{R(c.StandardDeviation)},{(c.Index == result.Best.Index ? 1 : 0)}");
            foreach (var s in c.FoldScores) csv.Append(',').Append(R(s));
            csv.Append('\n');
        }
        return csv.ToString();
    }

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
