using Microsoft.ML;
using Microsoft.ML.Data;

namespace MlNetIso.Cli.Tests.Verbs;

public class TrainVerbTests
{
    [Fact]
    public void Train_FitsEvaluatesAndSavesALoadablePipeline()
    {
        var dir = CliRunner.NewTempDir();
        var input = LabelledSentences(dir);
        var model = Path.Combine(dir, "m.zip");
        var r = CliRunner.Run("train", "--input", input, "--label", "Label", "--epochs", "3", "--output", model,
            "--model", CliRunner.DemoModel, "--lambda", "-1", "--limit", "50");
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Contains("Using a random (--seed 0) 50 of 60 rows", r.Output);
        Assert.Contains("test accuracy", r.Output);
        Assert.Contains("IsoScore", r.Output);
        Assert.Contains("m.zip", r.Output);
        var ml = new Microsoft.ML.MLContext(0);
        var loaded = Microsoft.ML.PackagedModelOperations.LoadPackaged(ml.Model, model, out var schema);
        Assert.NotNull(schema.GetColumnOrNull("Text"));
        var scored = loaded.Transform(ml.Data.LoadFromEnumerable(new[] { new { Text = "a wonderful film", Label = "pos" } }));
        Assert.NotNull(scored.Schema.GetColumnOrNull("PredictedLabel"));
        Assert.Empty(Directory.GetFiles(dir, ".*.tmp")); // written atomically: no temporary file left
    }

    [Fact]
    public void TrainWithPositive_FitsABinaryClassifierWithMlNetsBinaryColumns()
    {
        var dir = CliRunner.NewTempDir();
        var input = LabelledSentences(dir);
        var model = Path.Combine(dir, "binary.zip");
        var r = CliRunner.Run("train", "--input", input, "--label", "Label", "--positive", "pos", "--epochs", "3",
            "--output", model, "--model", CliRunner.DemoModel);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Contains("binary ('pos' vs the rest)", r.Output);
        Assert.Matches(@"AUC \d", r.Output);
        var ml = new Microsoft.ML.MLContext(0);
        var loaded = Microsoft.ML.PackagedModelOperations.LoadPackaged(ml.Model, model, out var schema);
        Assert.Equal(Microsoft.ML.Data.BooleanDataViewType.Instance, schema["Label"].Type);
        var scored = loaded.Transform(ml.Data.LoadFromEnumerable(new[] { new { Text = "a wonderful film", Label = true } }));
        Assert.Equal(Microsoft.ML.Data.BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        Assert.InRange(scored.GetColumn<float>("Probability").Single(), 0f, 1f);

        var unknown = CliRunner.Run("train", "--input", input, "--label", "Label", "--positive", "great", "--model", CliRunner.DemoModel,
            "--output", Path.Combine(dir, "x.zip"));
        Assert.Equal(ExitCodes.InputData, unknown.ExitCode);
        Assert.Contains("--positive 'great' is not one of the labels (neg, pos)", unknown.Error);
    }

    [Fact]
    public void Train_RejectsASingleClassAndAnEmptyLabel()
    {
        var dir = CliRunner.NewTempDir();
        var one = Path.Combine(dir, "one.csv");
        File.WriteAllLines(one, ["Text,Label", "good,pos", "great,pos", "fine,pos"]);
        var r = CliRunner.Run("train", "--input", one, "--label", "Label", "--model", CliRunner.DemoModel, "--output", Path.Combine(dir, "m.zip"));
        Assert.Equal(ExitCodes.InputData, r.ExitCode);
        Assert.Contains("fewer than two distinct labels", r.Error);

        var gap = Path.Combine(dir, "gap.csv");
        File.WriteAllLines(gap, ["Text,Label", "good,pos", "bad,", "fine,neg"]);
        r = CliRunner.Run("train", "--input", gap, "--label", "Label", "--model", CliRunner.DemoModel, "--output", Path.Combine(dir, "m.zip"));
        Assert.Equal(ExitCodes.InputData, r.ExitCode);
        Assert.Contains("Row 3 of", r.Error);
        Assert.Contains("has an empty label", r.Error);
    }

    [Fact]
    public void TrainWithInputButNoLabel_IsAUsageError()
    {
        var dir = CliRunner.NewTempDir();
        var path = Path.Combine(dir, "d.csv");
        File.WriteAllLines(path, ["Text,Label", "good,pos", "bad,neg"]);
        var r = CliRunner.Run("train", "--input", path);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--label NAME is required", r.Error);
    }

    /// <summary>A TSV (Text, Label) of 60 short reviews, "pos" and "neg" alternating.</summary>
    private static string LabelledSentences(string dir)
    {
        var input = Path.Combine(dir, "labelled.tsv");
        var good = new[] { "a wonderful , moving film", "brilliant acting and a great story", "funny , warm and smart" };
        var bad = new[] { "a dull , boring mess", "terrible plot and awful acting", "tedious and far too long" };
        File.WriteAllLines(input, ["Text\tLabel", .. Enumerable.Range(0, 60).Select(i => i % 2 == 0 ? $"{good[i % 3]}\tpos" : $"{bad[i % 3]}\tneg")]);
        return input;
    }
}
