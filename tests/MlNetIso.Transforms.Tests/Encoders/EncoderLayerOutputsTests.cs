using MlNetIso.Onnx;
using MlNetIso.Onnx.Bert;
using MlNetIso.Transforms.Encoders;
using MlNetIso.Transforms.Tests.Embedding;
using MlNetIso.Transforms.Tests.Onnx;
using MlNetIso.Transforms.Tests.Onnx.Attention;
using MlNetIso.Transforms.Tests.Onnx.Bert;
using TempScaleRewrite = MlNetIso.Onnx.Attention.TempScale;

namespace MlNetIso.Transforms.Tests.Encoders;

public class EncoderLayerOutputsTests
{
    private const LayerOutputKinds Both = LayerOutputKinds.HiddenStates | LayerOutputKinds.AttentionProbabilities;

    [Theory]
    [InlineData(17, 1.0f)] // native LayerNormalization
    [InlineData(14, 1.0f)] // decomposed ReduceMean/Sub/Sqrt/Div LayerNorm
    [InlineData(17, 0.6f)] // a TempScale-rewritten graph
    [InlineData(14, 0.6f)]
    public void Exposed_layers_match_a_reference_forward_pass(int opset, float tau)
    {
        var config = TinyBert.Config(hidden: 16, heads: 2, layers: 3);
        var weights = TinyBert.Weights(config, 41);
        var batch = TinyBert.PaddedBatch(config, [7, 4, 2], 42);
        var model = BertOnnxWriter.Write(config, weights, new BertOnnxWriterOptions { Opset = opset });
        if (tau != 1f) model = TempScaleRewrite.Rewrite(model, tau).Model;

        var exposed = EncoderLayerOutputs.Expose(model, Both);

        Assert.Equal(3, exposed.LayerCount);
        Assert.Equal(4, exposed.HiddenStates.Count);
        Assert.Equal(3, exposed.AttentionProbabilities.Count);
        var outputs = OrtRunner.RunBert(exposed.Model, batch, ["last_hidden_state", .. exposed.HiddenStates, .. exposed.AttentionProbabilities]);
        var original = OrtRunner.RunBert(model, batch)[0];
        Assert.Equal(original, outputs[0]); // adding outputs changes nothing
        Assert.Equal(original, outputs[exposed.HiddenStates.Count]); // h⁽ᴸ⁾ is last_hidden_state

        for (var layer = 0; layer <= config.NumHiddenLayers; layer++)
        {
            var expected = BertReference.Forward(config with { NumHiddenLayers = layer }, weights, batch, tau);
            var diff = BertOnnxWriterTests.MaxDiffOnRealTokens(outputs[1 + layer], expected, batch, config.HiddenSize);
            Assert.True(diff <= 1e-4, $"hidden state {layer}: max diff {diff:E3}");
            if (layer == config.NumHiddenLayers) break;

            var probabilities = outputs[1 + exposed.HiddenStates.Count + layer];
            var reference = ReferenceAttention(config, weights, expected, batch, layer, tau);
            Assert.Equal(reference.Length, probabilities.Length);
            var maxDiff = 0.0;
            for (var b = 0; b < batch.Size; b++)
            for (var head = 0; head < config.NumAttentionHeads; head++)
            for (var i = 0; i < batch.Length; i++)
            {
                if (!batch.IsReal(b, i)) continue; // padded queries are never read
                for (var j = 0; j < batch.Length; j++)
                {
                    var k = ((b * config.NumAttentionHeads + head) * batch.Length + i) * batch.Length + j;
                    maxDiff = Math.Max(maxDiff, Math.Abs(probabilities[k] - reference[k]));
                }
            }
            Assert.True(maxDiff <= 1e-5, $"attention of layer {layer + 1}: max diff {maxDiff:E3}");
        }
    }

