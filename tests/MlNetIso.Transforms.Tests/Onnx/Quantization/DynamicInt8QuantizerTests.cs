using Google.Protobuf;
using MlNetIso.Onnx;
using MlNetIso.Onnx.Bert;
using MlNetIso.Onnx.Proto;
using MlNetIso.Onnx.Quantization;
using MlNetIso.Transforms.Tests.Onnx.Bert;
using TempScaleRewrite = MlNetIso.Onnx.Attention.TempScale;

namespace MlNetIso.Transforms.Tests.Onnx.Quantization;

public class DynamicInt8QuantizerTests
{
    private static readonly BertConfig Config = TinyBert.Config(hidden: 32, heads: 4, layers: 2, intermediate: 64);
    private static readonly Dictionary<string, NamedTensor> Weights = TinyBert.Weights(Config, 21, scale: 0.2f);
    private static readonly byte[] Float32Model = BertOnnxWriter.Write(Config, Weights);

    [Theory]
    [InlineData(Int8MatMulOperator.DynamicQuantizeMatMul)]
    [InlineData(Int8MatMulOperator.MatMulInteger)]
    public void QuantisedRandomExport_StaysCloseToFloat32OnEveryRealToken(Int8MatMulOperator form)
    {
        var batch = TinyBert.PaddedBatch(Config, [9, 5, 2], 22);
        var quantised = DynamicInt8Quantizer.Quantize(Float32Model, new DynamicInt8QuantizerOptions { Operator = form });

        var expected = BertReference.Forward(Config, Weights, batch);
        var actual = OrtRunner.RunBert(quantised.Model, batch)[0];
        var worst = WorstTokenCosine(actual, expected, batch);
        Assert.True(worst >= 0.99, $"worst token cosine to the float reference {worst:F5}");
        // ... and not the float model by accident: int8 arithmetic leaves a visible difference.
        var floatDiff = BertOnnxWriterTests.MaxDiffOnRealTokens(actual, expected, batch, Config.HiddenSize);
        Assert.True(floatDiff > 1e-4, $"max diff {floatDiff:E2}: the quantised model computes the float result exactly");
    }

    [Fact]
    public void Quantize_ReplacesEveryWeightProduct_AndLeavesTheAttentionProductsInFloat()
    {
        var result = DynamicInt8Quantizer.Quantize(Float32Model, new DynamicInt8QuantizerOptions { Operator = Int8MatMulOperator.DynamicQuantizeMatMul });
        var before = OnnxModelFile.Parse(Float32Model, "float");
        var after = OnnxModelFile.Parse(result.Model, "int8");

        Assert.Equal(6 * Config.NumHiddenLayers, result.QuantizedMatMuls); // Q, K, V, attention output, FFN in, FFN out
        Assert.Equal(result.QuantizedMatMuls, result.FusedBiases);
        Assert.Equal(result.QuantizedMatMuls, after.Graph.Node.Count(n => n.OpType == "DynamicQuantizeMatMul" && n.Domain == "com.microsoft"));
        // The remaining MatMuls are exactly the Q·Kᵀ and A·V products, untouched (same inputs and outputs).
        var scores = ActivationProducts(before);
        Assert.Equal(2 * Config.NumHiddenLayers, scores.Count);
        Assert.Equal(scores, ActivationProducts(after));
        Assert.DoesNotContain(after.Graph.Node, n => n.OpType == "MatMul" && after.Graph.Initializer.Any(t => t.Name == n.Input[1]));
        // The float weights are gone and the int8 ones are a quarter of their size.
        Assert.Equal(result.FloatWeightBytes, 4L * Config.NumHiddenLayers * (4 * 32 * 32 + 2 * 32 * 64));
        Assert.True(result.Int8WeightBytes < result.FloatWeightBytes / 3.5);
        Assert.True(result.Model.Length < Float32Model.Length - result.FloatWeightBytes / 2);
        Assert.Contains(after.OpsetImport, o => o.Domain == "com.microsoft");
    }

