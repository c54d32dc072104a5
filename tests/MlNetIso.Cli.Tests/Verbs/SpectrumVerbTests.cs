using System.Globalization;
using MlNetIso.Geometry;
using Microsoft.ML;
using MlNetIso.Onnx.Weights;
using MlNetIso.Trainers.IStar;

namespace MlNetIso.Cli.Tests.Verbs;

public class SpectrumVerbTests
{
    private static string[][] ReadCsv(string path) => File.ReadAllLines(path).Select(l => l.Split(',')).ToArray();

    private static double Col(string[][] csv, string[] row, string column) =>
        double.Parse(row[Array.IndexOf(csv[0], column)], CultureInfo.InvariantCulture);

    [Fact]
    public void IStarPackage_HeadMatrices_MatchTheModelsOwnWeights()
    {
        var dir = CliRunner.NewTempDir();
        var package = Path.Combine(dir, "istar.zip");
        var train = CliRunner.Run("train", "--model", CliRunner.DemoModel, "--limit", "200", "--epochs", "1", "--hidden", "16", "--output", package);
        Assert.True(train.ExitCode == ExitCodes.Ok, train.ToString());
        var outDir = Path.Combine(dir, "out");
        var r = CliRunner.Run("spectrum", "--model", package, "--no-plot", "--out", outDir);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());

