using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MlNetIso.Geometry;

/// <summary>
/// Cache-blocked SIMD symmetric rank-k update of the upper triangle of a Gram matrix, <c>G += XᵀX</c>, for a block X
/// of <c>rows</c> rows stored in column panels of <see cref="PanelWidth"/> doubles:
/// <c>packed[p·panelStride + r·w + lane] = X[r, w·p + lane]</c>, zero past the last real column.
/// </summary>
/// <remarks>
/// <para>Three instruction paths compute bit-identical results (<see cref="KernelPath"/>):</para>
/// <list type="bullet">
/// <item><see cref="KernelPath.Vector512"/> (AVX-512): panels of 8; the micro-kernel keeps an 8 × 24 tile of G in 24
/// <see cref="Vector512{T}"/> registers: per row r it loads three vectors of the 24-column group and broadcasts the
/// eight values of the row panel, issuing 24 fused multiply-adds.</item>
/// <item><see cref="KernelPath.Vector256"/> (AVX2 + FMA): panels of 4, a 4 × 12 tile in twelve <see cref="Vector256{T}"/>
/// registers (fits the 16 registers of AVX2).</item>
/// <item><see cref="KernelPath.Scalar"/>: the same arithmetic one entry at a time (<see cref="Math.FusedMultiplyAdd"/>),
/// for machines without either and as the reference in tests.</item>
/// </list>
/// <para>Cache blocking: the rows are cut into equal chunks of at most <see cref="MaxChunkRows"/>. Within a chunk the
/// three column panels of a group (3 · 8 · chunk doubles ≤ 36 KiB) stay in L1 while the row panels stream past from L2;
/// each tile is accumulated from zero over the chunk in registers and then added to G once. Every entry of G therefore
/// receives, per chunk, the same sequence of fused multiply-adds on every path, which is why the paths agree bit for bit.
/// Only tiles that touch the upper triangle are computed; entries below the diagonal inside diagonal tiles are written
/// too and must be ignored by the caller.</para>
/// </remarks>
internal static class SymmetricRankKUpdate
{
    /// <summary>The instruction paths of the kernel.</summary>
    public enum KernelPath
    {
        /// <summary>Plain scalar loops (any CPU).</summary>
        Scalar,

        /// <summary><see cref="Vector256{T}"/> with fused multiply-add (x86 AVX2 + FMA).</summary>
        Vector256,

        /// <summary><see cref="Vector512{T}"/> (x86 AVX-512).</summary>
        Vector512,
    }

    /// <summary>Largest number of rows accumulated in registers before a tile is added to G (the cache block).</summary>
    public const int MaxChunkRows = 192;

    /// <summary>The widest path this machine runs in hardware.</summary>
    public static KernelPath Widest { get; } =
        Vector512.IsHardwareAccelerated ? KernelPath.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? KernelPath.Vector256
        : KernelPath.Scalar;

    /// <summary>Whether <paramref name="path"/> runs in hardware here (the scalar path always does).</summary>
    public static bool IsSupported(KernelPath path) => path switch
    {
        KernelPath.Vector512 => Vector512.IsHardwareAccelerated,
        KernelPath.Vector256 => Vector256.IsHardwareAccelerated && Fma.IsSupported,
        _ => true,
    };

    /// <summary>Doubles per packed column panel: one vector of the path (4 for the scalar path).</summary>
    public static int PanelWidth(KernelPath path) => path == KernelPath.Vector512 ? 8 : 4;