    [Fact]
    public void MatMulIntegerForm_UsesStandardOperatorsOnly_AndQuantisesEachActivationOnce()
    {
        var result = DynamicInt8Quantizer.Quantize(Float32Model);
        var graph = OnnxModelFile.Parse(result.Model, "int8").Graph;
        var model = OnnxModelFile.Parse(result.Model, "int8");

        Assert.Equal(6 * Config.NumHiddenLayers, result.QuantizedMatMuls);
        Assert.Equal(0, result.FusedBiases);
        Assert.Equal(result.QuantizedMatMuls, graph.Node.Count(n => n.OpType == "MatMulInteger"));
        // Per layer four activations feed weight products: the LayerNorm output (Q, K, V), the attention context,
        // the second LayerNorm output and the GELU output.
        var quantisers = graph.Node.Where(n => n.OpType == "DynamicQuantizeLinear").ToList();
        Assert.Equal(4 * Config.NumHiddenLayers, quantisers.Count);
        Assert.Equal(quantisers.Count, quantisers.Select(n => n.Input[0]).Distinct().Count());
        Assert.All(graph.Node, n => Assert.True(n.Domain is "" or "ai.onnx", $"{n.Domain}.{n.OpType}"));
        Assert.DoesNotContain(model.OpsetImport, o => o.Domain == "com.microsoft");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TempScaleAndInt8_ComposeInEitherOrder(bool quantiseFirst)
    {
        var batch = TinyBert.PaddedBatch(Config, [8, 3], 23);
        byte[] model;
        int sites;
        if (quantiseFirst)
        {
            var rewritten = TempScaleRewrite.Rewrite(DynamicInt8Quantizer.Quantize(Float32Model).Model, 0.5f);
            (model, sites) = (rewritten.Model, rewritten.RewrittenSites);
        }
        else
        {
            var rewritten = TempScaleRewrite.Rewrite(Float32Model, 0.5f);
            (model, sites) = (DynamicInt8Quantizer.Quantize(rewritten.Model).Model, rewritten.RewrittenSites);
        }
        Assert.Equal(Config.NumHiddenLayers, sites);

        var actual = OrtRunner.RunBert(model, batch)[0];
        var atTau = BertReference.Forward(Config, Weights, batch, 0.5);
        var atOne = BertReference.Forward(Config, Weights, batch);
        var worst = WorstTokenCosine(actual, atTau, batch);
        Assert.True(worst >= 0.99, $"worst token cosine to the τ = 0.5 float reference {worst:F5}");
        // The temperature really acts: the result is nearer the τ = 0.5 reference than the τ = 1 one.
        Assert.True(BertOnnxWriterTests.MaxDiffOnRealTokens(actual, atTau, batch, Config.HiddenSize)
                    < BertOnnxWriterTests.MaxDiffOnRealTokens(actual, atOne, batch, Config.HiddenSize));
    }

    [Fact]
    public void QuantizeMatrix_PerColumn_MapsEachColumnsLargestMagnitudeTo127()
    {
        float[] w = [1f, -0.5f, 0f, -2f, 0.25f, 0f, 0.5f, 0.125f, 0f]; // 3 × 3, last column all zero
        var (values, scales) = DynamicInt8Quantizer.QuantizeMatrix(w, 3, perChannel: true, maxLevel: 127, "w");

        Assert.Equal([2f / 127, 0.5f / 127, 1f], scales);
        Assert.Equal(-127, values[3]);
        Assert.Equal(-127, values[1]);
        Assert.All(new[] { values[2], values[5], values[8] }, v => Assert.Equal(0, v));
        for (var i = 0; i < w.Length; i++)
            Assert.True(Math.Abs(values[i] * scales[i % 3] - w[i]) <= scales[i % 3] / 2 + 1e-7, $"element {i}");
    }

    [Fact]
    public void QuantizeMatrix_PerTensorAndReducedRange_UseOneScaleAndSevenBits()
    {
        float[] w = [1f, -0.4f, 0.25f, -0.125f];
        var (values, scales) = DynamicInt8Quantizer.QuantizeMatrix(w, 2, perChannel: false, maxLevel: 63, "w");
        Assert.Equal([1f / 63], scales);
        Assert.Equal([63, -25, 16, -8], values.Select(v => (int)v));
    }

    [Fact]
    public void QuantizeMatrix_NonFiniteWeight_FailsNamingTheTensor()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            DynamicInt8Quantizer.QuantizeMatrix([1f, float.NaN], 2, perChannel: true, maxLevel: 127, "layer.7.weight"));
        Assert.Contains("layer.7.weight", e.Message);
        Assert.Contains("[0, 1]", e.Message);
    }

    [Fact]
    public void Quantize_GraphWithoutWeightProducts_FailsSayingSo()
    {
        var g = new OnnxGraphBuilder("g", 17);
        g.AddInput("a", TensorProto.Types.DataType.Float, 2, 2);
        g.AddInput("b", TensorProto.Types.DataType.Float, 2, 2);
        g.AddNode("MatMul", ["a", "b"], ["y"]);
        g.AddOutput("y", TensorProto.Types.DataType.Float, 2, 2);
        var e = Assert.Throws<InvalidDataException>(() => DynamicInt8Quantizer.Quantize(g.ToModel("test").ToByteArray()));
        Assert.Contains("nothing to quantise", e.Message);
    }

    [Fact]
    public void ExcludedNodes_StayInFloat()
    {
        var model = OnnxModelFile.Parse(Float32Model, "float");
        var weightProducts = model.Graph.Node.Where(n => n.OpType == "MatMul" && model.Graph.Initializer.Any(t => t.Name == n.Input[1])).ToList();
        var kept = weightProducts[0].Name;
        var result = DynamicInt8Quantizer.Quantize(Float32Model, new DynamicInt8QuantizerOptions { ExcludedNodes = [kept] });
        Assert.Equal(weightProducts.Count - 1, result.QuantizedMatMuls);
        Assert.Contains(OnnxModelFile.Parse(result.Model, "int8").Graph.Node, n => n.Name == kept && n.OpType == "MatMul");
    }

    /// <summary>"input0*input1->output" of every MatMul whose two operands are computed (Q·Kᵀ and A·V).</summary>
    private static List<string> ActivationProducts(ModelProto model)
    {
        var constants = model.Graph.Initializer.Select(t => t.Name).ToHashSet();
        return model.Graph.Node.Where(n => n.OpType == "MatMul" && !constants.Contains(n.Input[0]) && !constants.Contains(n.Input[1]))
            .Select(n => $"{n.Input[0]}*{n.Input[1]}->{n.Output[0]}").ToList();
    }

    /// <summary>Smallest cosine between the actual and reference state of any real token.</summary>
    internal static double WorstTokenCosine(float[] actual, double[][][] expected, TinyBert.Batch batch)
    {
        var hidden = expected[0][0].Length;
        var worst = 1.0;
        for (var b = 0; b < batch.Size; b++)
        for (var t = 0; t < batch.Length; t++)
        {
            if (!batch.IsReal(b, t)) continue;
            double dot = 0, na = 0, ne = 0;
            for (var j = 0; j < hidden; j++)
            {
                var a = actual[(b * batch.Length + t) * hidden + j];
                var e = expected[b][t][j];
                dot += a * e;
                na += a * a;
                ne += e * e;
            }
            worst = Math.Min(worst, dot / Math.Sqrt(na * ne));
        }
        return worst;
    }
}
