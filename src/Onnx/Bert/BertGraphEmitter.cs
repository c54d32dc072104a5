using static MlNetIso.Onnx.OnnxAttributes;
using DataType = MlNetIso.Onnx.Proto.TensorProto.Types.DataType;

namespace MlNetIso.Onnx.Bert;

/// <summary>Emits the nodes of a BERT encoder into an <see cref="OnnxGraphBuilder"/> (see <see cref="BertOnnxWriter"/>).</summary>
internal sealed class BertGraphEmitter(OnnxGraphBuilder g, BertConfig config, BertWeights w, int opset, bool fused = false)
{
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string TokenTypeIds = "token_type_ids";
    public const string LastHiddenState = "last_hidden_state";
    public const string SentenceEmbedding = "sentence_embedding";

    public void Emit(bool sentenceEmbedding)
    {
        g.AddInput(InputIds, DataType.Int64, "batch", "sequence");
        g.AddInput(AttentionMask, DataType.Int64, "batch", "sequence");
        g.AddInput(TokenTypeIds, DataType.Int64, "batch", "sequence");

        var maskFloat = !fused || sentenceEmbedding ? g.Op("Cast", [AttentionMask], Int("to", (long)DataType.Float)) : "";
        var hidden = Embeddings();
        if (fused)
        {
            g.ImportOpset(OnnxGraphBuilder.MicrosoftDomain, 1);
            var maskIndex = g.Op("Cast", [AttentionMask], Int("to", (long)DataType.Int32));
            for (var i = 0; i < config.NumHiddenLayers; i++)
                hidden = FusedLayer(i, hidden, maskIndex);
        }
        else
        {
            var extendedMask = ExtendedMask(maskFloat);
            for (var i = 0; i < config.NumHiddenLayers; i++)
                hidden = Layer(i, hidden, extendedMask);
        }

        g.AddNode("Identity", [hidden], [LastHiddenState]);
        g.AddOutput(LastHiddenState, DataType.Float, "batch", "sequence", config.HiddenSize);
        if (sentenceEmbedding)
            MaskedMean(maskFloat);
    }

    private string Embeddings()
    {
        var word = g.Op("Gather", [Init("embeddings.word_embeddings.weight"), InputIds]);
        // Position ids 0..S-1: slice the first S rows of the position table (S = shape(input_ids)[1]).
        var shape = g.Op("Shape", [InputIds]);
        var seqLen = g.Op("Gather", [shape, g.Int64s(1)]);
        var positions = g.Op("Slice", [Init("embeddings.position_embeddings.weight"), g.Int64s(0), seqLen, g.Int64s(0)]);
        var types = g.Op("Gather", [Init("embeddings.token_type_embeddings.weight"), TokenTypeIds]);
        var sum = g.Op("Add", [g.Op("Add", [word, positions]), types]);
        return LayerNorm(sum, "embeddings.LayerNorm");
    }

    /// <summary>(1 − mask)·MaskValue, shaped [batch, 1, 1, sequence].</summary>
    private string ExtendedMask(string maskFloat)
    {
        var expanded = g.Op("Unsqueeze", [maskFloat, g.Int64s(1, 2)]);
        var inverted = g.Op("Sub", [g.Scalar(1f), expanded]);
        return g.Op("Mul", [inverted, g.Scalar(BertOnnxWriter.MaskValue)]);
    }

    private string Layer(int i, string x, string mask)
    {
        var p = $"encoder.layer.{i}.";
        int heads = config.NumAttentionHeads, headSize = config.HeadSize;
        var splitShape = g.Int64s(0, 0, heads, headSize);

        string Heads(string kind, long[] perm)
        {
            var projected = Linear(x, $"{p}attention.self.{kind}");
            return g.Op("Transpose", [g.Op("Reshape", [projected, splitShape])], Ints("perm", perm));
        }

        var q = Heads("query", [0, 2, 1, 3]);
        var kT = Heads("key", [0, 2, 3, 1]);
        var v = Heads("value", [0, 2, 1, 3]);
        var scores = g.Op("MatMul", [q, kT]);
        var scaled = g.Op("Div", [scores, g.Scalar(MathF.Sqrt(headSize))]);
        var masked = g.Op("Add", [scaled, mask]);
        var probs = g.Op("Softmax", [masked], Int("axis", -1));
        var context = g.Op("MatMul", [probs, v]);
        var merged = g.Op("Reshape", [g.Op("Transpose", [context], Ints("perm", 0, 2, 1, 3)), g.Int64s(0, 0, config.HiddenSize)]);

        var attention = Linear(merged, $"{p}attention.output.dense");
        var h = LayerNorm(g.Op("Add", [attention, x]), $"{p}attention.output.LayerNorm");
        var intermediate = Gelu(Linear(h, $"{p}intermediate.dense"));
        var output = Linear(intermediate, $"{p}output.dense");
        return LayerNorm(g.Op("Add", [output, h]), $"{p}output.LayerNorm");
    }

