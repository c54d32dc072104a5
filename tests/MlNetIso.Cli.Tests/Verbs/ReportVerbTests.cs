using System.Text.Json;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Cli.Tests.Verbs;

public class ReportVerbTests
{
    [Fact]
    public void VectorFileReport_WritesEveryArtifactWithTheRightNumbersAndReadings()
    {
        // Four points using exactly two of three axes with equal variance: IsoScore = (k − 1)/(n − 1) = 0.5.
        var dir = CliRunner.NewTempDir();
        var path = Path.Combine(dir, "v.csv");
        File.WriteAllLines(path, ["x,y,z", "1,0,0", "-1,0,0", "0,1,0", "0,-1,0"]);
        var outDir = Path.Combine(dir, "out");
        var r = CliRunner.Run("report", "--vectors", path, "--out", outDir);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        foreach (var f in new[] { "report.json", "report.md", "report.html", "spectrum.png", "rogue-dimensions.png" })
            Assert.True(new FileInfo(Path.Combine(outDir, f)).Length > 0, f);
        var report = IsotropyReport.Load(Path.Combine(outDir, "report.json"));
        Assert.Equal(4, report.Count);
        Assert.Equal(3, report.Dimension);
        Assert.Equal(0.5, report.IsoScore, 10);
        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("| IsoScore | 0.5000 | variance in about 2 of 3 directions — moderately isotropic |", md);
        Assert.Contains("**IsoScore 0.50: variance in about 2 of 3 directions — moderately isotropic**", md);
        Assert.Contains("| Top-dimension variance share | 50.0 % |", md); // a share is a percentage, as on the plots
        var html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("<img src=\"spectrum.png\"", html);
        Assert.Contains("moderately isotropic", html);
        Assert.DoesNotContain(outDir, md + html); // the charts are referenced relative to the report
        Assert.StartsWith("\u0089PNG", System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(Path.Combine(outDir, "spectrum.png")), 0, 4));
        Assert.Contains("IsoScore 0.50: variance in about 2 of 3 directions — moderately isotropic", r.Output);
    }

    [Fact]
    public void TwoVectorFiles_AreComparedInOneTableAndOneChartPerMeasure()
    {
        var dir = CliRunner.NewTempDir();
        var flat = Path.Combine(dir, "flat.csv");
        var round = Path.Combine(dir, "round.csv");
        var rng = new Random(1);
        File.WriteAllLines(flat, Enumerable.Range(0, 200).Select(_ => $"{rng.NextDouble() * 10},{rng.NextDouble() * 0.1},{rng.NextDouble() * 0.1},{rng.NextDouble() * 0.1}"));
        File.WriteAllLines(round, Enumerable.Range(0, 200).Select(_ => string.Join(',', Enumerable.Range(0, 4).Select(_ => Gaussian(rng)))));
        var outDir = Path.Combine(dir, "out");
        var r = CliRunner.Run("report", "--vectors", flat, "--vectors", round, "--out", outDir);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        var a = IsotropyReport.Load(Path.Combine(outDir, "report-1.json"));
        var b = IsotropyReport.Load(Path.Combine(outDir, "report-2.json"));
        Assert.True(a.IsoScore < 0.1 && b.IsoScore > 0.8, $"{a.IsoScore} {b.IsoScore}");
        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("| measure | flat.csv | round.csv |", md);
        Assert.Contains("strongly anisotropic", md);
        Assert.Contains("close to isotropic", md);
        foreach (var key in new[] { "isoscore", "average-cosine", "twonn", "top-dimension-share" })
            Assert.True(File.Exists(Path.Combine(outDir, $"compare-{key}.png")), key);
        Assert.Contains("compare-isoscore.png", File.ReadAllText(Path.Combine(outDir, "report.html")));
    }

    [Fact]
    public void TwoTemperatures_OnTexts_AreComparedSideBySide()
    {
        var dir = CliRunner.NewTempDir();
        var input = CliRunner.Texts(dir, 40);
        var outDir = Path.Combine(dir, "out");
        var r = CliRunner.Run("report", "--input", input, "--model", CliRunner.DemoModel, "--temperature", "1,0.5", "--out", outDir);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("| measure | τ = 1 | τ = 0.5 |", md);
        Assert.Equal(40, IsotropyReport.Load(Path.Combine(outDir, "report-2.json")).Count);
        Assert.NotEqual(IsotropyReport.Load(Path.Combine(outDir, "report-1.json")).IsoScore, IsotropyReport.Load(Path.Combine(outDir, "report-2.json")).IsoScore);
    }

    private const string GloveTwitter = "glove-twitter-25d-12k/glove.twitter.27B.25d.top12k-subset.txt";

    [SharedDataFact(GloveTwitter)]
    public void GloveFileReport_MatchesTheDatasetReadme()
    {
        var glove = TestPaths.RequireSharedFile(GloveTwitter);
        var outDir = CliRunner.NewTempDir();
        var r = CliRunner.Run("report", "--vectors", glove, "--out", outDir, "--sample", "1000");
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        var report = IsotropyReport.Load(Path.Combine(outDir, "report.json"));
        Assert.Equal(11925, report.Count);
        Assert.Equal(0.60, report.CosineToMean, 2); // data/README.md: mean cos(v, mean) = 0.60
    }

    [Fact]
    public void TextReport_WithTheBundledEncoder_Succeeds()
    {
        var dir = CliRunner.NewTempDir();
        var input = CliRunner.Texts(dir, 40);
        var outDir = Path.Combine(dir, "out");
        var r = CliRunner.Run("report", "--input", input, "--out", outDir, "--model", CliRunner.DemoModel);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "report.json")));
        var report = IsotropyReport.Load(Path.Combine(outDir, "report.json"));
        Assert.Equal(40, report.Count);
        Assert.InRange(report.IsoScore, 0.0, 1.0);
        Assert.Contains("wrote out/report.html", r.Output.Replace(dir + "/", "", StringComparison.Ordinal));
    }

    [Fact]
    public void TextReport_WithoutModel_EmbedsWithAllMiniLm()
    {
        var dir = CliRunner.NewTempDir();
        var input = Path.Combine(dir, "texts.txt");
        File.WriteAllLines(input, File.ReadLines(Path.Combine(CliRunner.RepoRoot, "data", "rt-sentence-polarity-v1", "rt-polarity.pos")).Take(24));
        var outDir = Path.Combine(dir, "out");

        var r = CliRunner.Run("report", "--input", input, "--out", outDir);

        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Equal("all-MiniLM-L6-v2", Arguments.ModelReference.Default);
        Assert.Contains("measuring all-MiniLM-L6-v2", r.Output);
        var report = IsotropyReport.Load(Path.Combine(outDir, "report.json"));
        Assert.Equal((24L, 384), (report.Count, report.Dimension));
    }

    [Fact]
    public void TextReport_UnknownModelName_IsAFileSystemErrorListingTheNames()
    {
        var r = CliRunner.Run("report", "--input", Path.Combine(CliRunner.RepoRoot, "data", "rt-sentence-polarity-v1", "rt-polarity.pos"),
            "--model", "all-MiniLM-L12-v2", "--out", CliRunner.NewTempDir());

        Assert.Equal(ExitCodes.FileSystem, r.ExitCode);
        Assert.Contains("all-MiniLM-L12-v2", r.Error);
        Assert.Contains("all-MiniLM-L6-v2, snowflake-arctic-embed-xs, mlnetiso-mini", r.Error);
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
