using System.Text.Json;

namespace MlNetIso.Cli.Tests.Verbs;

public class ReportVerbTests
{
    [Fact]
    public void VectorFileReport_WritesEveryArtifactWithTheRightNumbers()
    {
        // Four points using exactly two of three axes with equal variance: IsoScore = (k − 1)/(n − 1) = 0.5.
        var dir = CliRunner.NewTempDir();
        var path = Path.Combine(dir, "v.csv");
        File.WriteAllLines(path, ["x,y,z", "1,0,0", "-1,0,0", "0,1,0", "0,-1,0"]);
        var outDir = Path.Combine(dir, "out");
        var (code, output) = CliRunner.Run("report", "--vectors", path, "--out", outDir);
        Assert.True(code == CliApp.Ok, output);
        foreach (var f in new[] { "report.json", "report.md", "report.html", "spectrum.png", "rogue-dimensions.png" })
            Assert.True(new FileInfo(Path.Combine(outDir, f)).Length > 0, f);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        var text = json.RootElement.ToString();
        var report = MlNetIso.Transforms.Isotropy.IsotropyReport.Load(Path.Combine(outDir, "report.json"));
        Assert.Equal(4, report.Count);
        Assert.Equal(3, report.Dimension);
        Assert.Equal(0.5, report.IsoScore, 10);
        Assert.Contains("| IsoScore | 0.5 |", File.ReadAllText(Path.Combine(outDir, "report.md")));
        Assert.Contains("<img src=\"spectrum.png\"", File.ReadAllText(Path.Combine(outDir, "report.html")));
        Assert.StartsWith("\u0089PNG", System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(outDir, "spectrum.png")), 0, 4));
        Assert.False(string.IsNullOrEmpty(text));
    }

    private const string GloveTwitter = "glove-twitter-25d-12k/glove.twitter.27B.25d.top12k-subset.txt";

    [SharedDataFact(GloveTwitter)]
    public void GloveFileReport_MatchesTheDatasetReadme()
    {
        var glove = TestPaths.RequireSharedFile(GloveTwitter);
        var outDir = CliRunner.NewTempDir();
        var (code, log) = CliRunner.Run("report", "--vectors", glove, "--out", outDir, "--sample", "1000");
        Assert.True(code == CliApp.Ok, log);
        var report = MlNetIso.Transforms.Isotropy.IsotropyReport.Load(Path.Combine(outDir, "report.json"));
        Assert.Equal(11925, report.Count);
        Assert.Equal(0.60, report.CosineToMean, 2); // data/README.md: mean cos(v, mean) = 0.60
    }

    [Fact]
    public void TextReport_WithTheBundledEncoder_Succeeds()
    {
        var dir = CliRunner.NewTempDir();
        var input = Path.Combine(dir, "texts.txt");
        File.WriteAllLines(input, Enumerable.Range(0, 40).Select(i => $"this film number {i} was {(i % 2 == 0 ? "good" : "a boring mess")}"));
        var outDir = Path.Combine(dir, "out");
        var (code, output) = CliRunner.Run("report", "--input", input, "--out", outDir, "--model", CliRunner.DemoModel);
        Assert.True(code == CliApp.Ok, output);
        var report = MlNetIso.Transforms.Isotropy.IsotropyReport.Load(Path.Combine(outDir, "report.json"));
        Assert.Equal(40, report.Count);
        Assert.InRange(report.IsoScore, 0.0, 1.0);
        Assert.InRange(report.AverageCosineSimilarity, -1.0, 1.0);
    }
}
