using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace MlNetIso.Cli.Tests.Verbs;

/// <summary>End-to-end runs of the collapse, tempscale, embed and train verbs on tiny inputs with the bundled encoder.</summary>
public class VerbTests
{
    private static string Texts(string dir, int count, Func<int, string> text)
    {
        var path = Path.Combine(dir, "texts.txt");
        File.WriteAllLines(path, Enumerable.Range(0, count).Select(text));
        return path;
    }

    [Fact]
    public void TempScale_WritesARewrittenModelThatRuns()
    {
        var dir = CliRunner.NewTempDir();
        var output = Path.Combine(dir, "tau.onnx");
        var (code, log) = CliRunner.Run("tempscale", "--model", CliRunner.DemoModel, "--temperature", "0.5", "--output", output);
        Assert.True(code == CliApp.Ok, log);
        Assert.Contains("Rewrote 2 attention softmax site(s)", log); // the demo encoder has 2 layers
        using var session = new InferenceSession(output);
        Assert.Contains("last_hidden_state", session.OutputMetadata.Keys);
        Assert.Equal("0.5", session.ModelMetadata.CustomMetadataMap["mlnetiso.tempscale"]);
    }

    [Fact]
    public void Embed_WritesOneRowPerTextInCsvAndBinary()
    {
        var dir = CliRunner.NewTempDir();
        var input = Texts(dir, 7, i => i == 3 ? "" : $"review number {i} is rather good");
        var csv = Path.Combine(dir, "e.csv");
        var (code, log) = CliRunner.Run("embed", "--input", input, "--output", csv, "--model", CliRunner.DemoModel);
        Assert.True(code == CliApp.Ok, log);
        var rows = File.ReadAllLines(csv).Select(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal(7, rows.Length);
        Assert.All(rows, r => Assert.Equal(128, r.Length));
        Assert.All(rows, r => Assert.Equal(1.0, Math.Sqrt(r.Sum(v => (double)v * v)), 4)); // L2-normalised

        var bin = Path.Combine(dir, "e.bin");
        (code, log) = CliRunner.Run("embed", "--input", input, "--output", bin, "--format", "bin", "--model", CliRunner.DemoModel);
        Assert.True(code == CliApp.Ok, log);
        using var reader = new BinaryReader(File.OpenRead(bin));
        Assert.Equal(7, reader.ReadInt32());
        Assert.Equal(128, reader.ReadInt32());
        for (var i = 0; i < 128; i++) Assert.Equal(rows[0][i], reader.ReadSingle(), 5);
        Assert.Equal(8 + 7 * 128 * 4, new FileInfo(bin).Length);
    }

    [Fact]
    public void Collapse_WritesTableCsvAndPlotPerTemperature()
    {
        var dir = CliRunner.NewTempDir();
        // Short and long texts so that two 20-token buckets are filled.
        var input = Texts(dir, 12, i => string.Join(' ', Enumerable.Repeat("the film was good and the plot was fun", i % 2 == 0 ? 1 : 4)));
        var outDir = Path.Combine(dir, "out");
        var (code, log) = CliRunner.Run("collapse", "--input", input, "--out", outDir, "--temperatures", "1,0.5",
            "--bucket", "20", "--model", CliRunner.DemoModel);
        Assert.True(code == CliApp.Ok, log);
        var csv = File.ReadAllLines(Path.Combine(outDir, "collapse.csv"));
        Assert.Equal("min_tokens,max_tokens,count,tau_1,tau_0.5", csv[0]);
        var counts = csv.Skip(1).Select(l => int.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(12, counts.Sum());
        Assert.True(counts.Count(c => c > 0) >= 2, string.Join(";", csv));
        foreach (var line in csv.Skip(1).Where(l => int.Parse(l.Split(',')[2], CultureInfo.InvariantCulture) >= 2))
            Assert.All(line.Split(',').Skip(3), v => Assert.InRange(double.Parse(v, CultureInfo.InvariantCulture), -1.0, 1.0 + 1e-9));
        Assert.True(new FileInfo(Path.Combine(outDir, "collapse.png")).Length > 1000);
        Assert.Contains("τ", File.ReadAllText(Path.Combine(outDir, "collapse.md")));
    }

    [Fact]
    public void Train_FitsEvaluatesAndSavesALoadablePipeline()
    {
        var dir = CliRunner.NewTempDir();
        var input = LabelledSentences(dir);
        var model = Path.Combine(dir, "m.zip");
        var (code, log) = CliRunner.Run("train", "--input", input, "--label", "Label", "--epochs", "3", "--output", model,
            "--model", CliRunner.DemoModel, "--lambda", "-1");
        Assert.True(code == CliApp.Ok, log);
        Assert.Contains("test accuracy", log);
        Assert.Contains("IsoScore", log);
        var ml = new Microsoft.ML.MLContext(0);
        var loaded = Microsoft.ML.PackagedModelOperations.LoadPackaged(ml.Model, model, out var schema);
        Assert.NotNull(schema.GetColumnOrNull("Text"));
        var scored = loaded.Transform(ml.Data.LoadFromEnumerable(new[] { new { Text = "a wonderful film", Label = "pos" } }));
        Assert.NotNull(scored.Schema.GetColumnOrNull("PredictedLabel"));
    }

    [Fact]
    public void TrainWithPositive_FitsABinaryClassifierWithMlNetsBinaryColumns()
    {
        var dir = CliRunner.NewTempDir();
        var input = LabelledSentences(dir);
        var model = Path.Combine(dir, "binary.zip");
        var (code, log) = CliRunner.Run("train", "--input", input, "--label", "Label", "--positive", "pos", "--epochs", "3",
            "--output", model, "--model", CliRunner.DemoModel);
        Assert.True(code == CliApp.Ok, log);
        Assert.Contains("binary ('pos' vs the rest)", log);
        Assert.Matches(@"AUC \d", log);
        var ml = new Microsoft.ML.MLContext(0);
        var loaded = Microsoft.ML.PackagedModelOperations.LoadPackaged(ml.Model, model, out var schema);
        Assert.Equal(Microsoft.ML.Data.BooleanDataViewType.Instance, schema["Label"].Type);
        var scored = loaded.Transform(ml.Data.LoadFromEnumerable(new[] { new { Text = "a wonderful film", Label = true } }));
        Assert.Equal(Microsoft.ML.Data.BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        var probability = scored.GetColumn<float>("Probability").Single();
        Assert.InRange(probability, 0f, 1f);

        var (unknown, message) = CliRunner.Run("train", "--input", input, "--label", "Label", "--positive", "great", "--model", CliRunner.DemoModel);
        Assert.Equal(CliApp.InputError, unknown);
        Assert.Contains("--positive 'great' is not one of the labels (neg, pos)", message);
    }

    [Fact]
    public void Train_RejectsASingleClass()
    {
        var dir = CliRunner.NewTempDir();
        var input = Path.Combine(dir, "one.csv");
        File.WriteAllLines(input, ["Text,Label", "good,pos", "great,pos", "fine,pos"]);
        var (code, log) = CliRunner.Run("train", "--input", input, "--label", "Label", "--model", CliRunner.DemoModel);
        Assert.Equal(CliApp.InputError, code);
        Assert.Contains("fewer than two distinct labels", log);
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