    [Fact]
    public void Demo_encoder_exposes_three_hidden_states_and_two_attention_maps()
    {
        var model = File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "models", "mlnetiso-mini", "model.onnx"));
        var exposed = EncoderLayerOutputs.Expose(model, Both);
        Assert.Equal(2, exposed.LayerCount);
        Assert.Equal(3, exposed.HiddenStates.Count);
        Assert.Equal(2, exposed.AttentionProbabilities.Count);

        var config = new BertConfig { VocabSize = 8000, HiddenSize = 128, NumAttentionHeads = 4, NumHiddenLayers = 2 };
        var batch = TinyBert.PaddedBatch(config, [9, 5], 7);
        var outputs = OrtRunner.RunBert(exposed.Model, batch, ["last_hidden_state", .. exposed.HiddenStates, .. exposed.AttentionProbabilities]);
        Assert.Equal(outputs[0], outputs[3]);
        Assert.Equal(batch.Size * batch.Length * 128, outputs[1].Length);
        Assert.NotEqual(outputs[1], outputs[2]);
        foreach (var probabilities in outputs.Skip(4))
        {
            Assert.Equal(batch.Size * 4 * batch.Length * batch.Length, probabilities.Length);
            for (var b = 0; b < batch.Size; b++)
            for (var row = 0; row < 4 * batch.Length; row++)
            {
                var offset = (b * 4 * batch.Length + row) * batch.Length;
                var sum = 0.0;
                for (var j = 0; j < batch.Length; j++)
                {
                    sum += probabilities[offset + j];
                    if (!batch.IsReal(b, j)) Assert.True(probabilities[offset + j] < 1e-6f, "a padded key gets weight");
                }
                Assert.InRange(sum, 0.9999, 1.0001);
            }
        }
    }

    [Fact]
    public void Hidden_states_only_leaves_attention_unexposed_and_keeps_existing_outputs_first()
    {
        var config = TinyBert.Config(layers: 2);
        var model = BertOnnxWriter.Write(config, TinyBert.Weights(config, 5), new BertOnnxWriterOptions { IncludeSentenceEmbedding = true });
        var exposed = EncoderLayerOutputs.Expose(model, LayerOutputKinds.HiddenStates);
        Assert.Empty(exposed.AttentionProbabilities);
        Assert.Equal(3, exposed.HiddenStates.Count);
        var proto = OnnxModelFile.Parse(exposed.Model, "test");
        Assert.Equal(["last_hidden_state", "sentence_embedding"], proto.Graph.Output.Take(2).Select(o => o.Name));
        Assert.Equal(2 + 2, proto.Graph.Output.Count); // h⁽⁰⁾, h⁽¹⁾ added; h⁽²⁾ is last_hidden_state
    }

    [Fact]
    public void Bad_requests_and_models_fail_with_clear_errors()
    {
        var config = TinyBert.Config(layers: 1);
        var model = BertOnnxWriter.Write(config, TinyBert.Weights(config, 3));
        var none = Assert.Throws<ArgumentException>(() => EncoderLayerOutputs.Expose(model, LayerOutputKinds.None));
        Assert.Contains("HiddenStates", none.Message);
        Assert.Throws<ArgumentException>(() => EncoderLayerOutputs.Expose(model, (LayerOutputKinds)8));

        var noAttention = EncoderGraphVariants.EmbeddingLookupOnly(vocab: 10, width: 4, seed: 1);
        var error = Assert.Throws<InvalidDataException>(() => EncoderLayerOutputs.Expose(noAttention, LayerOutputKinds.HiddenStates));
        Assert.Contains("no self-attention site", error.Message);

        Assert.Throws<InvalidDataException>(() => EncoderLayerOutputs.Expose([1, 2, 3], LayerOutputKinds.HiddenStates));

        // A fused com.microsoft Attention node has no probability tensor, and this fixture has no LayerNorm.
        var fused = AttentionFixtures.Create("ms-attention").Model;
        var notSupported = Assert.Throws<NotSupportedException>(() => EncoderLayerOutputs.Expose(fused, LayerOutputKinds.AttentionProbabilities));
        Assert.Contains("com.microsoft.Attention", notSupported.Message);
        var noLayerNorm = Assert.Throws<InvalidDataException>(() => EncoderLayerOutputs.Expose(fused, LayerOutputKinds.HiddenStates));
        Assert.Contains("no LayerNorm", noLayerNorm.Message);
    }

    /// <summary>softmax((q·k/√d + M)/τ) per batch row, head, query, key from reference hidden states h⁽ˡ⁾.</summary>
    private static double[] ReferenceAttention(BertConfig c, IReadOnlyDictionary<string, NamedTensor> w, double[][][] h,
        TinyBert.Batch batch, int layer, double tau)
    {
        int s = batch.Length, heads = c.NumAttentionHeads, dh = c.HeadSize;
        var p = $"encoder.layer.{layer}.attention.self.";
        var result = new double[batch.Size * heads * s * s];
        for (var b = 0; b < batch.Size; b++)
        {
            var q = h[b].Select(x => Linear(x, w[p + "query.weight"], w[p + "query.bias"])).ToArray();
            var k = h[b].Select(x => Linear(x, w[p + "key.weight"], w[p + "key.bias"])).ToArray();
            for (var head = 0; head < heads; head++)
            for (var i = 0; i < s; i++)
            {
                var logits = new double[s];
                for (var j = 0; j < s; j++)
                {
                    double dot = 0;
                    for (var d = 0; d < dh; d++) dot += q[i][head * dh + d] * k[j][head * dh + d];
                    logits[j] = (dot / Math.Sqrt(dh) + (batch.IsReal(b, j) ? 0 : -10000.0)) / tau;
                }
                BertReference.Softmax(logits).CopyTo(result, ((b * heads + head) * s + i) * s);
            }
        }
        return result;
    }

    private static double[] Linear(double[] x, NamedTensor weight, NamedTensor bias)
    {
        int outs = (int)weight.Shape[0], ins = (int)weight.Shape[1];
        var y = new double[outs];
        for (var o = 0; o < outs; o++)
        {
            double acc = bias.Data[o];
            for (var i = 0; i < ins; i++) acc += weight.Data[o * ins + i] * x[i];
            y[o] = acc;
        }
        return y;
    }
}
