using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using MlNetIso.Transforms.Isotropy;

namespace MlNetIso.Cli.Tests.Verbs;

/// <summary>Outputs chain: tempscale writes an encoder folder that embed takes as --model; embed's CSV and .npy feed report --vectors.</summary>
public class ChainTests
{
    [Fact]
    public void TempScaleFolder_EmbedsAsTheOriginalModelAtThatTemperature_AndEmbedOutputsFeedReport()
    {
        var dir = CliRunner.NewTempDir();
        var folder = Path.Combine(dir, "demo-tau0.5");
        var rewrite = CliRunner.Run("tempscale", "--model", Path.GetDirectoryName(CliRunner.DemoModel)!, "--temperature", "0.5", "--output", folder);
        Assert.True(rewrite.ExitCode == ExitCodes.Ok, rewrite.ToString());
        Assert.Contains("Rewrote 2 attention softmax site(s)", rewrite.Output); // the demo encoder has 2 layers
        Assert.Contains("mlnetiso embed --model", rewrite.Output);
        foreach (var file in new[] { "model.onnx", "vocab.txt", "config.json" })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        using (var session = new InferenceSession(Path.Combine(folder, "model.onnx")))
            Assert.Equal("0.5", session.ModelMetadata.CustomMetadataMap["mlnetiso.tempscale"]);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(CliRunner.DemoModel)!, "vocab.txt")), File.ReadAllBytes(Path.Combine(folder, "vocab.txt")));

        var input = CliRunner.Texts(dir, 30, i => string.Join(' ', Enumerable.Repeat($"the film number {i} was good", 1 + i % 4)));
        var fromFolder = Path.Combine(dir, "folder.csv");
        var r = CliRunner.Run("embed", "--input", input, "--model", folder, "--output", fromFolder);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        var direct = Path.Combine(dir, "direct.npy");
        r = CliRunner.Run("embed", "--input", input, "--model", CliRunner.DemoModel, "--temperature", "0.5", "--output", direct);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        var a = File.ReadAllLines(fromFolder).Skip(1).SelectMany(l => l.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture))).ToArray();
        var (_, b) = EmbedVerbTests.ReadNpy(direct);
        Assert.Equal(a.Length, b.Length);
        for (var i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 5);

        // report --vectors reads both files and measures the same cloud.
        var csvReport = Path.Combine(dir, "report-csv");
        r = CliRunner.Run("report", "--vectors", fromFolder, "--out", csvReport);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        var npyReport = Path.Combine(dir, "report-npy");
        r = CliRunner.Run("report", "--vectors", direct, "--out", npyReport);
        Assert.True(r.ExitCode == ExitCodes.Ok, r.ToString());
        var x = IsotropyReport.Load(Path.Combine(csvReport, "report.json"));
        var y = IsotropyReport.Load(Path.Combine(npyReport, "report.json"));
        Assert.Equal(30, x.Count);
        Assert.Equal(128, x.Dimension);
        Assert.Equal(x.IsoScore, y.IsoScore, 4);
        Assert.Equal(x.AverageCosineSimilarity, y.AverageCosineSimilarity, 4);
    }

    [Fact]
    public void TempScale_RefusesToOverwriteItsSourceFolder()
    {
        var dir = CliRunner.NewTempDir();
        var copy = Path.Combine(dir, "model");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(Path.GetDirectoryName(CliRunner.DemoModel)!))
            File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        var before = File.ReadAllBytes(Path.Combine(copy, "model.onnx"));
        var r = CliRunner.Run("tempscale", "--model", copy, "--output", copy);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("the source model's own folder", r.Error);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(copy, "model.onnx")));
    }
}
