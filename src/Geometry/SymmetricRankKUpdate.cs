using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetIso.Geometry;

/// <summary>
/// Cache-blocked SIMD rank-k update of the upper triangle of a Gram matrix: <c>G += XᵀX</c> for a block X of
/// <c>rows</c> rows, stored in column panels of <see cref="PanelWidth"/> doubles
/// (<c>packed[p·rows·4 + r·4 + w] = X[r, 4p + w]</c>, zero-padded past the last real column).
/// </summary>
/// <remarks>
/// The micro-kernel keeps a 4 × 12 tile of G in twelve <see cref="Vector256{T}"/> registers: per row r it loads three
/// vectors of the 12-column panel group (which stays in L1 while all row panels above it stream past) and
/// broadcasts the four values of the row panel, issuing 12 fused multiply-adds. Only tiles that touch the upper
/// triangle (row panel ≤ last column panel of the group) are computed; entries below the diagonal inside diagonal
/// tiles are written too and must be ignored by the caller.
/// </remarks>
internal static class SymmetricRankKUpdate
{
    /// <summary>Number of doubles per packed column panel (one <see cref="Vector256{T}"/>).</summary>
    public const int PanelWidth = 4;

    /// <summary>Adds XᵀX (upper triangle, padded) to <paramref name="gram"/> (row-major, <c>panels·4</c> square).</summary>
    /// <param name="packed">The block in column-panel layout.</param>
    /// <param name="rows">Rows in the block.</param>
    /// <param name="panels">Column panels (padded dimension / 4).</param>
    /// <param name="gram">Target, row-major with stride <c>panels·4</c>.</param>
    /// <param name="maxDegreeOfParallelism">Worker count over column-panel groups (1 = this thread only).</param>
    public static void AddUpperGram(double[] packed, int rows, int panels, double[] gram, int maxDegreeOfParallelism)
    {
        int groups = (panels + 2) / 3;
        if (maxDegreeOfParallelism <= 1 || groups < 2)
        {
            for (int g = 0; g < groups; g++) ProcessGroup(packed, rows, panels, gram, g);
            return;
        }

        // Later groups hold more tiles (upper triangle): hand them out from the end for a better balance.
        Parallel.For(0, groups, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            k => ProcessGroup(packed, rows, panels, gram, groups - 1 - k));
    }

