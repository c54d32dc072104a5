using System.Globalization;

namespace MlNetIso.Cli.Tests.Verbs;

public class LayersVerbTests
{
    [Fact]
    public void DemoEncoder_TwoTemperatures_WritesARowPerLayerAndAPlotPerMeasure()
    {
        var dir = CliRunner.NewTempDir();
        var input = CliRunner.Texts(dir, 16);
        var outDir = Path.Combine(dir, "out");
        var r = CliRunner.Run("layers", "--input", input, "--model", CliRunner.DemoModel, "--temperature", "1,0.5", "--out", outDir);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Contains("IsoScore", r.Output);

        var csv = File.ReadAllLines(Path.Combine(outDir, "layers.csv")).Select(l => l.Split(',')).ToArray();
        Assert.Equal(["model", "tau", "layer", "texts", "dimension"], csv[0][..5]);
        Assert.Equal(1 + 2 * 3, csv.Length); // 2 τ × (embedding output + 2 layers)
        Assert.All(csv.Skip(1), row => Assert.Equal(("16", "128"), (row[3], row[4])));
        int iso = Array.IndexOf(csv[0], "isoscore");
        double Value(string tau, string layer, int column) =>
            double.Parse(csv.Single(row => row[1] == tau && row[2] == layer)[column], CultureInfo.InvariantCulture);
        Assert.Equal(Value("1", "0", iso), Value("0.5", "0", iso)); // τ acts inside attention: the embedding output is unchanged
        Assert.NotEqual(Value("1", "2", iso), Value("0.5", "2", iso));
        Assert.All(csv.Skip(1), row => Assert.InRange(double.Parse(row[iso], CultureInfo.InvariantCulture), 0.0, 1.0));
        foreach (var measure in new[] { "isoscore", "average-cosine", "matrix-entropy", "token-matrix-entropy", "effective-rank-covariance", "twonn" })
            Assert.True(new FileInfo(Path.Combine(outDir, $"layers-{measure}.png")).Length > 1000, measure);
        Assert.Contains("| layer |", File.ReadAllText(Path.Combine(outDir, "layers.md")));
    }

    [Fact]
    public void ChunkingAndSingleTexts_AreRejected()
    {
        var dir = CliRunner.NewTempDir();
        var chunk = CliRunner.Run("layers", "--input", CliRunner.Texts(dir, 4), "--model", CliRunner.DemoModel, "--long-text", "chunk", "--out", Path.Combine(dir, "a"));
        Assert.Equal(ExitCodes.Usage, chunk.ExitCode);
        Assert.Contains("--long-text chunk", chunk.Error);
        var one = CliRunner.Run("layers", "--input", CliRunner.Texts(dir, 1, name: "one.txt"), "--model", CliRunner.DemoModel, "--out", Path.Combine(dir, "b"));
        Assert.Equal(ExitCodes.InputData, one.ExitCode);
    }
}
