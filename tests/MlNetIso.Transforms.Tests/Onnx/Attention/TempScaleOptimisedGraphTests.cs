using Microsoft.ML.OnnxRuntime;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Attention;
using MlNetIso.Onnx.Bert;
using MlNetIso.Transforms.Tests.Onnx.Bert;
using TempScaleRewrite = MlNetIso.Onnx.Attention.TempScale;

namespace MlNetIso.Transforms.Tests.Onnx.Attention;

/// <summary>TempScale on graphs that ONNX Runtime itself optimised (fused) from a written BERT.</summary>
public class TempScaleOptimisedGraphTests
{
    [Theory]
    [InlineData(GraphOptimizationLevel.ORT_ENABLE_BASIC, ":Div")]
    [InlineData(GraphOptimizationLevel.ORT_ENABLE_EXTENDED, "com.microsoft:FusedMatMul")]
    public void RewriteOfOnnxRuntimeOptimisedBert_MatchesReference(GraphOptimizationLevel level, string scoresOp)
    {
        var config = TinyBert.Config(hidden: 16, heads: 2, layers: 2);
        var weights = TinyBert.Weights(config, 41);
        var batch = TinyBert.PaddedBatch(config, [5, 3], 42);
        var dir = TestPaths.NewTempDir();
        var optimisedPath = Path.Combine(dir, "optimised.onnx");
        using (var options = OrtRunner.Options(level))
        {
            options.OptimizedModelFilePath = optimisedPath;
            using var _ = new InferenceSession(BertOnnxWriter.Write(config, weights), options);
        }
        var optimised = File.ReadAllBytes(optimisedPath);
        var ops = OnnxModelFile.Parse(optimised, optimisedPath).Graph.Node.Select(n => $"{n.Domain}:{n.OpType}").Distinct().ToList();
        Assert.Contains(scoresOp, ops);

        var result = TempScaleRewrite.Rewrite(optimised, 0.5f);
        Assert.True(result.RewrittenSites == config.NumHiddenLayers, $"sites {result.RewrittenSites}; ops: {string.Join(", ", ops)}");
        var actual = OrtRunner.RunBert(result.Model, batch)[0];
        var expected = BertReference.Forward(config, weights, batch, 0.5);
        var diff = BertOnnxWriterTests.MaxDiffOnRealTokens(actual, expected, batch, config.HiddenSize);
        Assert.True(diff <= 1e-4, $"max diff {diff:E3}; ops: {string.Join(", ", ops)}");
    }
}