    private static void ProcessGroup(double[] packed, int rows, int panels, double[] gram, int group)
    {
        int pj = group * 3;
        int width = Math.Min(3, panels - pj);
        int lastPanel = pj + width - 1;
        int stride = panels * PanelWidth;
        for (int pi = 0; pi <= lastPanel; pi++)
        {
            switch (width)
            {
                case 3: Kernel4x12(packed, rows, pi, pj, gram, stride); break;
                case 2: Kernel4x8(packed, rows, pi, pj, gram, stride); break;
                default: Kernel4x4(packed, rows, pi, pj, gram, stride); break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x12(double[] packed, int rows, int pi, int pj, double[] gram, int stride)
    {
        ref double p = ref MemoryMarshal.GetArrayDataReference(packed);
        ref double a = ref Unsafe.Add(ref p, (nint)pi * rows * PanelWidth);
        ref double b0 = ref Unsafe.Add(ref p, (nint)pj * rows * PanelWidth);
        ref double b1 = ref Unsafe.Add(ref b0, (nint)rows * PanelWidth);
        ref double b2 = ref Unsafe.Add(ref b1, (nint)rows * PanelWidth);
        Vector256<double> c00 = default, c01 = default, c02 = default;
        Vector256<double> c10 = default, c11 = default, c12 = default;
        Vector256<double> c20 = default, c21 = default, c22 = default;
        Vector256<double> c30 = default, c31 = default, c32 = default;
        for (nint r = 0, end = (nint)rows * PanelWidth; r < end; r += PanelWidth)
        {
            var v0 = Vector256.LoadUnsafe(ref b0, (nuint)r);
            var v1 = Vector256.LoadUnsafe(ref b1, (nuint)r);
            var v2 = Vector256.LoadUnsafe(ref b2, (nuint)r);
            var s = Vector256.Create(Unsafe.Add(ref a, r));
            c00 = Vector256.FusedMultiplyAdd(s, v0, c00);
            c01 = Vector256.FusedMultiplyAdd(s, v1, c01);
            c02 = Vector256.FusedMultiplyAdd(s, v2, c02);
            s = Vector256.Create(Unsafe.Add(ref a, r + 1));
            c10 = Vector256.FusedMultiplyAdd(s, v0, c10);
            c11 = Vector256.FusedMultiplyAdd(s, v1, c11);
            c12 = Vector256.FusedMultiplyAdd(s, v2, c12);
            s = Vector256.Create(Unsafe.Add(ref a, r + 2));
            c20 = Vector256.FusedMultiplyAdd(s, v0, c20);
            c21 = Vector256.FusedMultiplyAdd(s, v1, c21);
            c22 = Vector256.FusedMultiplyAdd(s, v2, c22);
            s = Vector256.Create(Unsafe.Add(ref a, r + 3));
            c30 = Vector256.FusedMultiplyAdd(s, v0, c30);
            c31 = Vector256.FusedMultiplyAdd(s, v1, c31);
            c32 = Vector256.FusedMultiplyAdd(s, v2, c32);
        }

        ref double g = ref MemoryMarshal.GetArrayDataReference(gram);
        int col = pj * PanelWidth;
        int row = pi * PanelWidth;
        Store3(ref g, (row + 0) * stride + col, c00, c01, c02);
        Store3(ref g, (row + 1) * stride + col, c10, c11, c12);
        Store3(ref g, (row + 2) * stride + col, c20, c21, c22);
        Store3(ref g, (row + 3) * stride + col, c30, c31, c32);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x8(double[] packed, int rows, int pi, int pj, double[] gram, int stride)
    {
        ref double p = ref MemoryMarshal.GetArrayDataReference(packed);
        ref double a = ref Unsafe.Add(ref p, (nint)pi * rows * PanelWidth);
        ref double b0 = ref Unsafe.Add(ref p, (nint)pj * rows * PanelWidth);
        ref double b1 = ref Unsafe.Add(ref b0, (nint)rows * PanelWidth);
        Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<double> c20 = default, c21 = default, c30 = default, c31 = default;
        for (nint r = 0, end = (nint)rows * PanelWidth; r < end; r += PanelWidth)
        {
            var v0 = Vector256.LoadUnsafe(ref b0, (nuint)r);
            var v1 = Vector256.LoadUnsafe(ref b1, (nuint)r);
            var s = Vector256.Create(Unsafe.Add(ref a, r));
            c00 = Vector256.FusedMultiplyAdd(s, v0, c00);
            c01 = Vector256.FusedMultiplyAdd(s, v1, c01);
            s = Vector256.Create(Unsafe.Add(ref a, r + 1));
            c10 = Vector256.FusedMultiplyAdd(s, v0, c10);
            c11 = Vector256.FusedMultiplyAdd(s, v1, c11);
            s = Vector256.Create(Unsafe.Add(ref a, r + 2));
            c20 = Vector256.FusedMultiplyAdd(s, v0, c20);
            c21 = Vector256.FusedMultiplyAdd(s, v1, c21);
            s = Vector256.Create(Unsafe.Add(ref a, r + 3));
            c30 = Vector256.FusedMultiplyAdd(s, v0, c30);
            c31 = Vector256.FusedMultiplyAdd(s, v1, c31);
        }

        ref double g = ref MemoryMarshal.GetArrayDataReference(gram);
        int col = pj * PanelWidth;
        int row = pi * PanelWidth;
        Store2(ref g, (row + 0) * stride + col, c00, c01);
        Store2(ref g, (row + 1) * stride + col, c10, c11);
        Store2(ref g, (row + 2) * stride + col, c20, c21);
        Store2(ref g, (row + 3) * stride + col, c30, c31);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x4(double[] packed, int rows, int pi, int pj, double[] gram, int stride)
    {
        ref double p = ref MemoryMarshal.GetArrayDataReference(packed);
        ref double a = ref Unsafe.Add(ref p, (nint)pi * rows * PanelWidth);
        ref double b0 = ref Unsafe.Add(ref p, (nint)pj * rows * PanelWidth);
        Vector256<double> c0 = default, c1 = default, c2 = default, c3 = default;
        for (nint r = 0, end = (nint)rows * PanelWidth; r < end; r += PanelWidth)
        {
            var v0 = Vector256.LoadUnsafe(ref b0, (nuint)r);
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a, r)), v0, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a, r + 1)), v0, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a, r + 2)), v0, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a, r + 3)), v0, c3);
        }

        ref double g = ref MemoryMarshal.GetArrayDataReference(gram);
        int col = pj * PanelWidth;
        int row = pi * PanelWidth;
        Store1(ref g, (row + 0) * stride + col, c0);
        Store1(ref g, (row + 1) * stride + col, c1);
        Store1(ref g, (row + 2) * stride + col, c2);
        Store1(ref g, (row + 3) * stride + col, c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store3(ref double g, int offset, Vector256<double> x, Vector256<double> y, Vector256<double> z)
    {
        Store1(ref g, offset, x);
        Store1(ref g, offset + PanelWidth, y);
        Store1(ref g, offset + 2 * PanelWidth, z);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store2(ref double g, int offset, Vector256<double> x, Vector256<double> y)
    {
        Store1(ref g, offset, x);
        Store1(ref g, offset + PanelWidth, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store1(ref double g, int offset, Vector256<double> x)
    {
        ref double t = ref Unsafe.Add(ref g, offset);
        (Vector256.LoadUnsafe(ref t) + x).StoreUnsafe(ref t);
    }
}
