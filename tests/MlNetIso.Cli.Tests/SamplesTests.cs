using MlNetIso.Samples;

namespace MlNetIso.Cli.Tests;

/// <summary>
/// Runs every sample program the README points to, and checks what each one claims. The samples embed with
/// all-MiniLM-L6-v2 (<see cref="SampleData.Encoder"/>); the isotropy and head-only samples run here as written. The
/// three whose cost grows with the model — the length-collapse table over long reviews, I-STAR fine-tuning in TorchSharp,
/// and saving the 90 MB encoder into a package for a second process — run on the demo encoder, which keeps the suite
/// fast; the real model is covered on those paths by BuiltInEncoderEmbeddingTests and BuiltInFineTuneTests.
/// </summary>
public class SamplesTests
{
    [Fact]
    public void IsotropyInAPipeline_Runs()
    {
        var dir = CliRunner.NewTempDir();
        var log = new StringWriter();
        var report = Samples.IsotropyInAPipeline.Run(dir, log);
        Assert.Equal(300, report.Count);
        Assert.InRange(report.IsoScore, 0.0, 1.0);
        Assert.True(File.Exists(Path.Combine(dir, "isotropy.json")));
        Assert.Contains("after whitening", log.ToString());
    }

    [Fact]
    public void TempScaleEmbeddingsAndCollapseCheck_Runs()
    {
        var dir = CliRunner.NewTempDir();
        var table = TempScaleEmbeddings.Run(dir, new StringWriter(), SampleData.DemoEncoder);
        Assert.Equal(2, table.Temperatures.Count);
        Assert.NotEmpty(table.Buckets);
        Assert.True(File.Exists(Path.Combine(dir, "model.tau0.7.onnx")));
    }

    [Fact]
    public void IStarHeadOnly_MovesIsotropyWithLambda()
    {
        var results = IStarHeadOnly.Run(CliRunner.NewTempDir(), new StringWriter());
        var lower = results.Single(r => r.Lambda < 0);
        var higher = results.Single(r => r.Lambda > 0);
        Assert.True(higher.IsoScore > lower.IsoScore, $"IsoScore with λ=+1 ({higher.IsoScore}) should exceed λ=−1 ({lower.IsoScore})");
        Assert.All(results, r => Assert.InRange(r.Accuracy, 0.55, 1.0));
    }

    [Fact]
    public void IStarFineTune_ExportsAnEncoderFolder()
    {
        var dir = CliRunner.NewTempDir();
        var accuracy = IStarFineTune.Run(dir, new StringWriter(), SampleData.DemoEncoder);
        Assert.InRange(accuracy, 0.0, 1.0);
        foreach (var f in new[] { "config.json", "vocab.txt", "model.safetensors", "model.onnx" })
            Assert.True(File.Exists(Path.Combine(dir, "fine-tuned-encoder", f)), f);
    }

    [Fact]
    public void SaveAndLoadInASecondProcess_Agrees()
    {
        var log = new StringWriter();
        SaveAndLoadInASecondProcess.Run(CliRunner.NewTempDir(), log, SampleData.DemoEncoder);
        Assert.Contains("predicted the same 20 labels", log.ToString());
    }
}
