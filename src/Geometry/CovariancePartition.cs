using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetIso.Geometry;

/// <summary>
/// One partition of a <see cref="CovarianceAccumulator"/>: the state (count n, mean μ, co-moment
/// <c>M₂ = Σ(x−μ)(x−μ)ᵀ</c>, padded row-major, upper triangle meaningful) and the block of pending rows, packed on
/// arrival in the column-panel layout of <see cref="SymmetricRankKUpdate"/>. A full block B is folded in by the kernel
/// (centring on μ_B in place, <c>M₂,B = X_cᵀX_c</c>) and Chan, Golub &amp; LeVeque's pairwise update
/// <c>M₂ ← M₂,A + M₂,B + δδᵀ·n_A n_B/n</c>, <c>δ = μ_B − μ_A</c>, whose cross term enters the same kernel call as one
/// extra row <c>√(n_A n_B/n)·δ</c>. Used by one thread at a time.
/// </summary>
internal sealed class CovariancePartition
{
    /// <summary>Rows per block (<see cref="CovarianceAccumulator.BlockRows"/>).</summary>
    public const int BlockRows = CovarianceAccumulator.BlockRows;

    private readonly int _dimension;
    private readonly SymmetricRankKUpdate.KernelPath _path;
    private readonly int _width;           // doubles per column panel
    private readonly int _panels;
    private readonly int _panelStride;     // (BlockRows + 1)·width: room for the Chan cross row
    private readonly double[] _blockSum;   // padded; Σ of the pending rows
    private readonly int[] _quadOffsets;   // packed offset of columns 4q..4q+3 in row 0
    private double[]? _packed;             // pending rows (raw, then centred) in column panels; allocated on first row
    private int _pending;

    /// <summary>Creates an empty partition.</summary>
    public CovariancePartition(int dimension, SymmetricRankKUpdate.KernelPath path)
    {
        _dimension = dimension;
        _path = path;
        _width = SymmetricRankKUpdate.PanelWidth(path);
        _panels = (dimension + _width - 1) / _width;
        PaddedDimension = _panels * _width;
        _panelStride = (BlockRows + 1) * _width;
        Mean = new double[dimension];
        CoMoment = new double[PaddedDimension * PaddedDimension];
        _blockSum = new double[PaddedDimension];
        _quadOffsets = new int[PaddedDimension / 4];
        for (int q = 0; q < _quadOffsets.Length; q++)
            _quadOffsets[q] = 4 * q / _width * _panelStride + 4 * q % _width;
    }

    /// <summary>Row stride of <see cref="CoMoment"/>: d rounded up to the panel width.</summary>
    public int PaddedDimension { get; }

    /// <summary>Rows folded into <see cref="Mean"/> and <see cref="CoMoment"/>.</summary>
    public long Count { get; private set; }

    /// <summary>Column means of the folded rows.</summary>
    public double[] Mean { get; }

    /// <summary>Co-moment of the folded rows, padded row-major; entries below the diagonal are not meaningful.</summary>
    public double[] CoMoment { get; }

    /// <summary>Rows packed but not yet folded.</summary>
    public int Pending => _pending;

    /// <summary>
    /// Writes one row (widened to double) into the next free row of the packed block and adds it to the block sum, in
    /// one pass, and commits it. A row with a NaN or infinity is rejected with nothing committed (the block sum is
    /// rebuilt without it); the message names <paramref name="rowIndex"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void PackRow<T>(ReadOnlySpan<T> row, long rowIndex) where T : struct, IFloatingPointIeee754<T>
    {
        var packed = _packed ??= new double[_panels * _panelStride];
        int d = _dimension, quads = d / 4;
        ref double dst = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(packed), _pending * _width);
        ref double sum = ref MemoryMarshal.GetArrayDataReference(_blockSum);
        ref int offsets = ref MemoryMarshal.GetArrayDataReference(_quadOffsets);
        ref T src = ref MemoryMarshal.GetReference(row);
        var finite = Vector256<double>.AllBitsSet;
        for (int q = 0; q < quads; q++)
        {
            var v = typeof(T) == typeof(float)
                ? Vector256.WidenLower(Vector128.LoadUnsafe(ref Unsafe.As<T, float>(ref src), (nuint)(4 * q)).ToVector256Unsafe())
                : Vector256.LoadUnsafe(ref Unsafe.As<T, double>(ref src), (nuint)(4 * q));
            finite &= Vector256.Equals(v - v, Vector256<double>.Zero);
            v.StoreUnsafe(ref Unsafe.Add(ref dst, Unsafe.Add(ref offsets, q)));
            (Vector256.LoadUnsafe(ref sum, (nuint)(4 * q)) + v).StoreUnsafe(ref sum, (nuint)(4 * q));
        }
        bool ok = Vector256.ExtractMostSignificantBits(finite) == 0xF;
        for (int j = 4 * quads; j < d; j++)
        {
            double v = double.CreateTruncating(row[j]);
            ok &= double.IsFinite(v);
            Unsafe.Add(ref dst, _quadOffsets[j / 4] + j % 4) = v;
            _blockSum[j] += v;
        }
        if (ok)
        {
            _pending++;
            return;
        }