    /// <summary>
    /// Adds XᵀX (upper triangle, padded) to <paramref name="gram"/> (row-major, <c>panels·w</c> square), after
    /// subtracting <paramref name="centre"/> in place from the first <paramref name="centredRows"/> rows of X. The
    /// subtraction happens panel by panel right before the panel's first use in each chunk, while it is being brought
    /// into L1 anyway, so centring a block costs no separate pass over it.
    /// </summary>
    /// <param name="path">Instruction path; must be supported here (<see cref="IsSupported"/>).</param>
    /// <param name="packed">The block in column-panel layout of width <see cref="PanelWidth"/>; its first
    /// <paramref name="centredRows"/> rows are centred in place.</param>
    /// <param name="panelStride">Doubles from one panel to the next (≥ rows·w).</param>
    /// <param name="rows">Rows in the block (≥ 0).</param>
    /// <param name="panels">Column panels (padded dimension / w).</param>
    /// <param name="gram">Target, row-major with stride <c>panels·w</c>.</param>
    /// <param name="centre">Padded dimension values to subtract (zero past the last real column), or empty.</param>
    /// <param name="centredRows">Rows to centre (0 ≤ centredRows ≤ rows; 0 when <paramref name="centre"/> is empty).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddUpperGram(KernelPath path, double[] packed, int panelStride, int rows, int panels, double[] gram,
        ReadOnlySpan<double> centre = default, int centredRows = 0)
    {
        int w = PanelWidth(path);
        if (!IsSupported(path))
            throw new PlatformNotSupportedException($"The {path} covariance kernel is not accelerated on this machine.");
        if (rows < 0 || panels < 1 || panelStride < rows * w || packed.Length < (long)panels * panelStride
            || gram.Length < (long)panels * w * panels * w || centredRows < 0 || centredRows > rows
            || (centredRows > 0 && centre.Length < panels * w))
            throw new ArgumentException("Packed block, centre and Gram matrix sizes do not match.");
        if (rows == 0) return;

        int chunks = (rows + MaxChunkRows - 1) / MaxChunkRows;
        int chunkRows = (rows + chunks - 1) / chunks;
        for (int k0 = 0; k0 < rows; k0 += chunkRows)
        {
            int kc = Math.Min(chunkRows, rows - k0);
            var shift = new Shift(centre, Math.Clamp(centredRows - k0, 0, kc));
            switch (path)
            {
                case KernelPath.Vector512: Chunk<Avx512Tile>(packed, panelStride, k0, kc, panels, gram, shift); break;
                case KernelPath.Vector256: Chunk<Avx2Tile>(packed, panelStride, k0, kc, panels, gram, shift); break;
                default: ChunkScalar(packed, panelStride, k0, kc, panels, gram, shift); break;
            }
        }
    }

    /// <summary>The centre to subtract and how many rows of the current chunk (from its first row) take it.</summary>
    private readonly ref struct Shift(ReadOnlySpan<double> centre, int rows)
    {
        private readonly ReadOnlySpan<double> _centre = centre;

        public int Rows { get; } = rows;

        /// <summary>Centres rows [0, Rows) of the <paramref name="count"/> panels starting at <paramref name="first"/>
        /// (chunk-relative: <paramref name="chunk"/> points at row 0 of the chunk in panel 0).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Apply(ref double chunk, int panelStride, int first, int count, int w)
        {
            if (Rows == 0) return;
            for (int p = first; p < first + count; p++)
            {
                ref double panel = ref Unsafe.Add(ref chunk, (nint)p * panelStride);
                for (int lane = 0; lane < w; lane += 4)
                {
                    var mu = Vector256.Create(_centre.Slice(p * w + lane, 4));
                    for (int r = 0; r < Rows; r++)
                    {
                        ref double x = ref Unsafe.Add(ref panel, r * w + lane);
                        (Vector256.LoadUnsafe(ref x) - mu).StoreUnsafe(ref x);
                    }
                }
            }
        }
    }

    /// <summary>One chunk of rows on a SIMD path: for each group of three column panels (kept in L1), centre the group's
    /// panels on first use, then run the micro-kernel over every row panel up to the group's last panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Chunk<TKernel>(double[] packed, int panelStride, int k0, int kc, int panels, double[] gram, Shift shift)
        where TKernel : struct, IMicroKernel
    {
        int w = TKernel.Width;
        nint stride = panels * w;
        ref double g = ref MemoryMarshal.GetArrayDataReference(gram);
        ref double chunk = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(packed), (nint)k0 * w);
        for (int pj = 0; pj < panels; pj += 3)
        {
            int width = Math.Min(3, panels - pj);
            shift.Apply(ref chunk, panelStride, pj, width, w); // first use of these panels in this chunk
            ref double b = ref Unsafe.Add(ref chunk, (nint)pj * panelStride);
            for (int pi = 0; pi < pj + width; pi++)
            {
                ref double a = ref Unsafe.Add(ref chunk, (nint)pi * panelStride);
                ref double c = ref Unsafe.Add(ref g, pi * w * stride + pj * w);
                switch (width)
                {
                    case 3: TKernel.Tile<Three>(ref a, ref b, panelStride, kc, ref c, stride); break;
                    case 2: TKernel.Tile<Two>(ref a, ref b, panelStride, kc, ref c, stride); break;
                    default: TKernel.Tile<One>(ref a, ref b, panelStride, kc, ref c, stride); break;
                }
            }
        }
    }

    private static void ChunkScalar(double[] packed, int panelStride, int k0, int kc, int panels, double[] gram, Shift shift)
    {
        const int w = 4;
        int stride = panels * w;
        for (int pj = 0; pj < panels; pj++)
        {
            shift.Apply(ref packed[k0 * w], panelStride, pj, 1, w);
            for (int pi = 0; pi <= pj; pi++)
                for (int x = 0; x < w; x++)
                    for (int y = 0; y < w; y++)
                    {
                        int a = pi * panelStride + k0 * w + x, b = pj * panelStride + k0 * w + y;
                        double s = 0;
                        for (int r = 0; r < kc; r++)
                            s = Math.FusedMultiplyAdd(packed[a + r * w], packed[b + r * w], s);
                        gram[(pi * w + x) * stride + pj * w + y] += s;
                    }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile512<TPanels>(ref double a, ref double b0, nint panelStride, nint kc, ref double c, nint stride)
        where TPanels : struct, IPanelCount
    {
        bool two = TPanels.Count >= 2, three = TPanels.Count >= 3;
        ref double b1 = ref two ? ref Unsafe.Add(ref b0, panelStride) : ref b0;
        ref double b2 = ref three ? ref Unsafe.Add(ref b0, 2 * panelStride) : ref b0;
        Vector512<double> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector512<double> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        Vector512<double> c40 = default, c41 = default, c42 = default, c50 = default, c51 = default, c52 = default;
        Vector512<double> c60 = default, c61 = default, c62 = default, c70 = default, c71 = default, c72 = default;
        for (nint r = 0, end = kc * 8; r < end; r += 8)
        {
            var v0 = Vector512.LoadUnsafe(ref b0, (nuint)r);
            var v1 = two ? Vector512.LoadUnsafe(ref b1, (nuint)r) : default;
            var v2 = three ? Vector512.LoadUnsafe(ref b2, (nuint)r) : default;
            ref double ar = ref Unsafe.Add(ref a, r);
            var s = Vector512.Create(ar);
            c00 = Vector512.FusedMultiplyAdd(s, v0, c00);
            if (two) c01 = Vector512.FusedMultiplyAdd(s, v1, c01);
            if (three) c02 = Vector512.FusedMultiplyAdd(s, v2, c02);
            s = Vector512.Create(Unsafe.Add(ref ar, 1));
            c10 = Vector512.FusedMultiplyAdd(s, v0, c10);
            if (two) c11 = Vector512.FusedMultiplyAdd(s, v1, c11);
            if (three) c12 = Vector512.FusedMultiplyAdd(s, v2, c12);
            s = Vector512.Create(Unsafe.Add(ref ar, 2));
            c20 = Vector512.FusedMultiplyAdd(s, v0, c20);
            if (two) c21 = Vector512.FusedMultiplyAdd(s, v1, c21);
            if (three) c22 = Vector512.FusedMultiplyAdd(s, v2, c22);
            s = Vector512.Create(Unsafe.Add(ref ar, 3));
            c30 = Vector512.FusedMultiplyAdd(s, v0, c30);
            if (two) c31 = Vector512.FusedMultiplyAdd(s, v1, c31);
            if (three) c32 = Vector512.FusedMultiplyAdd(s, v2, c32);
            s = Vector512.Create(Unsafe.Add(ref ar, 4));
            c40 = Vector512.FusedMultiplyAdd(s, v0, c40);
            if (two) c41 = Vector512.FusedMultiplyAdd(s, v1, c41);
            if (three) c42 = Vector512.FusedMultiplyAdd(s, v2, c42);
            s = Vector512.Create(Unsafe.Add(ref ar, 5));
            c50 = Vector512.FusedMultiplyAdd(s, v0, c50);
            if (two) c51 = Vector512.FusedMultiplyAdd(s, v1, c51);
            if (three) c52 = Vector512.FusedMultiplyAdd(s, v2, c52);
            s = Vector512.Create(Unsafe.Add(ref ar, 6));
            c60 = Vector512.FusedMultiplyAdd(s, v0, c60);
            if (two) c61 = Vector512.FusedMultiplyAdd(s, v1, c61);
            if (three) c62 = Vector512.FusedMultiplyAdd(s, v2, c62);
            s = Vector512.Create(Unsafe.Add(ref ar, 7));
            c70 = Vector512.FusedMultiplyAdd(s, v0, c70);
            if (two) c71 = Vector512.FusedMultiplyAdd(s, v1, c71);
            if (three) c72 = Vector512.FusedMultiplyAdd(s, v2, c72);
        }

        AddRow512<TPanels>(ref c, c00, c01, c02);
        AddRow512<TPanels>(ref Unsafe.Add(ref c, stride), c10, c11, c12);
        AddRow512<TPanels>(ref Unsafe.Add(ref c, 2 * stride), c20, c21, c22);
        AddRow512<TPanels>(ref Unsafe.Add(ref c, 3 * stride), c30, c31, c32);
        AddRow512<TPanels>(ref Unsafe.Add(ref c, 4 * stride), c40, c41, c42);
        AddRow512<TPanels>(ref Unsafe.Add(ref c, 5 * stride), c50, c51, c52);
        AddRow512<TPanels>(ref Unsafe.Add(ref c, 6 * stride), c60, c61, c62);
        AddRow512<TPanels>(ref Unsafe.Add(ref c, 7 * stride), c70, c71, c72);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow512<TPanels>(ref double c, Vector512<double> x, Vector512<double> y, Vector512<double> z)
        where TPanels : struct, IPanelCount
    {
        (Vector512.LoadUnsafe(ref c) + x).StoreUnsafe(ref c);
        if (TPanels.Count >= 2) (Vector512.LoadUnsafe(ref c, 8) + y).StoreUnsafe(ref c, 8);
        if (TPanels.Count >= 3) (Vector512.LoadUnsafe(ref c, 16) + z).StoreUnsafe(ref c, 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile256<TPanels>(ref double a, ref double b0, nint panelStride, nint kc, ref double c, nint stride)
        where TPanels : struct, IPanelCount
    {
        bool two = TPanels.Count >= 2, three = TPanels.Count >= 3;
        ref double b1 = ref two ? ref Unsafe.Add(ref b0, panelStride) : ref b0;
        ref double b2 = ref three ? ref Unsafe.Add(ref b0, 2 * panelStride) : ref b0;
        Vector256<double> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector256<double> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        for (nint r = 0, end = kc * 4; r < end; r += 4)
        {
            var v0 = Vector256.LoadUnsafe(ref b0, (nuint)r);
            var v1 = two ? Vector256.LoadUnsafe(ref b1, (nuint)r) : default;
            var v2 = three ? Vector256.LoadUnsafe(ref b2, (nuint)r) : default;
            ref double ar = ref Unsafe.Add(ref a, r);
            var s = Vector256.Create(ar);
            c00 = Vector256.FusedMultiplyAdd(s, v0, c00);
            if (two) c01 = Vector256.FusedMultiplyAdd(s, v1, c01);
            if (three) c02 = Vector256.FusedMultiplyAdd(s, v2, c02);
            s = Vector256.Create(Unsafe.Add(ref ar, 1));
            c10 = Vector256.FusedMultiplyAdd(s, v0, c10);
            if (two) c11 = Vector256.FusedMultiplyAdd(s, v1, c11);
            if (three) c12 = Vector256.FusedMultiplyAdd(s, v2, c12);
            s = Vector256.Create(Unsafe.Add(ref ar, 2));
            c20 = Vector256.FusedMultiplyAdd(s, v0, c20);
            if (two) c21 = Vector256.FusedMultiplyAdd(s, v1, c21);
            if (three) c22 = Vector256.FusedMultiplyAdd(s, v2, c22);
            s = Vector256.Create(Unsafe.Add(ref ar, 3));
            c30 = Vector256.FusedMultiplyAdd(s, v0, c30);
            if (two) c31 = Vector256.FusedMultiplyAdd(s, v1, c31);
            if (three) c32 = Vector256.FusedMultiplyAdd(s, v2, c32);
        }

        AddRow256<TPanels>(ref c, c00, c01, c02);
        AddRow256<TPanels>(ref Unsafe.Add(ref c, stride), c10, c11, c12);
        AddRow256<TPanels>(ref Unsafe.Add(ref c, 2 * stride), c20, c21, c22);
        AddRow256<TPanels>(ref Unsafe.Add(ref c, 3 * stride), c30, c31, c32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow256<TPanels>(ref double c, Vector256<double> x, Vector256<double> y, Vector256<double> z)
        where TPanels : struct, IPanelCount
    {
        (Vector256.LoadUnsafe(ref c) + x).StoreUnsafe(ref c);
        if (TPanels.Count >= 2) (Vector256.LoadUnsafe(ref c, 4) + y).StoreUnsafe(ref c, 4);
        if (TPanels.Count >= 3) (Vector256.LoadUnsafe(ref c, 8) + z).StoreUnsafe(ref c, 8);
    }

    /// <summary>A register-blocked micro-kernel: <c>C[tile] += A_panelᵀ · B_group</c> over one chunk of rows.</summary>
    private interface IMicroKernel
    {
        /// <summary>Doubles per panel.</summary>
        static abstract int Width { get; }

        /// <summary>Accumulates one tile over kc rows in registers and adds it to C.</summary>
        static abstract void Tile<TPanels>(ref double a, ref double b0, nint panelStride, nint kc, ref double c, nint stride)
            where TPanels : struct, IPanelCount;
    }

    private readonly struct Avx512Tile : IMicroKernel
    {
        public static int Width => 8;

        public static void Tile<TPanels>(ref double a, ref double b0, nint panelStride, nint kc, ref double c, nint stride)
            where TPanels : struct, IPanelCount => Tile512<TPanels>(ref a, ref b0, panelStride, kc, ref c, stride);
    }

    private readonly struct Avx2Tile : IMicroKernel
    {
        public static int Width => 4;

        public static void Tile<TPanels>(ref double a, ref double b0, nint panelStride, nint kc, ref double c, nint stride)
            where TPanels : struct, IPanelCount => Tile256<TPanels>(ref a, ref b0, panelStride, kc, ref c, stride);
    }

    /// <summary>Number of column panels a micro-kernel instance handles (a compile-time constant per instantiation).</summary>
    private interface IPanelCount
    {
        static abstract int Count { get; }
    }

    private readonly struct One : IPanelCount
    {
        public static int Count => 1;
    }

    private readonly struct Two : IPanelCount
    {
        public static int Count => 2;
    }

    private readonly struct Three : IPanelCount
    {
        public static int Count => 3;
    }
}
