using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MlNetIso.Cli.Arguments;
using MlNetIso.Cli.Inputs;
using MlNetIso.Cli.IO;
using MlNetIso.Onnx.IO;
using MlNetIso.Trainers.IStar;
using Spectre.Console;

namespace MlNetIso.Cli.Verbs;

/// <summary>
/// <c>train</c>: an I-STAR classifier (Rudman &amp; Eickhoff, arXiv 2305.19358) in head-only mode on TempScale embeddings
/// of a labelled text file: loss = cross-entropy + λ·(1 − IsoScore*). Multiclass by default; with <c>--positive LABEL</c>
/// the binary trainer on "label = LABEL". Prints test metrics and the isotropy of the learned representation, and
/// saves the whole pipeline (embedding → classifier) as one package — after checking, before training, that the
/// output can be written.
/// </summary>
internal sealed partial class TrainVerb : Verb
{
    private const int DefaultLimit = 2000;
    private readonly LabelledInputArguments _data = new(DefaultLimit, "training time grows with it",
        "Train a binary classifier: this label value against all others (ML.NET's binary Score/Probability/PredictedLabel columns).");
    private readonly EncoderArguments _encoder = new();
    private readonly Option<double> _lambda = CliOption.Create("--lambda", "λ of the I-STAR penalty λ·(1 − IsoScore*): < 0 makes the representation less isotropic, > 0 more.", -1.0).InRange(-1000, 1000);
    private readonly Option<double> _zeta = CliOption.Create("--zeta", "ζ, the shrinkage of the batch covariance towards the stored bank in IsoScore*.", 0.2).InRange(0, 1);
    private readonly Option<int> _epochs = CliOption.Create("--epochs", "Passes over the training rows.", 5).InRange(1, 10_000);
    private readonly Option<int> _hidden = CliOption.Create("--hidden", "Width of the classifier's hidden layer (the representation I-STAR shapes).", 64).InRange(1, 65_536);
    private readonly Option<double> _testFraction = CliOption.Create("--test-fraction", "Share of the rows held out for the test metrics.", 0.2).InRange(0.01, 0.99);
    private readonly Option<int> _seed = CliOption.Create("--seed", "Seed of the shuffle, the train/test split and the weights.", 0);
    private readonly Option<int?> _threads = CliOption.TorchThreads();
    private readonly Option<string> _output = CliOption.Create("--output", "The model package to write (load it with LoadPackaged).", Path.Combine("out", "istar-model.zip"));

    public TrainVerb()
    {
        _output.HelpName = "file";
    }

    public override string Name => "train";
    public override string Summary => "Train an I-STAR classifier (head-only) on a labelled file, print test metrics and isotropy, save the pipeline.";
    public override int Order => 50;
    public override IEnumerable<Option> Options =>
        [.. _data.All, .. _encoder.All, _lambda, _zeta, _epochs, _hidden, _testFraction, _seed, _threads, _output];

