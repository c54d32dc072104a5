using System.Numerics.Tensors;

namespace MlNetIso.Benchmarks.Study;

/// <summary>
/// Per-layer measures of the low-pass (smoothing) view of self-attention (Zhou et al., arXiv 2410.24200, after Wang et
/// al. 2022), for one sequence of n tokens:
/// <list type="bullet">
/// <item>DC share of the token states H (n × d): ‖mean_t hₜ‖² / mean_t ‖hₜ‖² ∈ [0, 1] — the fraction of the states'
/// energy in the direct-current (all-tokens-equal) component; 1 when every token state is the same vector;</item>
/// <item>normalised attention entropy: for every head and query row, −Σⱼ pⱼ ln pⱼ / ln n ∈ [0, 1], averaged — 1 for
/// uniform attention (the strongest low-pass filter), 0 for one-hot;</item>
/// <item>high-frequency gain σₐ: the largest singular value of (I − 11ᵀ/n)·A for every head's attention matrix A,
/// averaged over heads — how much of a non-constant signal one attention step passes on (the paper's σₐ; smaller
/// means stronger low-pass filtering). Computed by power iteration on Aᵀ(I − 11ᵀ/n)A.</item>
/// </list>
/// </summary>
internal static class LayerStatistics
{
    /// <summary>‖mean_t hₜ‖² / mean_t ‖hₜ‖² of the n rows of <paramref name="states"/> (row-major n × d).</summary>
    public static double DcShare(ReadOnlySpan<float> states, int n, int d)
    {
        if (states.Length != n * d) throw new ArgumentException($"Expected {n} × {d} values, got {states.Length}.");
        var mean = new double[d];
        double energy = 0;
        for (var t = 0; t < n; t++)
        {
            var row = states.Slice(t * d, d);
            for (var k = 0; k < d; k++) mean[k] += row[k];
            energy += TensorPrimitives.Dot(row, row);
        }
        double meanNorm = 0;
        foreach (var m in mean) meanNorm += m / n * (m / n);
        return energy == 0 ? double.NaN : meanNorm / (energy / n);
    }

    /// <summary>Mean over heads and query rows of the attention entropy divided by ln n (<paramref name="attention"/>: heads × n × n).</summary>
    public static double NormalisedEntropy(ReadOnlySpan<float> attention, int heads, int n)
    {
        if (attention.Length != heads * n * n) throw new ArgumentException($"Expected {heads} × {n} × {n} values, got {attention.Length}.");
        if (n < 2) return double.NaN;
        double sum = 0;
        for (var row = 0; row < heads * n; row++)
        {
            double h = 0;
            foreach (var p in attention.Slice(row * n, n))
                if (p > 0) h -= p * Math.Log(p);
            sum += h;
        }
        return sum / (heads * n) / Math.Log(n);
    }

    /// <summary>Mean over heads of σ_max((I − 11ᵀ/n)·A) (<paramref name="attention"/>: heads × n × n, rows = queries).</summary>
    public static double HighFrequencyGain(ReadOnlySpan<float> attention, int heads, int n, int iterations = 30)
    {
        if (attention.Length != heads * n * n) throw new ArgumentException($"Expected {heads} × {n} × {n} values, got {attention.Length}.");
        double total = 0;
        var v = new float[n];
        var av = new float[n];
        var next = new float[n];
        for (var head = 0; head < heads; head++)
        {
            var a = attention.Slice(head * n * n, n * n);
            // A fixed start vector with no constant component (constant inputs are removed by the centring anyway).
            for (var i = 0; i < n; i++) v[i] = (float)Math.Cos(1.0 + 2.3 * i);
            Normalise(v);
            double sigma = 0;
            for (var it = 0; it < iterations; it++)
            {
                CentredProduct(a, v, av, n);                // av = (I − 11ᵀ/n) A v
                sigma = Math.Sqrt(TensorPrimitives.Dot(av, av));
                Array.Clear(next);
                for (var i = 0; i < n; i++) TensorPrimitives.MultiplyAdd(a.Slice(i * n, n), av[i], next, next); // next = Aᵀ av
                if (!Normalise(next)) break;
                next.CopyTo(v, 0);
            }
            total += sigma;
        }
        return total / heads;
    }

    private static void CentredProduct(ReadOnlySpan<float> a, float[] v, float[] result, int n)
    {
        for (var i = 0; i < n; i++) result[i] = TensorPrimitives.Dot(a.Slice(i * n, n), v);
        var mean = TensorPrimitives.Sum(result) / n;
        TensorPrimitives.Subtract(result, mean, result);
    }

    private static bool Normalise(float[] v)
    {
        var norm = MathF.Sqrt(TensorPrimitives.Dot(v, v));
        if (!(norm > 0)) return false;
        TensorPrimitives.Divide(v, norm, v);
        return true;
    }
}
