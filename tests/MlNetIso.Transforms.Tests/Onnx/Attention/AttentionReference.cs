namespace MlNetIso.Transforms.Tests.Onnx.Attention;

/// <summary>
/// Ground truth for the fixtures: per batch row b and head n, softmax((scale·q·kᵀ + bias + M)/τ)·v in double precision,
/// with M = −∞ for padded keys (key index ≥ lengths[b]).
/// </summary>
internal static class AttentionReference
{
    /// <summary>q, k, v laid out [B, N, S, D]; returns the context in the same layout.</summary>
    public static double[] Compute(float[] q, float[] k, float[] v, int batch, int heads, int seq, int dim, int[] lengths,
        double scale, double tau, float[]? bias = null)
    {
        var result = new double[batch * heads * seq * dim];
        for (var b = 0; b < batch; b++)
        for (var n = 0; n < heads; n++)
        {
            var baseIndex = (b * heads + n) * seq * dim;
            for (var i = 0; i < seq; i++)
            {
                var logits = new double[seq];
                for (var j = 0; j < seq; j++)
                {
                    if (j >= lengths[b]) { logits[j] = double.NegativeInfinity; continue; }
                    double dot = 0;
                    for (var d = 0; d < dim; d++) dot += q[baseIndex + i * dim + d] * (double)k[baseIndex + j * dim + d];
                    var extra = bias is null ? 0 : bias[(n * seq + i) * seq + j];
                    logits[j] = (scale * dot + extra) / tau;
                }
                var max = logits.Max();
                var e = logits.Select(l => Math.Exp(l - max)).ToArray();
                var sum = e.Sum();
                for (var j = 0; j < seq; j++)
                for (var d = 0; d < dim; d++)
                    result[baseIndex + i * dim + d] += e[j] / sum * v[baseIndex + j * dim + d];
            }
        }
        return result;
    }

    /// <summary>[B, S, N·D] (fused-op layout) to [B, N, S, D].</summary>
    public static float[] SplitHeads(float[] x, int batch, int heads, int seq, int dim)
    {
        var result = new float[x.Length];
        for (var b = 0; b < batch; b++)
        for (var s = 0; s < seq; s++)
        for (var n = 0; n < heads; n++)
        for (var d = 0; d < dim; d++)
            result[((b * heads + n) * seq + s) * dim + d] = x[(b * seq + s) * heads * dim + n * dim + d];
        return result;
    }

    public static double MaxAbsDiff(float[] actual, double[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var d = Math.Abs(actual[i] - expected[i]);
            if (double.IsNaN(d)) return double.PositiveInfinity;
            max = Math.Max(max, d);
        }
        return max;
    }
}
