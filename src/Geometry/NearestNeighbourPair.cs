using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetIso.Geometry;

/// <summary>
/// Exact squared Euclidean distances to the first and second nearest neighbour of every point (itself excluded), by
/// a cache-blocked all-pairs scan over rows padded to a multiple of 8 floats (<see cref="Vector256{T}"/> differences,
/// accumulated in float). O(N²d) time, O(Nd) memory; suited to up to ~10⁴–10⁵ points.
/// </summary>
internal static class NearestNeighbourPair
{
    private const int Tile = 64;

    /// <summary>Returns (r1², r2²) for each of the <paramref name="count"/> rows of the padded buffer.</summary>
    /// <param name="data">count × stride floats, zero-padded.</param>
    /// <param name="count">Number of points (≥ 3).</param>
    /// <param name="stride">Padded row length, a multiple of 8.</param>
    public static (double[] First, double[] Second) Compute(float[] data, int count, int stride)
    {
        var first = new double[count];
        var second = new double[count];
        Array.Fill(first, double.PositiveInfinity);
        Array.Fill(second, double.PositiveInfinity);
        for (int ib = 0; ib < count; ib += Tile)
        {
            int iEnd = Math.Min(ib + Tile, count);
            for (int jb = ib; jb < count; jb += Tile)
            {
                int jEnd = Math.Min(jb + Tile, count);
                for (int i = ib; i < iEnd; i++)
                {
                    for (int j = Math.Max(jb, i + 1); j < jEnd; j++)
                    {
                        double d2 = SquaredDistance(data, i * stride, j * stride, stride);
                        Offer(first, second, i, d2);
                        Offer(first, second, j, d2);
                    }
                }
            }
        }
        return (first, second);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(double[] first, double[] second, int i, double d2)
    {
        if (d2 < first[i])
        {
            second[i] = first[i];
            first[i] = d2;
        }
        else if (d2 < second[i])
        {
            second[i] = d2;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SquaredDistance(float[] data, int a, int b, int stride)
    {
        ref float p = ref MemoryMarshal.GetArrayDataReference(data);
        ref float x = ref Unsafe.Add(ref p, a);
        ref float y = ref Unsafe.Add(ref p, b);
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        int k = 0;
        for (; k + 16 <= stride; k += 16)
        {
            var d0 = Vector256.LoadUnsafe(ref x, (nuint)k) - Vector256.LoadUnsafe(ref y, (nuint)k);
            var d1 = Vector256.LoadUnsafe(ref x, (nuint)(k + 8)) - Vector256.LoadUnsafe(ref y, (nuint)(k + 8));
            acc0 = Vector256.FusedMultiplyAdd(d0, d0, acc0);
            acc1 = Vector256.FusedMultiplyAdd(d1, d1, acc1);
        }
        if (k < stride)
        {
            var d0 = Vector256.LoadUnsafe(ref x, (nuint)k) - Vector256.LoadUnsafe(ref y, (nuint)k);
            acc0 = Vector256.FusedMultiplyAdd(d0, d0, acc0);
        }
        return Vector256.Sum(acc0 + acc1);
    }
}