        var csv = ReadCsv(Path.Combine(outDir, "spectrum.csv"));
        Assert.Equal(["head.hidden.weight", "head.output.weight"], csv.Skip(1).Select(l => l[0]).Order(StringComparer.Ordinal));
        var model = new MLContext(seed: 0).Model.LoadPackaged(package, out _);
        var istar = ((IEnumerable<ITransformer>)model).OfType<IStarTransformer>().Single();
        foreach (var m in istar.Model.GetWeightMatrices())
        {
            var row = csv.Single(l => l[0] == m.Name);
            Assert.Equal([m.Rows.ToString(CultureInfo.InvariantCulture), m.Columns.ToString(CultureInfo.InvariantCulture), "Head"],
                [row[Array.IndexOf(csv[0], "rows")], row[Array.IndexOf(csv[0], "columns")], row[Array.IndexOf(csv[0], "role")]]);
            var direct = SingularSpectrum.Measure(m.Values, m.Rows, m.Columns);
            Assert.Equal(direct.SingularValues[0], Col(csv, row, "sigma_max"), 1e-9 * direct.SingularValues[0]);
            Assert.Equal(direct.StableRank, Col(csv, row, "stable_rank"), 1e-7);
        }
        Assert.Equal((16, 128), istar.Model.GetWeightMatrices().Where(m => m.Name == "head.hidden.weight").Select(m => (m.Rows, m.Columns)).Single());
    }

    [Fact]
    public void PackageWithoutIStar_IsAnInputError()
    {
        var dir = CliRunner.NewTempDir();
        var package = Path.Combine(dir, "embed-only.zip");
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "a film" } });
        var pipeline = ml.Transforms.Text.ApplyTempScaleEmbedding("Embedding", CliRunner.DemoModel, inputColumnName: "Text");
        ml.Model.SavePackaged(pipeline.Fit(data), data.Schema, package);
        var r = CliRunner.Run("spectrum", "--model", package, "--no-plot", "--out", Path.Combine(dir, "out"));
        Assert.True(r.ExitCode == ExitCodes.InputData, r.ToString());
        Assert.Contains("holds no I-STAR model", r.Error);
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    [Fact]
    public void DemoEncoder_EveryMatrix_MatchesTheSpectrumComputedDirectly()
    {
        var dir = CliRunner.NewTempDir();
        var outDir = Path.Combine(dir, "out");
        var r = CliRunner.Run("spectrum", "--model", CliRunner.DemoModel, "--out", outDir);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Contains("encoder.layer.1.intermediate.dense.weight", r.Output);
        Assert.Contains("FFN in", r.Output);

        var csv = ReadCsv(Path.Combine(outDir, "spectrum.csv"));
        var weights = OnnxWeightMatrices.Open(CliRunner.DemoModel);
        Assert.Equal(15, weights.Matrices.Count);
        Assert.Equal(weights.Matrices.Count + 1, csv.Length);
        foreach (var row in csv.Skip(1))
        {
            var m = weights.Find(row[0])!;
            var direct = SingularSpectrum.Measure(weights.ReadValues(m), m.Rows, m.Columns);
            Assert.Equal(direct.SingularValues[0], Col(csv, row, "sigma_max"), 1e-9 * direct.SingularValues[0]);
            Assert.Equal(direct.SingularEntropy, Col(csv, row, "singular_entropy"), 1e-9);
            Assert.Equal(direct.EffectiveRank, Col(csv, row, "effective_rank"), 1e-7);
            Assert.Equal(direct.StableRank, Col(csv, row, "stable_rank"), 1e-7);
            Assert.Equal(direct.ShareBelowTolerance, Col(csv, row, "share_below_tolerance"));
        }
        Assert.Equal(["0", "Query"], csv.Single(l => l[0] == "encoder.layer.0.attention.self.query.weight")[2..4]);
        Assert.True(new FileInfo(Path.Combine(outDir, "spectrum.png")).Length > 1000);
        Assert.True(new FileInfo(Path.Combine(outDir, "spectrum-layers.png")).Length > 1000);
    }

    [Fact]
    public void OneTensor_FromOnnxOrSafetensors_GivesTheSameRow()
    {
        var dir = CliRunner.NewTempDir();
        const string name = "encoder.layer.0.attention.self.value.weight";
        var onnx = CliRunner.Run("spectrum", "--model", "mlnetiso-mini", "--tensor", name, "--tolerance", "0.05", "--no-plot", "--out", Path.Combine(dir, "a"));
        var st = CliRunner.Run("spectrum", "--model", Path.Combine(CliRunner.RepoRoot, "models", "mlnetiso-mini", "model.safetensors"),
            "--tensor", name, "--tolerance", "0.05", "--no-plot", "--out", Path.Combine(dir, "b"));
        Assert.True(onnx.ExitCode == ExitCodes.Ok, onnx.ToString());
        Assert.True(st.ExitCode == ExitCodes.Ok, st.ToString());
        var a = ReadCsv(Path.Combine(dir, "a", "spectrum.csv"));
        var b = ReadCsv(Path.Combine(dir, "b", "spectrum.csv"));
        Assert.Equal(2, a.Length);
        Assert.Equal(2, b.Length);
        foreach (var column in new[] { "sigma_max", "singular_entropy", "effective_rank", "stable_rank", "share_below_tolerance", "tolerance" })
            Assert.Equal(Col(b, b[1], column), Col(a, a[1], column), 1e-9);
        Assert.Equal(0.05, Col(a, a[1], "tolerance"));
        Assert.False(File.Exists(Path.Combine(dir, "a", "spectrum.png")));
    }

    [Fact]
    public void List_ShowsMatricesWithoutWritingAnything()
    {
        var dir = CliRunner.NewTempDir();
        var r = CliRunner.Run("spectrum", "--model", CliRunner.DemoModel, "--list", "--out", Path.Combine(dir, "out"));
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Contains("8000 × 128", r.Output);
        Assert.Contains("Gather", r.Output);
        Assert.Contains("15 weight matrices", r.Output);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")));
    }

    [Fact]
    public void BadInput_GivesTheDocumentedExitCodes()
    {
        var dir = CliRunner.NewTempDir();
        var unknown = CliRunner.Run("spectrum", "--model", CliRunner.DemoModel, "--tensor", "query", "--out", Path.Combine(dir, "x"));
        Assert.Equal(ExitCodes.InputData, unknown.ExitCode);
        Assert.Contains("no 2-D weight matrix named 'query'", unknown.Error);
        Assert.Contains("encoder.layer.0.attention.self.query.weight", unknown.Error);

        var tolerance = CliRunner.Run("spectrum", "--model", CliRunner.DemoModel, "--tolerance", "0");
        Assert.Equal(ExitCodes.Usage, tolerance.ExitCode);

        var missing = CliRunner.Run("spectrum", "--model", Path.Combine(dir, "nothing.safetensors"));
        Assert.Equal(ExitCodes.FileSystem, missing.ExitCode);

        var corrupt = Path.Combine(dir, "model.onnx");
        File.WriteAllBytes(corrupt, [9, 9, 9, 9]);
        var bad = CliRunner.Run("spectrum", "--model", corrupt, "--out", Path.Combine(dir, "y"));
        Assert.Equal(ExitCodes.InputData, bad.ExitCode);
        Assert.Contains("model.onnx", bad.Error);
    }
}