    /// <summary>
    /// The same layer with ONNX Runtime's contrib operators: Attention(x, W_QKV, b_QKV, mask) with the [hidden, 3·hidden]
    /// weight [W_Q | W_K | W_V] and mask_filter_value −10000 (as the eager mask); SkipLayerNormalization(y, residual, γ,
    /// β, bias) = LN(y + bias + residual); BiasGelu(y, bias) = GELU(y + bias).
    /// </summary>
    private string FusedLayer(int i, string x, string maskIndex)
    {
        var p = $"encoder.layer.{i}.";
        int hidden = config.HiddenSize;
        var q = w.Transposed($"{p}attention.self.query.weight");
        var k = w.Transposed($"{p}attention.self.key.weight");
        var v = w.Transposed($"{p}attention.self.value.weight");
        var packed = new float[hidden * 3 * hidden];
        for (var r = 0; r < hidden; r++)
        {
            Array.Copy(q, r * hidden, packed, r * 3 * hidden, hidden);
            Array.Copy(k, r * hidden, packed, r * 3 * hidden + hidden, hidden);
            Array.Copy(v, r * hidden, packed, r * 3 * hidden + 2 * hidden, hidden);
        }
        var packedBias = w[$"{p}attention.self.query.bias"].Data
            .Concat(w[$"{p}attention.self.key.bias"].Data)
            .Concat(w[$"{p}attention.self.value.bias"].Data).ToArray();
        var qkvWeight = g.AddInitializer($"{p}attention.self.qkv.weight", packed, hidden, 3 * hidden);
        var qkvBias = g.AddInitializer($"{p}attention.self.qkv.bias", packedBias, 3 * hidden);
        var attention = g.AddNode("Attention", [x, qkvWeight, qkvBias, maskIndex], [g.Fresh("attention")],
            OnnxGraphBuilder.MicrosoftDomain, Int("num_heads", config.NumAttentionHeads),
            Float("mask_filter_value", BertOnnxWriter.MaskValue)).Output[0];

        var h = SkipLayerNorm(g.Op("MatMul", [attention, Weight($"{p}attention.output.dense")]), x,
            $"{p}attention.output.dense.bias", $"{p}attention.output.LayerNorm");
        var intermediate = g.AddNode("BiasGelu", [g.Op("MatMul", [h, Weight($"{p}intermediate.dense")]), Init($"{p}intermediate.dense.bias")],
            [g.Fresh("bias_gelu")], OnnxGraphBuilder.MicrosoftDomain).Output[0];
        return SkipLayerNorm(g.Op("MatMul", [intermediate, Weight($"{p}output.dense")]), h, $"{p}output.dense.bias", $"{p}output.LayerNorm");
    }

    private string SkipLayerNorm(string y, string residual, string bias, string prefix) =>
        g.AddNode("SkipLayerNormalization", [y, residual, Init(prefix + ".weight"), Init(prefix + ".bias"), Init(bias)],
            [g.Fresh("skip_layer_norm")], OnnxGraphBuilder.MicrosoftDomain, Float("epsilon", (float)config.LayerNormEps)).Output[0];

    /// <summary>The [in, out] MatMul weight of a Linear layer, under its Hugging Face name.</summary>
    private string Weight(string prefix)
    {
        var name = prefix + ".weight";
        var weight = w[name];
        return g.AddInitializer(name, w.Transposed(name), weight.Shape[1], weight.Shape[0]);
    }

    private string Linear(string x, string prefix) => g.Op("Add", [g.Op("MatMul", [x, Weight(prefix)]), Init(prefix + ".bias")]);

    /// <summary>Exact GELU: x·½·(1 + erf(x/√2)).</summary>
    private string Gelu(string x)
    {
        var erf = g.Op("Erf", [g.Op("Div", [x, g.Scalar(MathF.Sqrt(2f))])]);
        return g.Op("Mul", [g.Op("Mul", [x, g.Op("Add", [erf, g.Scalar(1f)])]), g.Scalar(0.5f)]);
    }

    private string LayerNorm(string x, string prefix)
    {
        var gamma = Init(prefix + ".weight");
        var beta = Init(prefix + ".bias");
        var eps = (float)config.LayerNormEps;
        if (opset >= 17)
            return g.Op("LayerNormalization", [x, gamma, beta], Int("axis", -1), Float("epsilon", eps));
        // Decomposed form for opsets 14-16 (ReduceMean still takes axes as an attribute there).
        var mean = g.Op("ReduceMean", [x], Ints("axes", -1), Int("keepdims", 1));
        var centred = g.Op("Sub", [x, mean]);
        var variance = g.Op("ReduceMean", [g.Op("Mul", [centred, centred])], Ints("axes", -1), Int("keepdims", 1));
        var std = g.Op("Sqrt", [g.Op("Add", [variance, g.Scalar(eps)])]);
        return g.Op("Add", [g.Op("Mul", [g.Op("Div", [centred, std]), gamma]), beta]);
    }

    /// <summary>sentence_embedding = Σ_s m_s·h_s / max(Σ_s m_s, 1e-9).</summary>
    private void MaskedMean(string maskFloat)
    {
        var m = g.Op("Unsqueeze", [maskFloat, g.Int64s(2)]);
        var sum = g.Op("ReduceSum", [g.Op("Mul", [LastHiddenState, m]), g.Int64s(1)], Int("keepdims", 0));
        var count = g.Op("ReduceSum", [m, g.Int64s(1)], Int("keepdims", 0));
        var safe = g.Op("Max", [count, g.Scalar(1e-9f)]);
        g.AddNode("Div", [sum, safe], [SentenceEmbedding]);
        g.AddOutput(SentenceEmbedding, DataType.Float, "batch", config.HiddenSize);
    }

    private string Init(string name)
    {
        var t = w[name];
        return g.AddInitializer(name, t.Data, t.Shape);
    }
}
