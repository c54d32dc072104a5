using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MlNetIso.Trainers.Kernels;

/// <summary>
/// One AdamW update (Loshchilov &amp; Hutter, ICLR 2019) of a float32 parameter in a single pass over its memory:
/// <c>θ ← θ·(1 − ηλ)</c>; <c>m ← β₁m + (1 − β₁)g</c>; <c>v ← β₂v + (1 − β₂)g²</c>;
/// <c>θ ← θ + s · m / (√v / √(1 − β₂ᵗ) + ε)</c> with <c>s = −η/(1 − β₁ᵗ)</c>, element by element in that order.
/// </summary>
/// <remarks>
/// libtorch performs the same update as six separate element-wise kernels (each a full pass over the parameter, plus
/// a temporary for the denominator). Fused, the update reads θ, g, m, v once and writes θ, m, v once; each element's
/// arithmetic is the same float32 operations in the same order (the first moment's <c>m·β₁ + (1 − β₁)g</c> as one fused
/// multiply-add, as libtorch's vectorised <c>add(…, alpha)</c> computes it).
/// </remarks>
internal static class AdamWUpdate
{
    /// <summary>Elements per parallel chunk when the update is split across threads.</summary>
    private const int ChunkSize = 1 << 15;

    /// <summary>The per-step coefficients, in float32 as libtorch applies them to float32 tensors.</summary>
    /// <param name="Decay"><c>1 − ηλ</c>.</param>
    /// <param name="Beta1">β₁.</param>
    /// <param name="OneMinusBeta1"><c>1 − β₁</c> (rounded once from double, as libtorch's Scalar is).</param>
    /// <param name="Beta2">β₂.</param>
    /// <param name="OneMinusBeta2"><c>1 − β₂</c>.</param>
    /// <param name="RootCorrection2"><c>√(1 − β₂ᵗ)</c>.</param>
    /// <param name="Epsilon">ε.</param>
    /// <param name="StepSize"><c>−η/(1 − β₁ᵗ)</c>.</param>
    internal readonly record struct Coefficients(
        float Decay, float Beta1, float OneMinusBeta1, float Beta2, float OneMinusBeta2, float RootCorrection2, float Epsilon, float StepSize);

    /// <summary>
    /// Updates <paramref name="parameter"/>, <paramref name="average"/> (m) and <paramref name="squareAverage"/> (v) in
    /// place from <paramref name="gradient"/>; spans of equal length. With <paramref name="threads"/> &gt; 1, long
    /// parameters are split into chunks updated in parallel (each element's result is the same either way). Returns
    /// whether every updated parameter value is finite (checked on the way, as <c>Σ(θ − θ) = 0</c>: a NaN or ±∞
    /// makes the sum NaN), so the divergence guard need not read the weights again.
    /// </summary>
    public static unsafe bool Apply(Span<float> parameter, ReadOnlySpan<float> gradient, Span<float> average, Span<float> squareAverage,
        in Coefficients c, int threads = 1)
    {
        int n = parameter.Length;
        if (gradient.Length != n || average.Length != n || squareAverage.Length != n)
            throw new ArgumentException("The parameter, gradient and moment spans must have the same length.", nameof(gradient));
        if (threads <= 1 || n < 2 * ChunkSize) return Run(parameter, gradient, average, squareAverage, c);
        var coefficients = c;
        int nonFinite = 0;
        fixed (float* p = parameter, g = gradient, m = average, v = squareAverage)
        {
            var (pp, gp, mp, vp) = ((nint)p, (nint)g, (nint)m, (nint)v);
            int chunks = (n + ChunkSize - 1) / ChunkSize;
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
            {
                int start = chunk * ChunkSize, length = Math.Min(ChunkSize, n - start);
                if (!Run(new Span<float>((float*)pp + start, length), new ReadOnlySpan<float>((float*)gp + start, length),
                        new Span<float>((float*)mp + start, length), new Span<float>((float*)vp + start, length), coefficients))
                    Volatile.Write(ref nonFinite, 1);
            });
        }
        return nonFinite == 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    private static bool Run(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, in Coefficients c)
    {
        int i = 0;
        float check = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var (decay, b1, a1, b2, a2) = (Vector512.Create(c.Decay), Vector512.Create(c.Beta1), Vector512.Create(c.OneMinusBeta1), Vector512.Create(c.Beta2), Vector512.Create(c.OneMinusBeta2));
            var (root, eps, step) = (Vector512.Create(c.RootCorrection2), Vector512.Create(c.Epsilon), Vector512.Create(c.StepSize));
            var finite = Vector512<float>.Zero;
            for (; i <= p.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var gi = Vector512.Create(g[i..]);
                var mi = Vector512.FusedMultiplyAdd(gi, a1, Vector512.Create(m[i..]) * b1);
                var vi = Vector512.Create(v[i..]) * b2 + a2 * gi * gi;
                var denominator = Vector512.Sqrt(vi) / root + eps;
                var pi = Vector512.Create(p[i..]) * decay + step * (mi / denominator);
                finite += pi - pi;
                pi.CopyTo(p[i..]);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
            }
            check += Vector512.Sum(finite);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var (decay, b1, a1, b2, a2) = (Vector256.Create(c.Decay), Vector256.Create(c.Beta1), Vector256.Create(c.OneMinusBeta1), Vector256.Create(c.Beta2), Vector256.Create(c.OneMinusBeta2));
            var (root, eps, step) = (Vector256.Create(c.RootCorrection2), Vector256.Create(c.Epsilon), Vector256.Create(c.StepSize));
            var finite = Vector256<float>.Zero;
            for (; i <= p.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var gi = Vector256.Create(g[i..]);
                var mi = Vector256.FusedMultiplyAdd(gi, a1, Vector256.Create(m[i..]) * b1);
                var vi = Vector256.Create(v[i..]) * b2 + a2 * gi * gi;
                var denominator = Vector256.Sqrt(vi) / root + eps;
                var pi = Vector256.Create(p[i..]) * decay + step * (mi / denominator);
                finite += pi - pi;
                pi.CopyTo(p[i..]);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
            }
            check += Vector256.Sum(finite);
        }
        for (; i < p.Length; i++)
        {
            float gi = g[i];
            float mi = MathF.FusedMultiplyAdd(gi, c.OneMinusBeta1, m[i] * c.Beta1);
            float vi = v[i] * c.Beta2 + c.OneMinusBeta2 * gi * gi;
            float denominator = MathF.Sqrt(vi) / c.RootCorrection2 + c.Epsilon;
            float pi = p[i] * c.Decay + c.StepSize * (mi / denominator);
            check += pi - pi;
            p[i] = pi;
            m[i] = mi;
            v[i] = vi;
        }
        return check == 0;
    }
}