    public override int Run(ParseResult parse, VerbContext context)
    {
        var output = parse.GetValue(_output)!;
        var positive = parse.GetValue(_data.Positive);
        var seed = parse.GetValue(_seed);
        _data.CheckUsage(parse);
        OutputPaths.EnsureWritableFile(output, "--output"); // before any training: a typo must not cost the run

        var rows = _data.Load(parse, seed, context);
        var model = _encoder.Models(parse)[0];
        var temperature = _encoder.Temperatures(parse)[0];
        var encoder = _encoder.For(parse, model, temperature, context);
        var lambda = parse.GetValue(_lambda);
        var zeta = parse.GetValue(_zeta);
        var epochs = parse.GetValue(_epochs);

        var ml = context.NewMLContext(seed);
        var options = new IStarOptions
        {
            FeatureColumnName = "Features",
            Lambda = lambda,
            Zeta = zeta,
            Epochs = epochs,
            HiddenSize = parse.GetValue(_hidden),
            Seed = seed,
            CancellationToken = context.Interrupt,
            NumberOfThreads = parse.GetValue(_threads),
        };
        var testFraction = parse.GetValue(_testFraction);
        var task = positive is null ? "multiclass" : $"binary ('{positive}' vs the rest)";
        context.Say($"Training {Markup.Escape(task)} I-STAR (λ = {F(lambda)}, ζ = {F(zeta)}, {epochs} epochs) on {rows.Count:N0} rows " +
                    $"({(1 - testFraction).ToString("P0", CultureInfo.InvariantCulture)} for training) with {Markup.Escape(EncoderArguments.Describe(model, temperature))}.");
        var (trained, all, split) = context.WithProgress("embedding the rows", rows.Count, progress =>
        {
            // The trainer logs "I-STAR epoch e/n" per epoch: the second step of the display follows it.
            var training = false;
            ml.Log += (_, e) =>
            {
                var m = EpochMessage().Match(e.Message);
                if (!m.Success) return;
                if (!training)
                {
                    training = true;
                    progress.Step($"training {epochs} epochs", epochs);
                }
                progress.AtLeast(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            };
            var data = positive is null
                ? ml.Data.LoadFromEnumerable(LabelledRows.Tracked(rows, progress, context))
                : ml.Data.LoadFromEnumerable(LabelledRows.Tracked(rows, progress, context).Select(r => new BinaryLabelledRow { Text = r.Text, Label = r.Label == positive }));
            var parts = ml.Data.TrainTestSplit(data, testFraction, seed: seed);
            var embedding = ml.Transforms.Text.ApplyTempScaleEmbedding("Features", nameof(LabelledRow.Text), encoder);
            var pipeline = positive is null
                ? ml.Transforms.Conversion.MapValueToKey("Label").Append(embedding).Append(ml.MulticlassClassification.Trainers.IStar(options))
                : embedding.Append(ml.BinaryClassification.Trainers.IStar(options));
            return (pipeline.Fit(parts.TrainSet), data, parts);
        });
        context.ThrowIfInterrupted();
        var scored = trained.Transform(split.TestSet);
        var istar = ((IEnumerable<ITransformer>)trained).OfType<IStarTransformer>().Single();
        var iso = istar.MeasureRepresentationIsotropy(scored); // scored passes the embedding column through
        var table = new Table().AddColumn("epoch").AddColumn(new TableColumn("loss").RightAligned())
            .AddColumn(new TableColumn("task loss").RightAligned()).AddColumn(new TableColumn("IsoScore*").RightAligned());
        foreach (var e in istar.TrainingHistory)
            table.AddRow(e.Epoch.ToString(CultureInfo.InvariantCulture), F(e.Loss), F(e.TaskLoss), F(e.IsoScoreStar));
        context.Console.Ansi.Write(table);
        if (positive is null)
        {
            var metrics = ml.MulticlassClassification.Evaluate(scored);
            context.Say($"test accuracy (micro) [bold]{F(metrics.MicroAccuracy)}[/], macro {F(metrics.MacroAccuracy)}, log-loss {F(metrics.LogLoss)}");
        }
        else
        {
            var metrics = ml.BinaryClassification.Evaluate(scored);
            context.Say($"test accuracy [bold]{F(metrics.Accuracy)}[/], AUC {F(metrics.AreaUnderRocCurve)}, F1 {F(metrics.F1Score)}, log-loss {F(metrics.LogLoss)}");
        }
        context.Say($"representation on the test set: IsoScore [bold]{F(iso.IsoScore)}[/], IsoScore* {F(iso.IsoScoreStar)} ({iso.Points:N0} points, d = {iso.Dimension})");

        AtomicFile.Write(output, stream => ml.Model.SavePackaged(trained, all.Schema, stream));
        context.Wrote(output, "the whole pipeline: embedding and classifier; load it with LoadPackaged");
        return ExitCodes.Ok;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"I-STAR epoch (\d+)/\d+")]
    private static partial System.Text.RegularExpressions.Regex EpochMessage();

    private static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
}
