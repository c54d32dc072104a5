using System.Globalization;

namespace MlNetIso.Cli.Tests.Verbs;

public class CollapseVerbTests
{
    [Fact]
    public void Collapse_WritesTableCsvAndPlotPerTemperature()
    {
        var dir = CliRunner.NewTempDir();
        // Short and long texts so that two 20-token buckets are filled.
        var input = CliRunner.Texts(dir, 12, i => string.Join(' ', Enumerable.Repeat("the film was good and the plot was fun", i % 2 == 0 ? 1 : 4)));
        var outDir = Path.Combine(dir, "out");
        var r = CliRunner.Run("collapse", "--input", input, "--out", outDir, "--temperature", "1,0.5", "--bucket", "20", "--model", CliRunner.DemoModel);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
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
    public void Collapse_ChunksLongTextsOfATsvColumn()
    {
        // Four texts that share their first 14 words and differ after them: truncated to 16 tokens ([CLS] + 14 + [SEP])
        // they embed identically (mean cosine 1); chunked, their different endings count too.
        var dir = CliRunner.NewTempDir();
        var input = Path.Combine(dir, "reviews.tsv");
        var prefix = string.Join(' ', Enumerable.Range(0, 14).Select(i => i % 2 == 0 ? "good" : "film"));
        string[] endings = ["terrible", "wonderful", "boring", "funny"];
        File.WriteAllLines(input, ["id\treview\tscore", .. endings.Select((e, i) => $"{i}\t{prefix} {string.Join(' ', Enumerable.Repeat(e, 40))}\t{i}")]);
        string[] common = ["collapse", "--input", input, "--column", "review", "--model", CliRunner.DemoModel, "--temperature", "1",
            "--max-tokens", "16", "--bucket", "1000"];
        var truncated = CliRunner.Run([.. common, "--out", Path.Combine(dir, "t")]);
        var chunked = CliRunner.Run([.. common, "--out", Path.Combine(dir, "c"), "--long-text", "chunk"]);
        Assert.True(truncated.ExitCode == ExitCodes.Ok, truncated.ToString());
        Assert.True(chunked.ExitCode == ExitCodes.Ok, chunked.ToString());
        var t = File.ReadAllLines(Path.Combine(dir, "t", "collapse.csv"))[1].Split(',');
        var c = File.ReadAllLines(Path.Combine(dir, "c", "collapse.csv"))[1].Split(',');
        Assert.Equal("4", t[2]);
        Assert.Equal("4", c[2]);
        Assert.Equal(1.0, double.Parse(t[3], CultureInfo.InvariantCulture), 5);
        Assert.True(double.Parse(c[3], CultureInfo.InvariantCulture) < 0.9999, string.Join(',', c));
    }

    [Fact]
    public void DefaultLimit_IsSaidWhenItDropsRows()
    {
        var dir = CliRunner.NewTempDir();
        var input = CliRunner.Texts(dir, 430, i => $"text {i}");
        var r = CliRunner.Run("collapse", "--input", input, "--model", CliRunner.DemoModel, "--temperature", "1", "--out", Path.Combine(dir, "out"));
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        Assert.Contains("note: using the first 400 of 430 texts: the default --limit is 400; --limit 0 uses all of them.", r.Output);
        var explicitLimit = CliRunner.Run("collapse", "--input", input, "--model", CliRunner.DemoModel, "--temperature", "1", "--limit", "20", "--out", Path.Combine(dir, "out2"));
        Assert.Contains("Using the first 20 of 430 texts (--limit 20).", explicitLimit.Output);
    }
}
