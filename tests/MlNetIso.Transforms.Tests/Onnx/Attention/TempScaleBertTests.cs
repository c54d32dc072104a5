using MlNetIso.Onnx.Attention;
using MlNetIso.Onnx.Bert;
using MlNetIso.Transforms.Tests.Onnx.Bert;
using TempScaleRewrite = MlNetIso.Onnx.Attention.TempScale;

namespace MlNetIso.Transforms.Tests.Onnx.Attention;

public class TempScaleBertTests
{
    [Theory]
    [InlineData(0.5f, 17)]
    [InlineData(0.7f, 14)]
    public void RewrittenBert_MatchesReferenceForwardWithTemperature(float tau, int opset)
    {
        var config = TinyBert.Config(hidden: 16, heads: 2, layers: 2);
        var weights = TinyBert.Weights(config, 21);
        var batch = TinyBert.PaddedBatch(config, [6, 3, 1], 22);
        var model = BertOnnxWriter.Write(config, weights, new BertOnnxWriterOptions { Opset = opset });

        var result = TempScaleRewrite.Rewrite(model, tau);
        Assert.Equal(config.NumHiddenLayers, result.RewrittenSites);
        var actual = OrtRunner.RunBert(result.Model, batch)[0];
        var expected = BertReference.Forward(config, weights, batch, tau);
        var diff = BertOnnxWriterTests.MaxDiffOnRealTokens(actual, expected, batch, config.HiddenSize);
        Assert.True(diff <= 1e-4, $"max diff {diff:E3}");

        var untempered = BertReference.Forward(config, weights, batch);
        Assert.True(BertOnnxWriterTests.MaxDiffOnRealTokens(actual, untempered, batch, config.HiddenSize) > 1e-3,
            "the temperature must change the output");
    }

    [Fact]
    public void FileRewrite_KeepsExternalDataBesideTheModel()
    {
        var config = TinyBert.Config(layers: 1);
        var weights = TinyBert.Weights(config, 31);
        var batch = TinyBert.PaddedBatch(config, [4, 2], 32);
        var dir = TestPaths.NewTempDir();
        var input = Path.Combine(dir, "model.onnx");
        OnnxTestFiles.WriteWithExternalData(BertOnnxWriter.Write(config, weights), input, "model.onnx_data");

        var output = Path.Combine(dir, "model.tempscale.onnx");
        var result = TempScaleRewrite.Rewrite(input, output, 0.5f);
        Assert.Equal(1, result.RewrittenSites);
        Assert.Equal(result.Model, File.ReadAllBytes(output));
        Assert.True(result.Model.Length < new FileInfo(Path.Combine(dir, "model.onnx_data")).Length,
            "weights must stay in the external file");

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(output, OrtRunner.Options());
        long[] shape = [batch.Size, batch.Length];
        var actual = OrtRunner.Run(session,
            [("input_ids", batch.Ids, shape), ("attention_mask", batch.Mask, shape), ("token_type_ids", batch.Types, shape)],
            "last_hidden_state")[0];
        var expected = BertReference.Forward(config, weights, batch, 0.5);
        Assert.True(BertOnnxWriterTests.MaxDiffOnRealTokens(actual, expected, batch, config.HiddenSize) <= 1e-4);
    }

    [Fact]
    public void FileRewriteOfASelfContainedModel_MayTargetAnyFolder()
    {
        var config = TinyBert.Config(layers: 1);
        var input = Path.Combine(TestPaths.NewTempDir(), "model.onnx");
        var model = BertOnnxWriter.Write(config, TinyBert.Weights(config, 2));
        File.WriteAllBytes(input, model);
        var output = Path.Combine(TestPaths.NewTempDir(), "out.onnx");

        var result = TempScaleRewrite.Rewrite(input, output, 0.6f);
        Assert.Equal(TempScaleRewrite.Rewrite(model, 0.6f).Model, File.ReadAllBytes(output));
        Assert.Equal(1, result.RewrittenSites);
        Assert.Throws<FileNotFoundException>(() => TempScaleRewrite.Rewrite(input + ".absent", output, 0.6f));
    }

    [Fact]
    public void FileRewriteWithExternalDataIntoAnotherFolder_IsRefused()
    {
        var config = TinyBert.Config(layers: 1);
        var dir = TestPaths.NewTempDir();
        var input = Path.Combine(dir, "model.onnx");
        OnnxTestFiles.WriteWithExternalData(BertOnnxWriter.Write(config, TinyBert.Weights(config, 1)), input, "w.bin");
        var elsewhere = Path.Combine(TestPaths.NewTempDir(), "out.onnx");
        var e = Assert.Throws<ArgumentException>(() => TempScaleRewrite.Rewrite(input, elsewhere, 0.5f));
        Assert.Contains("same folder", e.Message);
        Assert.False(File.Exists(elsewhere));
    }
}
