using MlNetIso.Onnx;
using MlNetIso.Onnx.Bert;

namespace MlNetIso.Transforms.Tests.Onnx.Bert;

public class BertOnnxWriterTests
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData(16, 2, 2, 32, 17, 1)]
    [InlineData(32, 4, 1, 64, 17, 2)]
    [InlineData(24, 3, 3, 40, 14, 3)]
    [InlineData(16, 1, 2, 16, 21, 4)]
    public void Write_UnpaddedPositions_MatchTheDoublePrecisionReference(int hidden, int heads, int layers, int ff, int opset, int seed)
    {
        var config = TinyBert.Config(hidden, heads, layers, ff);
        var weights = TinyBert.Weights(config, seed);
        var batch = TinyBert.PaddedBatch(config, [7, 4, 1], seed + 100);

        var model = BertOnnxWriter.Write(config, weights, new BertOnnxWriterOptions { Opset = opset });
        var actual = OrtRunner.RunBert(model, batch)[0];
        var expected = BertReference.Forward(config, weights, batch);

        var maxDiff = MaxDiffOnRealTokens(actual, expected, batch, hidden);
        Assert.True(maxDiff <= Tolerance, $"max |ORT − reference| = {maxDiff:E3} > {Tolerance:E0}");
    }

    [Fact]
    public void SentenceEmbedding_IsMaskedMeanOfLastHiddenState()
    {
        var config = TinyBert.Config();
        var weights = TinyBert.Weights(config, 11);
        var batch = TinyBert.PaddedBatch(config, [5, 2, 3], 12);
        var model = BertOnnxWriter.Write(config, weights, new BertOnnxWriterOptions { IncludeSentenceEmbedding = true });

        var pooled = OrtRunner.RunBert(model, batch, "sentence_embedding")[0];
        var reference = BertReference.Forward(config, weights, batch);
        for (var b = 0; b < batch.Size; b++)
        {
            var real = Enumerable.Range(0, batch.Length).Where(t => batch.IsReal(b, t)).ToArray();
            for (var j = 0; j < config.HiddenSize; j++)
            {
                var mean = real.Average(t => reference[b][t][j]);
                Assert.True(Math.Abs(pooled[b * config.HiddenSize + j] - mean) <= Tolerance,
                    $"row {b} dim {j}: {pooled[b * config.HiddenSize + j]} vs {mean}");
            }
        }
    }

    [Fact]
    public void Graph_HasTheOptimumFeatureExtractionContractAndMetadata()
    {
        var config = TinyBert.Config();
        var model = BertOnnxWriter.Write(config, TinyBert.Weights(config, 5));
        using var session = OrtRunner.Session(model);

        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], session.InputNames);
        foreach (var input in session.InputMetadata.Values)
        {
            Assert.Equal(typeof(long), input.ElementType);
            Assert.Equal(["batch", "sequence"], input.SymbolicDimensions);
        }
        Assert.Equal(["last_hidden_state"], session.OutputNames);
        var output = session.OutputMetadata["last_hidden_state"];
        Assert.Equal(["batch", "sequence", ""], output.SymbolicDimensions);
        Assert.Equal(config.HiddenSize, output.Dimensions[2]);

        var meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("24", meta[BertOnnxWriter.MaxPositionEmbeddingsKey]);
        Assert.Equal("50", meta[BertOnnxWriter.VocabSizeKey]);
        Assert.Equal("16", meta[BertOnnxWriter.HiddenSizeKey]);

        var proto = OnnxModelFile.Parse(model, "written");
        Assert.Contains(proto.OpsetImport, o => o.Domain == "" && o.Version == 17);
        Assert.Equal(8, proto.IrVersion);
        Assert.Equal(10, OnnxModelFile.Parse(
            BertOnnxWriter.Write(config, TinyBert.Weights(config, 5), new BertOnnxWriterOptions { Opset = 21 }), "21").IrVersion);
        Assert.Equal(config.NumHiddenLayers, proto.Graph.Node.Count(n => n.OpType == "Softmax"));
        Assert.Equal(config.NumHiddenLayers * 2 + 1, proto.Graph.Node.Count(n => n.OpType == "LayerNormalization"));
    }

    [Fact]
    public void Write_BertPrefixedWeights_AreAcceptedAndPoolerAndHeadsIgnored()
    {
        var config = TinyBert.Config(layers: 1);
        var weights = TinyBert.Weights(config, 3);
        var prefixed = weights.ToDictionary(kv => "bert." + kv.Key, kv => kv.Value);
        prefixed["bert.pooler.dense.weight"] = new NamedTensor([16, 16], new float[256]);
        prefixed["cls.predictions.bias"] = new NamedTensor([3], new float[3]);
        var batch = TinyBert.PaddedBatch(config, [3, 2], 4);

        var plain = OrtRunner.RunBert(BertOnnxWriter.Write(config, weights), batch)[0];
        var viaPrefix = OrtRunner.RunBert(BertOnnxWriter.Write(config, prefixed), batch)[0];
        Assert.Equal(plain, viaPrefix);
    }

    [Fact]
    public void Write_MissingOrMisshapedTensors_AreListedInOneException()
    {
        var config = TinyBert.Config(layers: 2);
        var weights = TinyBert.Weights(config, 3);
        weights.Remove("encoder.layer.1.output.dense.bias");
        weights.Remove("embeddings.LayerNorm.weight");
        weights["encoder.layer.0.attention.self.query.weight"] = new NamedTensor([16, 15], new float[240]);
        weights["encoder.layer.0.attention.self.key.bias"] = new NamedTensor([16], new float[3]);

        var e = Assert.Throws<ArgumentException>(() => BertOnnxWriter.Write(config, weights));
        Assert.Contains("4 problem(s)", e.Message);
        Assert.Contains("missing 'encoder.layer.1.output.dense.bias'", e.Message);
        Assert.Contains("missing 'embeddings.LayerNorm.weight'", e.Message);
        Assert.Contains("'encoder.layer.0.attention.self.query.weight' has shape [16, 15], expected [16, 16]", e.Message);
        Assert.Contains("'encoder.layer.0.attention.self.key.bias' holds 3 values", e.Message);
    }

    [Fact]
    public void Write_UnsupportedActivationOpsetOrConfig_IsRejected()
    {
        var config = TinyBert.Config();
        var weights = TinyBert.Weights(config, 1);
        Assert.Throws<ArgumentException>(() => BertOnnxWriter.Write(config with { HiddenAct = "relu" }, weights));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            BertOnnxWriter.Write(config, weights, new BertOnnxWriterOptions { Opset = 13 }));
        Assert.Throws<InvalidDataException>(() => BertOnnxWriter.Write(config with { NumAttentionHeads = 3 }, weights));
    }

    internal static double MaxDiffOnRealTokens(float[] actual, double[][][] expected, TinyBert.Batch batch, int hidden)
    {
        double maxDiff = 0;
        for (var b = 0; b < batch.Size; b++)
        for (var t = 0; t < batch.Length; t++)
        {
            if (!batch.IsReal(b, t)) continue;
            for (var j = 0; j < hidden; j++)
            {
                var diff = Math.Abs(actual[(b * batch.Length + t) * hidden + j] - expected[b][t][j]);
                if (double.IsNaN(diff)) return double.PositiveInfinity;
                maxDiff = Math.Max(maxDiff, diff);
            }
        }
        return maxDiff;
    }
}
