using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MlNetIso.Geometry;

namespace MlNetIso.Benchmarks.IsoScore;

/// <summary>
/// The alternative measured for the float32 decision of issue 15, kept in the benchmarks only: the covariance with
/// float32 products accumulated in float32 over each chunk of rows (at most <see cref="SymmetricRankKUpdate.MaxChunkRows"/>,
/// the same cache block as the library's float64 kernel) and added to a float64 Gram matrix between chunks. Centring
/// (each block of 256 rows on its own mean) and Chan's merge stay in float64, so the only change is the precision of
/// the products and of the in-register sums. The micro-kernel keeps an 8 × 48 tile in 24 <see cref="Vector512{T}"/> of
/// float — twice the flops per instruction of the library's 8 × 24 float64 tile.
/// </summary>
internal static class Float32BlockGram
{
    /// <summary>Floats per packed column panel.</summary>
    public const int PanelWidth = 16;

    private const int BlockRows = 256;

    /// <summary>Column panels for dimension d, rounded up to whole groups of three (the extra panels are zero).</summary>
    public static int Panels(int d) => ((d + PanelWidth - 1) / PanelWidth + 2) / 3 * 3;

    /// <summary>ddof-1 covariance of <paramref name="m"/> row-major rows, products in float32.</summary>
    public static double[,] Covariance(float[] data, int m, int d)
    {
        int panels = Panels(d), padded = panels * PanelWidth, panelStride = BlockRows * PanelWidth;
        var packed = new float[panels * panelStride];
        var coMoment = new double[padded * padded];
        var blockGram = new double[padded * padded];
        var mean = new double[d];
        var blockMean = new double[d];
        long count = 0;
        for (int start = 0; start < m; start += BlockRows)
        {
            int nb = Math.Min(BlockRows, m - start);
            Array.Clear(blockMean);
            for (int r = 0; r < nb; r++)
                for (int j = 0; j < d; j++) blockMean[j] += data[(long)(start + r) * d + j];
            for (int j = 0; j < d; j++) blockMean[j] /= nb;
            for (int r = 0; r < nb; r++)
                for (int j = 0; j < d; j++)
                    packed[j / PanelWidth * panelStride + r * PanelWidth + j % PanelWidth] = (float)(data[(long)(start + r) * d + j] - blockMean[j]);
            Array.Clear(blockGram);
            AddUpperGram(packed, panelStride, nb, panels, blockGram);
            double nA = count, nB = nb, n = nA + nB, factor = nA * nB / n;
            for (int i = 0; i < d; i++)
                for (int j = i; j < d; j++)
                    coMoment[i * padded + j] += blockGram[i * padded + j] + factor * (blockMean[i] - mean[i]) * (blockMean[j] - mean[j]);
            for (int j = 0; j < d; j++) mean[j] += (blockMean[j] - mean[j]) * (nB / n);
            count += nb;
        }
        var c = new double[d, d];
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++) c[i, j] = c[j, i] = coMoment[i * padded + j] / (m - 1);
        return c;
    }

    /// <summary>Adds XᵀX (upper triangle, padded, float32 products) to the float64 <paramref name="gram"/>.</summary>
    /// <param name="packed">Rows in column panels of 16 floats: <c>packed[p·panelStride + r·16 + lane]</c>.</param>
    /// <param name="panelStride">Floats from one panel to the next.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="panels">Panels, a multiple of 3.</param>
    /// <param name="gram">Row-major, stride panels·16.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddUpperGram(float[] packed, int panelStride, int rows, int panels, double[] gram)
    {
        if (panels % 3 != 0 || !Vector512.IsHardwareAccelerated)
            throw new NotSupportedException("The float32 study kernel needs whole groups of three panels and AVX-512.");
        if (rows == 0) return;
        int chunks = (rows + SymmetricRankKUpdate.MaxChunkRows - 1) / SymmetricRankKUpdate.MaxChunkRows;
        int chunkRows = (rows + chunks - 1) / chunks;
        nint stride = panels * PanelWidth;
        ref float p = ref MemoryMarshal.GetArrayDataReference(packed);
        ref double g = ref MemoryMarshal.GetArrayDataReference(gram);
        for (int k0 = 0; k0 < rows; k0 += chunkRows)
        {
            int kc = Math.Min(chunkRows, rows - k0);
            ref float chunk = ref Unsafe.Add(ref p, (nint)k0 * PanelWidth);
            for (int pj = 0; pj < panels; pj += 3)
            {
                ref float b = ref Unsafe.Add(ref chunk, (nint)pj * panelStride);
                for (int pi = 0; pi < pj + 3; pi++)
                    for (int half = 0; half < PanelWidth; half += 8)
                        Tile(ref Unsafe.Add(ref chunk, (nint)pi * panelStride + half), ref b, panelStride, kc,
                            ref Unsafe.Add(ref g, (pi * PanelWidth + half) * stride + pj * PanelWidth), stride);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(ref float a, ref float b0, nint panelStride, nint kc, ref double c, nint stride)
    {
        ref float b1 = ref Unsafe.Add(ref b0, panelStride);
        ref float b2 = ref Unsafe.Add(ref b0, 2 * panelStride);
        Vector512<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        Vector512<float> c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default;
        Vector512<float> c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
        for (nint r = 0, end = kc * PanelWidth; r < end; r += PanelWidth)
        {
            var v0 = Vector512.LoadUnsafe(ref b0, (nuint)r);
            var v1 = Vector512.LoadUnsafe(ref b1, (nuint)r);
            var v2 = Vector512.LoadUnsafe(ref b2, (nuint)r);
            ref float ar = ref Unsafe.Add(ref a, r);
            var s = Vector512.Create(ar);
            c00 = Vector512.FusedMultiplyAdd(s, v0, c00); c01 = Vector512.FusedMultiplyAdd(s, v1, c01); c02 = Vector512.FusedMultiplyAdd(s, v2, c02);
            s = Vector512.Create(Unsafe.Add(ref ar, 1));
            c10 = Vector512.FusedMultiplyAdd(s, v0, c10); c11 = Vector512.FusedMultiplyAdd(s, v1, c11); c12 = Vector512.FusedMultiplyAdd(s, v2, c12);
            s = Vector512.Create(Unsafe.Add(ref ar, 2));
            c20 = Vector512.FusedMultiplyAdd(s, v0, c20); c21 = Vector512.FusedMultiplyAdd(s, v1, c21); c22 = Vector512.FusedMultiplyAdd(s, v2, c22);
            s = Vector512.Create(Unsafe.Add(ref ar, 3));
            c30 = Vector512.FusedMultiplyAdd(s, v0, c30); c31 = Vector512.FusedMultiplyAdd(s, v1, c31); c32 = Vector512.FusedMultiplyAdd(s, v2, c32);
            s = Vector512.Create(Unsafe.Add(ref ar, 4));
            c40 = Vector512.FusedMultiplyAdd(s, v0, c40); c41 = Vector512.FusedMultiplyAdd(s, v1, c41); c42 = Vector512.FusedMultiplyAdd(s, v2, c42);
            s = Vector512.Create(Unsafe.Add(ref ar, 5));
            c50 = Vector512.FusedMultiplyAdd(s, v0, c50); c51 = Vector512.FusedMultiplyAdd(s, v1, c51); c52 = Vector512.FusedMultiplyAdd(s, v2, c52);
            s = Vector512.Create(Unsafe.Add(ref ar, 6));
            c60 = Vector512.FusedMultiplyAdd(s, v0, c60); c61 = Vector512.FusedMultiplyAdd(s, v1, c61); c62 = Vector512.FusedMultiplyAdd(s, v2, c62);
            s = Vector512.Create(Unsafe.Add(ref ar, 7));
            c70 = Vector512.FusedMultiplyAdd(s, v0, c70); c71 = Vector512.FusedMultiplyAdd(s, v1, c71); c72 = Vector512.FusedMultiplyAdd(s, v2, c72);
        }
        AddRow(ref c, c00, c01, c02);
        AddRow(ref Unsafe.Add(ref c, stride), c10, c11, c12);
        AddRow(ref Unsafe.Add(ref c, 2 * stride), c20, c21, c22);
        AddRow(ref Unsafe.Add(ref c, 3 * stride), c30, c31, c32);
        AddRow(ref Unsafe.Add(ref c, 4 * stride), c40, c41, c42);
        AddRow(ref Unsafe.Add(ref c, 5 * stride), c50, c51, c52);
        AddRow(ref Unsafe.Add(ref c, 6 * stride), c60, c61, c62);
        AddRow(ref Unsafe.Add(ref c, 7 * stride), c70, c71, c72);
    }

    /// <summary>Adds three float vectors (48 columns) to a float64 row, widening each to two double vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ref double c, Vector512<float> x, Vector512<float> y, Vector512<float> z)
    {
        Add(ref c, x);
        Add(ref Unsafe.Add(ref c, 16), y);
        Add(ref Unsafe.Add(ref c, 32), z);

        static void Add(ref double target, Vector512<float> v)
        {
            (Vector512.LoadUnsafe(ref target) + Vector512.WidenLower(v)).StoreUnsafe(ref target);
            (Vector512.LoadUnsafe(ref target, 8) + Vector512.WidenUpper(v)).StoreUnsafe(ref target, 8);
        }
    }
}
