using Microsoft.ML.OnnxRuntime;
using MlNetIso.Transforms.Embedding;
using MlNetIso.Transforms.Tests.Onnx;

namespace MlNetIso.Transforms.Tests.Embedding;

/// <summary>
/// Independent reference for the transform: ONNX Runtime on ONE unpadded sequence at a time, pooled and normalised by
/// hand in double precision.
/// </summary>
internal sealed class ReferenceEmbedder : IDisposable
{
    private readonly InferenceSession _session;

    public ReferenceEmbedder(byte[] model) => _session = OrtRunner.Session(model);

    /// <summary>Token states [n, d] of one sequence, run alone (no padding).</summary>
    public float[] States(int[] ids)
    {
        long[] shape = [1, ids.Length];
        var longIds = ids.Select(i => (long)i).ToArray();
        return OrtRunner.Run(_session,
            [("input_ids", longIds, shape), ("attention_mask", Enumerable.Repeat(1L, ids.Length).ToArray(), shape),
             ("token_type_ids", new long[ids.Length], shape)],
            "last_hidden_state")[0];
    }

    /// <summary>Pooled (not normalised) embedding of one sequence.</summary>
    public double[] Pooled(int[] ids, EmbeddingPooling pooling)
    {
        var states = States(ids);
        var d = states.Length / ids.Length;
        var e = new double[d];
        for (var j = 0; j < d; j++)
        {
            var column = Enumerable.Range(0, ids.Length).Select(t => (double)states[t * d + j]).ToArray();
            e[j] = pooling switch
            {
                EmbeddingPooling.Mean => column.Average(),
                EmbeddingPooling.Cls => column[0],
                EmbeddingPooling.Max => column.Max(),
                _ => throw new ArgumentOutOfRangeException(nameof(pooling)),
            };
        }
        return e;
    }

    /// <summary>Token-count-weighted mean of window embeddings, then L2 normalisation.</summary>
    public float[] Embed(IReadOnlyList<int[]> windows, EmbeddingPooling pooling = EmbeddingPooling.Mean, bool normalize = true)
    {
        double[]? sum = null;
        double weight = 0;
        foreach (var w in windows)
        {
            var p = Pooled(w, pooling);
            sum ??= new double[p.Length];
            for (var j = 0; j < p.Length; j++) sum[j] += w.Length * p[j];
            weight += w.Length;
        }
        var e = sum!.Select(v => v / weight).ToArray();
        if (normalize)
        {
            var norm = Math.Sqrt(e.Sum(v => v * v));
            e = e.Select(v => v / norm).ToArray();
        }
        return e.Select(v => (float)v).ToArray();
    }

    public void Dispose() => _session.Dispose();
}
