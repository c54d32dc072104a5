using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MlNetIso.Trainers.Kernels;

/// <summary>
/// Single-precision matrix product <c>C (+)= A·B</c> (SGEMM) for AVX-512 CPUs, blocked and packed in the
/// GotoBLAS/BLIS way (Goto &amp; van de Geijn, ACM TOMS 34(3), 2008): A and B are read through arbitrary row and column
/// strides, so <c>X·Wᵀ</c>, <c>dY·W</c> and <c>dYᵀ·X</c> — a linear layer's forward and backward products — need no
/// transposed copies.
/// </summary>
/// <remarks>
/// <para>Loops: column blocks of <see cref="NC"/>, depth blocks of <see cref="KC"/> (B packed once per block into
/// micro-panels of <see cref="NR"/> columns), row blocks of <see cref="MC"/> (A packed into micro-panels of
/// <see cref="MR"/> rows; the row blocks are dealt to threads), then the 12 × 32 micro-kernel: 24
/// <see cref="Vector512{T}"/> accumulators, per depth step 2 loads of B, 12 broadcasts of A and 24 fused multiply-adds.
/// A B micro-panel (KC × NR floats, 24 KiB) stays in L1 while the A micro-panels stream from L2.</para>
/// <para>Why: libtorch's CPU build links Intel MKL, whose SGEMM runs its AVX2 code path on this project's AMD EPYC
/// machine: 74–86 GFLOP/s a core, against 164–191 for OpenBLAS's AVX-512 kernels on the same shapes
/// (docs/benchmarks.md, "I-STAR against PyTorch"). Each result element is a float32 sum over the depth in order
/// (per KC block, one fused multiply-add per step), so results differ from MKL's only by rounding.</para>
/// </remarks>
internal static unsafe class SingleGemm
{
    /// <summary>Rows of the micro-kernel's tile.</summary>
    public const int MR = 12;

    /// <summary>Columns of the micro-kernel's tile (two 16-float vectors).</summary>
    public const int NR = 32;

    /// <summary>Depth block.</summary>
    public const int KC = 192;

    /// <summary>Row block (16 micro-panels).</summary>
    public const int MC = 16 * MR;

    /// <summary>Column block.</summary>
    public const int NC = 512;

    [ThreadStatic] private static float* packedA;
    [ThreadStatic] private static float* packedB;

