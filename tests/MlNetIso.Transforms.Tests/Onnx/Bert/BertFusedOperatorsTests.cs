using MlNetIso.Onnx;
using MlNetIso.Onnx.Bert;
using TempScaleRewrite = MlNetIso.Onnx.Attention.TempScale;

namespace MlNetIso.Transforms.Tests.Onnx.Bert;

/// <summary>The writer's fused-operator form (com.microsoft Attention, SkipLayerNormalization, BiasGelu).</summary>
public class BertFusedOperatorsTests
{
    [Theory]
    [InlineData(16, 2, 2, 32, 31)]
    [InlineData(24, 3, 1, 48, 32)]
    public void FusedForm_MatchesTheReference_OnPaddedBatches(int hidden, int heads, int layers, int ff, int seed)
    {
        var config = TinyBert.Config(hidden, heads, layers, ff);
        var weights = TinyBert.Weights(config, seed);
        var batch = TinyBert.PaddedBatch(config, [7, 4, 1], seed + 1);
        var model = BertOnnxWriter.Write(config, weights, new BertOnnxWriterOptions { FusedOperators = true, IncludeSentenceEmbedding = true });

        var ops = OnnxModelFile.Parse(model, "fused").Graph.Node.Select(n => $"{n.Domain}:{n.OpType}").ToList();
        Assert.Equal(layers, ops.Count(o => o == "com.microsoft:Attention"));
        Assert.Equal(2 * layers, ops.Count(o => o == "com.microsoft:SkipLayerNormalization"));
        Assert.Equal(layers, ops.Count(o => o == "com.microsoft:BiasGelu"));
        Assert.DoesNotContain(":Softmax", ops);

        var actual = OrtRunner.RunBert(model, batch)[0];
        var diff = BertOnnxWriterTests.MaxDiffOnRealTokens(actual, BertReference.Forward(config, weights, batch), batch, hidden);
        Assert.True(diff <= 1e-4, $"max |fused − reference| = {diff:E3}");
    }

    [Fact]
    public void TempScaleOnTheFusedForm_ScalesEveryAttentionNode_AndMatchesTheReference()
    {
        var config = TinyBert.Config(hidden: 16, heads: 2, layers: 2);
        var weights = TinyBert.Weights(config, 33);
        var batch = TinyBert.PaddedBatch(config, [6, 2], 34);
        var model = BertOnnxWriter.Write(config, weights, new BertOnnxWriterOptions { FusedOperators = true });

        var result = TempScaleRewrite.Rewrite(model, 0.5f);
        Assert.Equal(config.NumHiddenLayers, result.RewrittenSites);
        var actual = OrtRunner.RunBert(result.Model, batch)[0];
        var diff = BertOnnxWriterTests.MaxDiffOnRealTokens(actual, BertReference.Forward(config, weights, batch, 0.5), batch, config.HiddenSize);
        Assert.True(diff <= 1e-4, $"max |fused τ=0.5 − reference| = {diff:E3}");
    }
}
