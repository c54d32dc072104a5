using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetIso.Geometry;

/// <summary>
/// Exact squared Euclidean distances to the first and second nearest neighbour of every point (itself excluded), by
/// a cache-blocked all-pairs scan over rows padded to a multiple of <see cref="RowMultiple"/> doubles. Differences,
/// squares and sums are all in double (<see cref="Vector512{T}"/> where the CPU has AVX-512, else
/// <see cref="Vector256{T}"/>), so float clouds of any magnitude — 1e-20 or 1e20 — neither overflow nor lose digits
/// to subnormals. O(N²d) time, O(Nd) memory; suited to up to ~10⁴–10⁵ points.
/// </summary>
internal static class NearestNeighbourPair
{
    /// <summary>Rows must be padded (with zeros) to a multiple of this many doubles.</summary>
    public const int RowMultiple = 16;

    private const int Tile = 64;

    /// <summary>Returns (r1², r2²) for each of the <paramref name="count"/> rows of the padded buffer.</summary>
    /// <param name="data">count × stride doubles, zero-padded.</param>
    /// <param name="count">Number of points (≥ 3).</param>
    /// <param name="stride">Padded row length, a multiple of <see cref="RowMultiple"/>.</param>
    public static (double[] First, double[] Second) Compute(double[] data, int count, int stride)
    {
        if (stride % RowMultiple != 0) throw new ArgumentException($"Row stride {stride} is not a multiple of {RowMultiple}.", nameof(stride));
        var first = new double[count];
        var second = new double[count];
        Array.Fill(first, double.PositiveInfinity);
        Array.Fill(second, double.PositiveInfinity);
        bool wide = Vector512.IsHardwareAccelerated;
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
                        double d2 = wide
                            ? SquaredDistance512(data, i * stride, j * stride, stride)
                            : SquaredDistance256(data, i * stride, j * stride, stride);
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
    private static double SquaredDistance512(double[] data, int a, int b, int stride)
    {
        ref double p = ref MemoryMarshal.GetArrayDataReference(data);
        ref double x = ref Unsafe.Add(ref p, a);
        ref double y = ref Unsafe.Add(ref p, b);
        var acc0 = Vector512<double>.Zero;
        var acc1 = Vector512<double>.Zero;
        for (int k = 0; k < stride; k += 16)
        {
            var d0 = Vector512.LoadUnsafe(ref x, (nuint)k) - Vector512.LoadUnsafe(ref y, (nuint)k);
            var d1 = Vector512.LoadUnsafe(ref x, (nuint)(k + 8)) - Vector512.LoadUnsafe(ref y, (nuint)(k + 8));
            acc0 = Vector512.FusedMultiplyAdd(d0, d0, acc0);
            acc1 = Vector512.FusedMultiplyAdd(d1, d1, acc1);
        }
        return Vector512.Sum(acc0 + acc1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SquaredDistance256(double[] data, int a, int b, int stride)
    {
        ref double p = ref MemoryMarshal.GetArrayDataReference(data);
        ref double x = ref Unsafe.Add(ref p, a);
        ref double y = ref Unsafe.Add(ref p, b);
        var acc0 = Vector256<double>.Zero;
        var acc1 = Vector256<double>.Zero;
        for (int k = 0; k < stride; k += 8)
        {
            var d0 = Vector256.LoadUnsafe(ref x, (nuint)k) - Vector256.LoadUnsafe(ref y, (nuint)k);
            var d1 = Vector256.LoadUnsafe(ref x, (nuint)(k + 4)) - Vector256.LoadUnsafe(ref y, (nuint)(k + 4));
            acc0 = Vector256.FusedMultiplyAdd(d0, d0, acc0);
            acc1 = Vector256.FusedMultiplyAdd(d1, d1, acc1);
        }
        return Vector256.Sum(acc0 + acc1);
    }
}