    /// <summary>Whether this CPU runs the kernel (AVX-512); otherwise callers keep libtorch's product.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    /// <summary>
    /// <c>C = A·B</c>, or <c>C += A·B</c> when <paramref name="accumulate"/>, for A m × k and B k × n given by strides:
    /// A(i, p) = <c>a[i·aRow + p·aColumn]</c>, B(p, j) = <c>b[p·bRow + j·bColumn]</c>, C(i, j) = <c>c[i·cRow + j]</c>.
    /// With <paramref name="threads"/> &gt; 1 the row blocks are computed in parallel (the same bits either way).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    public static void Multiply(int m, int n, int k, float* a, nint aRow, nint aColumn, float* b, nint bRow, nint bColumn,
        float* c, nint cRow, bool accumulate, int threads = 1)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("SingleGemm needs AVX-512.");
        if (m < 0 || n < 0 || k < 0) throw new ArgumentOutOfRangeException(nameof(m), "Matrix sizes must be ≥ 0.");
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) new Span<float>(c + i * cRow, n).Clear();
            return;
        }
        if (packedB is null) packedB = (float*)NativeMemory.AlignedAlloc((nuint)(KC * NC * sizeof(float)), 64);
        float* bPanels = packedB;
        int blocks = (m + MC - 1) / MC;
        for (int jc = 0; jc < n; jc += NC)
        {
            int nc = Math.Min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC)
            {
                int kc = Math.Min(KC, k - pc);
                bool add = accumulate || pc > 0;
                PackB(b + pc * bRow + jc * bColumn, bRow, bColumn, kc, nc, bPanels);
                var block = new Block(m, kc, nc, a + pc * aColumn, aRow, aColumn, bPanels, c + jc, cRow, add);
                if (threads <= 1 || blocks == 1)
                    for (int ic = 0; ic < blocks; ic++) block.Run(ic);
                else
                    Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, block.Run);
            }
        }
    }

    /// <summary>One depth block of the product: row block <c>ic</c> packs its A rows and runs the micro-kernel over every tile.</summary>
    private sealed class Block(int m, int kc, int nc, float* a, nint aRow, nint aColumn, float* bPanels, float* c, nint cRow, bool add)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
        public void Run(int ic)
        {
            int i0 = ic * MC, mc = Math.Min(MC, m - i0);
            if (packedA is null) packedA = (float*)NativeMemory.AlignedAlloc((nuint)(MC * KC * sizeof(float)), 64);
            float* aPanels = packedA;
            PackA(a + i0 * aRow, aRow, aColumn, mc, kc, aPanels);
            float* tile = stackalloc float[MR * NR];
            for (int jr = 0; jr < nc; jr += NR)
            {
                int nr = Math.Min(NR, nc - jr);
                for (int ir = 0; ir < mc; ir += MR)
                {
                    int mr = Math.Min(MR, mc - ir);
                    float* target = c + (i0 + ir) * cRow + jr;
                    if (mr == MR && nr == NR)
                    {
                        Kernel(aPanels + ir * kc, bPanels + jr * kc, kc, target, cRow, add);
                        continue;
                    }
                    Kernel(aPanels + ir * kc, bPanels + jr * kc, kc, tile, NR, accumulate: false);
                    for (int r = 0; r < mr; r++)
                        for (int j = 0; j < nr; j++)
                            target[r * cRow + j] = add ? target[r * cRow + j] + tile[r * NR + j] : tile[r * NR + j];
                }
            }
        }
    }

    /// <summary>Packs mc × kc of A into micro-panels of MR rows (panel t at t·MR·kc, element (r, p) at p·MR + r), zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    private static void PackA(float* a, nint aRow, nint aColumn, int mc, int kc, float* packed)
    {
        for (int ir = 0; ir < mc; ir += MR)
        {
            float* panel = packed + ir * kc;
            int mr = Math.Min(MR, mc - ir);
            if (aColumn == 1)
            {
                // Row-major A: 4 × 4 blocks transposed in registers (4 loads, 8 shuffles, 4 stores for 16 elements).
                int p4 = mr == MR ? kc & ~3 : 0;
                for (int r = 0; r < MR && p4 > 0; r += 4)
                {
                    float* row0 = a + (ir + r) * aRow;
                    for (int p = 0; p < p4; p += 4)
                    {
                        var (t0, t1, t2, t3) = Transpose4(
                            Vector128.Load(row0 + p), Vector128.Load(row0 + aRow + p),
                            Vector128.Load(row0 + 2 * aRow + p), Vector128.Load(row0 + 3 * aRow + p));
                        float* target = panel + p * MR + r;
                        Vector128.Store(t0, target);
                        Vector128.Store(t1, target + MR);
                        Vector128.Store(t2, target + 2 * MR);
                        Vector128.Store(t3, target + 3 * MR);
                    }
                }
                for (int r = 0; r < mr; r++)
                {
                    float* row = a + (ir + r) * aRow;
                    for (int p = p4; p < kc; p++) panel[p * MR + r] = row[p];
                }
            }
            else if (aRow == 1 && mr == MR)
            {
                // Column-major A: each depth step is 12 contiguous floats.
                for (int p = 0; p < kc; p++)
                {
                    float* column = a + p * aColumn + ir;
                    Vector256.Store(Vector256.Load(column), panel + p * MR);
                    Vector128.Store(Vector128.Load(column + 8), panel + p * MR + 8);
                }
            }
            else
            {
                for (int p = 0; p < kc; p++)
                {
                    float* column = a + p * aColumn + ir * aRow;
                    for (int r = 0; r < mr; r++) panel[p * MR + r] = column[r * aRow];
                }
            }
            if (mr < MR)
                for (int p = 0; p < kc; p++)
                    for (int r = mr; r < MR; r++) panel[p * MR + r] = 0;
        }
    }

    /// <summary>Packs kc × nc of B into micro-panels of NR columns (panel t at t·NR·kc, element (p, j) at p·NR + j), zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    private static void PackB(float* b, nint bRow, nint bColumn, int kc, int nc, float* packed)
    {
        for (int jr = 0; jr < nc; jr += NR)
        {
            float* panel = packed + jr * kc;
            int nr = Math.Min(NR, nc - jr);
            if (bColumn == 1 && nr == NR)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* row = b + p * bRow + jr;
                    Vector512.Store(Vector512.Load(row), panel + p * NR);
                    Vector512.Store(Vector512.Load(row + 16), panel + p * NR + 16);
                }
                continue;
            }
            if (bColumn == 1)
            {
                for (int p = 0; p < kc; p++)
                {
                    float* row = b + p * bRow + jr;
                    for (int j = 0; j < nr; j++) panel[p * NR + j] = row[j];
                }
            }
            else
            {
                for (int j = 0; j < nr; j++)
                {
                    float* column = b + (jr + j) * bColumn;
                    for (int p = 0; p < kc; p++) panel[p * NR + j] = column[p * bRow];
                }
            }
            if (nr < NR)
                for (int p = 0; p < kc; p++)
                    for (int j = nr; j < NR; j++) panel[p * NR + j] = 0;
        }
    }

    /// <summary>The transpose of the 4 × 4 block whose rows are <paramref name="r0"/> … <paramref name="r3"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float>, Vector128<float>, Vector128<float>, Vector128<float>) Transpose4(
        Vector128<float> r0, Vector128<float> r1, Vector128<float> r2, Vector128<float> r3)
    {
        // Interleave pairs of rows, then pairs of 64-bit halves: (a0 b0 c0 d0), (a1 b1 c1 d1), …
        var lo01 = Sse.UnpackLow(r0, r1);   // a0 b0 a1 b1
        var hi01 = Sse.UnpackHigh(r0, r1);  // a2 b2 a3 b3
        var lo23 = Sse.UnpackLow(r2, r3);   // c0 d0 c1 d1
        var hi23 = Sse.UnpackHigh(r2, r3);  // c2 d2 c3 d3
        return (Sse.MoveLowToHigh(lo01, lo23), Sse.MoveHighToLow(lo23, lo01), Sse.MoveLowToHigh(hi01, hi23), Sse.MoveHighToLow(hi23, hi01));
    }

    /// <summary>The 12 × 32 tile <c>C (+)= A_panel · B_panel</c> over depth <paramref name="kc"/>, held in 24 registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(float* a, float* b, int kc, float* c, nint cRow, bool accumulate)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        for (int p = 0; p < kc; p++, a += MR, b += NR)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var s = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(s, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(s, b1, c01);
            s = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(s, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(s, b1, c11);
            s = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(s, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(s, b1, c21);
            s = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(s, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(s, b1, c31);
            s = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(s, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(s, b1, c41);
            s = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(s, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(s, b1, c51);
            s = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(s, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(s, b1, c61);
            s = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(s, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(s, b1, c71);
            s = Vector512.Create(a[8]);
            c80 = Vector512.FusedMultiplyAdd(s, b0, c80);
            c81 = Vector512.FusedMultiplyAdd(s, b1, c81);
            s = Vector512.Create(a[9]);
            c90 = Vector512.FusedMultiplyAdd(s, b0, c90);
            c91 = Vector512.FusedMultiplyAdd(s, b1, c91);
            s = Vector512.Create(a[10]);
            ca0 = Vector512.FusedMultiplyAdd(s, b0, ca0);
            ca1 = Vector512.FusedMultiplyAdd(s, b1, ca1);
            s = Vector512.Create(a[11]);
            cb0 = Vector512.FusedMultiplyAdd(s, b0, cb0);
            cb1 = Vector512.FusedMultiplyAdd(s, b1, cb1);
        }
        Store(c, c00, c01, accumulate);
        Store(c + cRow, c10, c11, accumulate);
        Store(c + 2 * cRow, c20, c21, accumulate);
        Store(c + 3 * cRow, c30, c31, accumulate);
        Store(c + 4 * cRow, c40, c41, accumulate);
        Store(c + 5 * cRow, c50, c51, accumulate);
        Store(c + 6 * cRow, c60, c61, accumulate);
        Store(c + 7 * cRow, c70, c71, accumulate);
        Store(c + 8 * cRow, c80, c81, accumulate);
        Store(c + 9 * cRow, c90, c91, accumulate);
        Store(c + 10 * cRow, ca0, ca1, accumulate);
        Store(c + 11 * cRow, cb0, cb1, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, Vector512<float> left, Vector512<float> right, bool accumulate)
    {
        if (accumulate)
        {
            left += Vector512.Load(row);
            right += Vector512.Load(row + 16);
        }
        Vector512.Store(left, row);
        Vector512.Store(right, row + 16);
    }
}