        // Rare path: rebuild the sum of the committed rows in the same order (same bits), then name the bad value.
        Array.Clear(_blockSum);
        for (int r = 0; r < _pending; r++)
            for (int q = 0; q < _quadOffsets.Length; q++)
                (Vector256.LoadUnsafe(ref sum, (nuint)(4 * q)) + Vector256.LoadUnsafe(ref packed[r * _width + _quadOffsets[q]]))
                    .StoreUnsafe(ref sum, (nuint)(4 * q));
        for (int j = 0; j < d; j++)
        {
            double v = double.CreateTruncating(row[j]);
            if (!double.IsFinite(v)) throw NonFinite(rowIndex, j, v);
        }
    }

    /// <summary>Folds the pending rows into (count, mean, co-moment).</summary>
    public void FoldPending()
    {
        int nb = _pending;
        if (nb == 0) return;
        int w = _width;
        var packed = _packed!;
        var blockMean = new double[PaddedDimension];
        for (int j = 0; j < PaddedDimension; j++) blockMean[j] = _blockSum[j] / nb;

        // The kernel centres the block on its own mean in place (padding columns stay zero). When earlier rows exist,
        // one extra row √(n_A·n_B/n)·(μ_B − μ_A) is appended, so the kernel adds the Chan cross term δδᵀ·n_A n_B/n too.
        bool cross = Count > 0;
        double nA = Count, nB = nb, n = nA + nB;
        if (cross)
        {
            double root = Math.Sqrt(nA * nB / n);
            for (int j = 0; j < PaddedDimension; j++)
                packed[j / w * _panelStride + nb * w + j % w] = j < _dimension ? root * (blockMean[j] - Mean[j]) : 0.0;
        }

        SymmetricRankKUpdate.AddUpperGram(_path, packed, _panelStride, cross ? nb + 1 : nb, _panels, CoMoment, blockMean, nb);
        for (int j = 0; j < _dimension; j++) Mean[j] += (blockMean[j] - Mean[j]) * (nB / n);
        Count += nb;
        _pending = 0;
        Array.Clear(_blockSum);
    }

    /// <summary>Empties a partition after it has been merged into its owner.</summary>
    public void Reset()
    {
        Count = 0;
        Array.Clear(Mean);
        Array.Clear(CoMoment);
    }

    /// <summary>Adds another state (co-moment with row stride <paramref name="otherStride"/>): co-moments add, then the
    /// Chan cross term <c>δδᵀ·n_A n_B/n</c> and the mean update.</summary>
    public void Combine(double[] otherMean, long otherCount, double[] otherCoMoment, int otherStride)
    {
        int d = _dimension;
        for (int i = 0; i < d; i++)
        {
            int rowStart = i * PaddedDimension, otherStart = i * otherStride;
            for (int j = i; j < d; j++) CoMoment[rowStart + j] += otherCoMoment[otherStart + j];
        }
        if (Count == 0)
        {
            otherMean.CopyTo(Mean, 0);
            Count = otherCount;
            return;
        }
        double nA = Count, nB = otherCount, n = nA + nB;
        double factor = nA * nB / n;
        var delta = new double[d];
        for (int j = 0; j < d; j++) delta[j] = otherMean[j] - Mean[j];
        for (int i = 0; i < d; i++)
        {
            double fi = factor * delta[i];
            int rowStart = i * PaddedDimension;
            for (int j = i; j < d; j++) CoMoment[rowStart + j] += fi * delta[j];
        }
        for (int j = 0; j < d; j++) Mean[j] += delta[j] * (nB / n);
        Count += otherCount;
    }

    private static ArgumentException NonFinite(long row, int dimension, double value) =>
        new($"Row {row} holds a non-finite value ({value}) at dimension {dimension}.", "row");
}
