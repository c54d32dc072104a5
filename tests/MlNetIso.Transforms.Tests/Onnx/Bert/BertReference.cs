using MlNetIso.Onnx.Bert;


namespace MlNetIso.Transforms.Tests.Onnx.Bert;

/// <summary>
/// A plain double-precision BERT forward pass (post-LN, erf GELU, extended mask −10000) used as ground truth.
/// With temperature τ every attention softmax is softmax((QKᵀ/√d + M)/τ) as in TempScale (arXiv 2410.24200).
/// </summary>
internal static class BertReference
{
    /// <summary>last_hidden_state as [batch][position][hidden].</summary>
    public static double[][][] Forward(BertConfig c, IReadOnlyDictionary<string, NamedTensor> w, TinyBert.Batch batch,
        double temperature = 1.0)
    {
        var result = new double[batch.Size][][];
        for (var b = 0; b < batch.Size; b++)
            result[b] = ForwardRow(c, w, batch, b, temperature);
        return result;
    }

    private static double[][] ForwardRow(BertConfig c, IReadOnlyDictionary<string, NamedTensor> w, TinyBert.Batch batch,
        int b, double tau)
    {
        int s = batch.Length, h = c.HiddenSize;
        var x = new double[s][];
        for (var t = 0; t < s; t++)
        {
            var id = (int)batch.Ids[b * s + t];
            var type = (int)batch.Types[b * s + t];
            x[t] = new double[h];
            for (var j = 0; j < h; j++)
                x[t][j] = W(w, "embeddings.word_embeddings.weight")[id * h + j]
                          + W(w, "embeddings.position_embeddings.weight")[t * h + j]
                          + W(w, "embeddings.token_type_embeddings.weight")[type * h + j];
            x[t] = LayerNorm(x[t], w, "embeddings.LayerNorm", c.LayerNormEps);
        }
        var mask = Enumerable.Range(0, s).Select(t => (1.0 - batch.Mask[b * s + t]) * -10000.0).ToArray();
        for (var layer = 0; layer < c.NumHiddenLayers; layer++)
            x = Layer(c, w, $"encoder.layer.{layer}.", x, mask, tau);
        return x;
    }

    private static double[][] Layer(BertConfig c, IReadOnlyDictionary<string, NamedTensor> w, string p, double[][] x,
        double[] mask, double tau)
    {
        int s = x.Length, dh = c.HeadSize;
        var q = x.Select(r => Linear(r, w, p + "attention.self.query")).ToArray();
        var k = x.Select(r => Linear(r, w, p + "attention.self.key")).ToArray();
        var v = x.Select(r => Linear(r, w, p + "attention.self.value")).ToArray();
        var context = Enumerable.Range(0, s).Select(_ => new double[c.HiddenSize]).ToArray();
        for (var head = 0; head < c.NumAttentionHeads; head++)
        for (var i = 0; i < s; i++)
        {
            var logits = new double[s];
            for (var j = 0; j < s; j++)
            {
                double dot = 0;
                for (var d = 0; d < dh; d++) dot += q[i][head * dh + d] * k[j][head * dh + d];
                logits[j] = (dot / Math.Sqrt(dh) + mask[j]) / tau;
            }
            var probs = Softmax(logits);
            for (var j = 0; j < s; j++)
            for (var d = 0; d < dh; d++)
                context[i][head * dh + d] += probs[j] * v[j][head * dh + d];
        }
        var result = new double[s][];
        for (var i = 0; i < s; i++)
        {
            var attn = Linear(context[i], w, p + "attention.output.dense");
            var hidden = LayerNorm(Add(attn, x[i]), w, p + "attention.output.LayerNorm", c.LayerNormEps);
            var inter = Linear(hidden, w, p + "intermediate.dense").Select(Gelu).ToArray();
            var output = Linear(inter, w, p + "output.dense");
            result[i] = LayerNorm(Add(output, hidden), w, p + "output.LayerNorm", c.LayerNormEps);
        }
        return result;
    }

    public static double[] Softmax(double[] logits)
    {
        var max = logits.Max();
        var e = logits.Select(l => Math.Exp(l - max)).ToArray();
        var sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    public static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>erf via MathNet (double precision).</summary>
    private static double Erf(double x) => MathNet.Numerics.SpecialFunctions.Erf(x);

    /// <summary>y = W·x + b with W in PyTorch [out, in] layout.</summary>
    private static double[] Linear(double[] x, IReadOnlyDictionary<string, NamedTensor> w, string prefix)
    {
        var weight = w[prefix + ".weight"];
        var bias = W(w, prefix + ".bias");
        int outs = (int)weight.Shape[0], ins = (int)weight.Shape[1];
        var y = new double[outs];
        for (var o = 0; o < outs; o++)
        {
            double acc = bias[o];
            for (var i = 0; i < ins; i++) acc += weight.Data[o * ins + i] * x[i];
            y[o] = acc;
        }
        return y;
    }

    private static double[] LayerNorm(double[] x, IReadOnlyDictionary<string, NamedTensor> w, string prefix, double eps)
    {
        var gamma = W(w, prefix + ".weight");
        var beta = W(w, prefix + ".bias");
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average();
        var std = Math.Sqrt(variance + eps);
        return x.Select((v, j) => (v - mean) / std * gamma[j] + beta[j]).ToArray();
    }

    private static double[] Add(double[] a, double[] b) => a.Select((v, i) => v + b[i]).ToArray();

    private static float[] W(IReadOnlyDictionary<string, NamedTensor> w, string name) => w[name].Data;
}
