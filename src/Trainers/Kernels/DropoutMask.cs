using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MlNetIso.Trainers.Kernels;

/// <summary>
/// Inverted-dropout masks (Srivastava et al., JMLR 2014, as PyTorch applies it in training): element i of a mask is
/// <c>1/(1 − p)</c> with probability 1 − p and 0 otherwise, so <c>x ⊙ mask</c> keeps the expectation of x.
/// The draws come from a counter-based generator — element i of the mask for <c>key</c> is a keyed hash of i — so a
/// mask is a pure function of (key, length, p): reproducible for a seed, and filled with SIMD lanes in any order.
/// </summary>
/// <remarks>
/// <para>Element i's 32-bit draw is <c>h = fmix(fmix(i ⊕ k₀) ⊕ k₁)</c> with MurmurHash3's 32-bit finaliser
/// <c>fmix</c> (xor-shift and multiply, a bijection with full avalanche) and the key's two halves k₀, k₁. It is kept
/// when <c>h ≥ round(p·2³²)</c>, so the keep rate is 1 − p to within 2⁻³². For a fixed key, distinct i give distinct h.</para>
/// <para>Why not libtorch's <c>dropout</c>: on this project's CPU its Bernoulli draws cost about 7 ns an element
/// (about 1 ms for one 32 × 32 × 128 activation, the same in PyTorch 1.13), which made dropout about a sixth of a
/// fine-tuning step; this fill costs well under a nanosecond an element (docs/benchmarks.md, "I-STAR against PyTorch").</para>
/// </remarks>
internal static class DropoutMask
{
    /// <summary>Fills <paramref name="mask"/> with the inverted-dropout mask of drop probability <paramref name="p"/> ∈ [0, 1) for <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    public static void Fill(Span<float> mask, ulong key, double p)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "The drop probability must lie in [0, 1).");
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        uint threshold = (uint)Math.Min(uint.MaxValue, Math.Round(p * 4294967296.0));
        float scale = (float)(1 / (1 - p));
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var index = Vector512<uint>.Indices;
            var step = Vector512.Create((uint)Vector512<uint>.Count);
            var (vk0, vk1, vt, vs) = (Vector512.Create(k0), Vector512.Create(k1), Vector512.Create(threshold), Vector512.Create(scale));
            for (; i <= mask.Length - Vector512<float>.Count; i += Vector512<float>.Count, index += step)
            {
                var h = Finalise(Finalise(index ^ vk0) ^ vk1);
                Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(h, vt).AsSingle(), vs, Vector512<float>.Zero).CopyTo(mask[i..]);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var index = Vector256<uint>.Indices;
            var step = Vector256.Create((uint)Vector256<uint>.Count);
            var (vk0, vk1, vt, vs) = (Vector256.Create(k0), Vector256.Create(k1), Vector256.Create(threshold), Vector256.Create(scale));
            for (; i <= mask.Length - Vector256<float>.Count; i += Vector256<float>.Count, index += step)
            {
                var h = Finalise(Finalise(index ^ vk0) ^ vk1);
                Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(h, vt).AsSingle(), vs, Vector256<float>.Zero).CopyTo(mask[i..]);
            }
        }
        for (; i < mask.Length; i++)
            mask[i] = Finalise(Finalise((uint)i ^ k0) ^ k1) >= threshold ? scale : 0f;
    }

    /// <summary>The key of the <paramref name="call"/>-th mask of the stream seeded with <paramref name="seed"/> (SplitMix64).</summary>
    public static ulong Key(ulong seed, ulong call)
    {
        ulong z = seed + (call + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>MurmurHash3's 32-bit finaliser.</summary>
    internal static uint Finalise(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >> 16);
    }

    private static Vector512<uint> Finalise(Vector512<uint> h)
    {
        h ^= Vector512.ShiftRightLogical(h, 16);
        h *= Vector512.Create(0x85EBCA6Bu);
        h ^= Vector512.ShiftRightLogical(h, 13);
        h *= Vector512.Create(0xC2B2AE35u);
        return h ^ Vector512.ShiftRightLogical(h, 16);
    }

    private static Vector256<uint> Finalise(Vector256<uint> h)
    {
        h ^= Vector256.ShiftRightLogical(h, 16);
        h *= Vector256.Create(0x85EBCA6Bu);
        h ^= Vector256.ShiftRightLogical(h, 13);
        h *= Vector256.Create(0xC2B2AE35u);
        return h ^ Vector256.ShiftRightLogical(h, 16);
    }
}
