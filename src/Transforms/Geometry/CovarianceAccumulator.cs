using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlNetIso.Transforms.Geometry;

/// <summary>
/// Streaming, mergeable sample covariance of d-dimensional rows, accumulated in double precision:
/// <c>C = (1/(n−1)) Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ</c> (ddof 1, as numpy <c>np.cov</c> / <c>torch.cov</c>, the covariance the
/// IsoScore (Rudman et al., arXiv 2108.07344) and IsoScore* (Rudman &amp; Eickhoff, arXiv 2305.19358) reference code uses).
/// One pass over the data, O(d²) memory, so a column of any length is a single scan, and partitions merge exactly.
/// </summary>
/// <remarks>
/// <para>State: count n, mean μ and co-moment M₂ = Σ(x−μ)(x−μ)ᵀ. Rows are packed on arrival (widened to double) into
/// blocks of <see cref="BlockRows"/> in the column-panel layout of the rank-k kernel; each block B (size n_B, mean μ_B)
/// is centred on its own mean, its co-moment <c>M₂,B = X_cᵀX_c</c> is added with the cache-blocked SIMD kernel
/// <c>SymmetricRankKUpdate</c> (upper triangle only, AVX-512 where the CPU has it), and the block is folded in with the
/// pairwise update of Chan, Golub &amp; LeVeque (1979):
/// <c>δ = μ_B − μ_A</c>, <c>M₂ ← M₂,A + M₂,B + δδᵀ·n_A n_B/n</c>, <c>μ ← μ_A + δ·n_B/n</c>
/// (the cross term enters the same kernel call as one extra row <c>√(n_A n_B/n)·δ</c>).
/// <see cref="Merge"/> applies the same formula to two accumulators, so merge(A, B) equals accumulating A ∪ B up to
/// rounding. Every read (<see cref="GetMean"/>, <see cref="GetCovariance"/>, …) first folds in the pending rows.</para>
/// <para>With <c>maxDegreeOfParallelism</c> P &gt; 1 the rows are dealt out in whole blocks to P partitions (block b goes
/// to partition b mod P), the P pending blocks are folded at the same time, one per thread (<see cref="AddRows"/> also
/// packs each partition's block on that partition's thread), into P independent
/// (n, μ, M₂) states, and the partitions are combined with the same Chan merge when the covariance is read. The result
/// is deterministic for a given P and row order; different P differ only by rounding (about 1e-15 relative). Memory is
/// O(P·d²).</para>
/// <para>Not thread-safe: use one accumulator per thread or partition and <see cref="Merge"/> them.</para>
/// </remarks>
public sealed class CovarianceAccumulator
{
    /// <summary>Rows packed before a block is folded into the co-moment.</summary>
    public const int BlockRows = 256;

    private readonly int _dimension;
    private readonly SymmetricRankKUpdate.KernelPath _path;
    private readonly int _width;           // doubles per column panel
    private readonly int _panels;
    private readonly int _paddedDimension;
    private readonly int _panelStride;     // (BlockRows + 1)·width: room for the Chan cross row
    private readonly int _maxDegreeOfParallelism;
    private readonly double[] _mean;
    private readonly double[] _coMoment;   // padded d×d row-major; only the upper triangle (j ≥ i) is meaningful
    private readonly double[] _blockSum;   // padded; Σ of the pending rows
    private readonly int[] _quadOffsets;   // packed offset of columns 4q..4q+3 in row 0
    private double[]? _packed;             // pending rows (raw, then centred) in column panels; allocated on first row
    private int _pending;
    private long _count;                   // rows folded into (_mean, _coMoment)
    private long _received;                // rows received by this accumulator and its partitions
    private CovarianceAccumulator[]? _partitions; // the P − 1 other partitions (P > 1 only)
    private int _filling;                  // partition whose block takes the next row: 0 = this, s = _partitions[s − 1]

    /// <summary>Creates an empty accumulator for rows of <paramref name="dimension"/> values.</summary>
    /// <param name="dimension">Number of columns d (≥ 1).</param>
    /// <param name="maxDegreeOfParallelism">Partitions folded in parallel, one thread each (default 1: the calling
    /// thread only). Results are deterministic for a given value and differ across values only by rounding.</param>
    /// <exception cref="ArgumentOutOfRangeException">dimension &lt; 1 or maxDegreeOfParallelism &lt; 1.</exception>
    public CovarianceAccumulator(int dimension, int maxDegreeOfParallelism = 1)
        : this(dimension, maxDegreeOfParallelism, SymmetricRankKUpdate.Widest)
    {
    }

    /// <summary>Creates an accumulator that runs a given kernel path (tests force the narrower paths through this).</summary>
    internal CovarianceAccumulator(int dimension, int maxDegreeOfParallelism, SymmetricRankKUpdate.KernelPath path)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        if (!SymmetricRankKUpdate.IsSupported(path))
            throw new PlatformNotSupportedException($"The {path} covariance kernel is not accelerated on this machine.");
        _dimension = dimension;
        _path = path;
        _width = SymmetricRankKUpdate.PanelWidth(path);
        _panels = (dimension + _width - 1) / _width;
        _paddedDimension = _panels * _width;
        _panelStride = (BlockRows + 1) * _width;
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
        _mean = new double[dimension];
        _coMoment = new double[_paddedDimension * _paddedDimension];
        _blockSum = new double[_paddedDimension];
        _quadOffsets = new int[_paddedDimension / 4];
        for (int q = 0; q < _quadOffsets.Length; q++)
            _quadOffsets[q] = 4 * q / _width * _panelStride + 4 * q % _width;
    }

    /// <summary>Number of columns d.</summary>
    public int Dimension => _dimension;

    /// <summary>Number of rows accumulated so far (including rows still pending).</summary>
    public long Count => _received;

    /// <summary>Adds one row.</summary>
    /// <param name="row">d finite values.</param>
    /// <exception cref="ArgumentException">Wrong length, or a NaN/infinite value (the message names the row index and dimension).</exception>
    public void Add(ReadOnlySpan<float> row) => AddCore(row);

    /// <summary>Adds one row.</summary>
    /// <param name="row">d finite values.</param>
    /// <exception cref="ArgumentException">Wrong length, or a NaN/infinite value (the message names the row index and dimension).</exception>
    public void Add(ReadOnlySpan<double> row) => AddCore(row);

    /// <summary>Adds <paramref name="rowCount"/> rows stored row-major (row r = <c>rowMajor[r·d .. (r+1)·d)</c>).</summary>
    /// <param name="rowMajor">rowCount·d finite values.</param>
    /// <param name="rowCount">Number of rows (≥ 0).</param>
    /// <exception cref="ArgumentException">Length is not rowCount·d, or a value is NaN/infinite (names the row by its
    /// index among all rows this accumulator has received; rows before it in the call are kept).</exception>
    public void AddRows(ReadOnlySpan<float> rowMajor, int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        if (rowMajor.Length != (long)rowCount * _dimension)
            throw new ArgumentException(
                $"Expected {rowCount} rows × {_dimension} = {(long)rowCount * _dimension} values, got {rowMajor.Length}.",
                nameof(rowMajor));
        int d = _dimension, round = _maxDegreeOfParallelism * BlockRows;
        for (int r = 0; r < rowCount;)
        {
            // A whole round of finite rows at a round boundary: every partition packs and folds its own block on its
            // own thread (same partitions, same order, same bits as row by row). Otherwise, or to find a bad row and
            // keep the rows before it, one row at a time.
            if (_maxDegreeOfParallelism > 1 && _filling == 0 && _pending == 0 && rowCount - r >= round
                && TensorPrimitives.IsFiniteAll(rowMajor.Slice(r * d, round * d)))
            {
                AddRound(rowMajor.Slice(r * d, round * d));
                r += round;
            }
            else
            {
                AddCore(rowMajor.Slice(r * d, d));
                r++;
            }
        }
    }

    /// <summary>Packs and folds P·<see cref="BlockRows"/> finite rows, one block per partition, in parallel.</summary>
    private unsafe void AddRound(ReadOnlySpan<float> rows)
    {
        _partitions ??= Enumerable.Range(1, _maxDegreeOfParallelism - 1)
            .Select(_ => new CovarianceAccumulator(_dimension, 1, _path)).ToArray();
        var parts = _partitions;
        int d = _dimension;
        long first = _received;
        fixed (float* start = rows)
        {
            nint address = (nint)start;
            Parallel.For(0, parts.Length + 1, new ParallelOptions { MaxDegreeOfParallelism = _maxDegreeOfParallelism }, s =>
            {
                var part = s == 0 ? this : parts[s - 1];
                var block = new ReadOnlySpan<float>((float*)address + (long)s * BlockRows * d, BlockRows * d);
                for (int i = 0; i < BlockRows; i++)
                {
                    part.PackRow(block.Slice(i * d, d), first + s * BlockRows + i);
                    part._pending++;
                }
                part.FoldPending();
            });
        }
        _received += rows.Length / d;
    }

    /// <summary>Folds <paramref name="other"/> into this accumulator (Chan et al. pairwise update); other is unchanged.</summary>
    /// <param name="other">An accumulator of the same dimension (may be this one: the data then counts twice).</param>
    /// <exception cref="ArgumentException">Different dimension.</exception>
    public void Merge(CovarianceAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._dimension != _dimension)
            throw new ArgumentException($"Cannot merge dimension {other._dimension} into dimension {_dimension}.", nameof(other));
        Consolidate();
        other.Consolidate();
        if (other._count == 0) return;
        bool self = ReferenceEquals(other, this);
        double[] otherMean = self ? (double[])_mean.Clone() : other._mean;
        double[] otherM2 = self ? (double[])_coMoment.Clone() : other._coMoment;
        long received = other._received;
        Combine(otherMean, other._count, otherM2, other._paddedDimension);
        _received += received;
    }

    /// <summary>Column means μ (a copy). All zero when <see cref="Count"/> is 0.</summary>
    /// <returns>d means.</returns>
    public double[] GetMean()
    {
        Consolidate();
        return (double[])_mean.Clone();
    }

    /// <summary>The co-moment <c>M₂ = Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ</c> as a full symmetric d×d matrix.</summary>
    /// <returns>A new d×d matrix.</returns>
    public double[,] GetCoMoment() => Symmetric(1.0);

    /// <summary>Sample covariance <c>C = M₂/(n − 1)</c> (ddof 1), full symmetric d×d.</summary>
    /// <returns>A new d×d matrix.</returns>
    /// <exception cref="InvalidOperationException">Fewer than 2 rows.</exception>
    public double[,] GetCovariance()
    {
        if (Count < 2)
            throw new InvalidOperationException($"A covariance needs at least 2 rows; {Count} accumulated.");
        return Symmetric(1.0 / (Count - 1));
    }

    /// <summary>
    /// Uncentred second moment <c>S = (1/n) Σᵢ xᵢxᵢᵀ = M₂/n + μμᵀ</c>, d×d. It has the eigenvectors of WᵀW
    /// (W = rows), which the partition-function isotropy of Mu &amp; Viswanath (2018) uses.
    /// </summary>
    /// <returns>A new d×d matrix.</returns>
    /// <exception cref="InvalidOperationException">No rows accumulated.</exception>
    public double[,] GetSecondMoment()
    {
        if (Count < 1)
            throw new InvalidOperationException("The second moment needs at least 1 row; none accumulated.");
        var s = Symmetric(1.0 / Count);
        for (int i = 0; i < _dimension; i++)
            for (int j = 0; j < _dimension; j++)
                s[i, j] += _mean[i] * _mean[j];
        return s;
    }

    /// <summary>Exports count, mean and co-moment (upper triangle) for storage or cross-process merging.</summary>
    /// <returns>A self-contained copy of the state.</returns>
    public CovarianceAccumulatorState ExportState()
    {
        Consolidate();
        int d = _dimension;
        var upper = new double[d * (d + 1) / 2];
        int k = 0;
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
                upper[k++] = _coMoment[i * _paddedDimension + j];
        return new CovarianceAccumulatorState(d, _count, (double[])_mean.Clone(), upper);
    }

    /// <summary>Rebuilds an accumulator from an exported state (it can then take more rows or be merged).</summary>
    /// <param name="state">A state from <see cref="ExportState"/>.</param>
    /// <param name="maxDegreeOfParallelism">Partitions folded in parallel for the rows added later.</param>
    /// <returns>An accumulator equal to the exported one.</returns>
    /// <exception cref="ArgumentException">Inconsistent lengths, negative count or non-finite numbers.</exception>
    public static CovarianceAccumulator FromState(CovarianceAccumulatorState state, int maxDegreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(state);
        int d = state.Dimension;
        if (d < 1) throw new ArgumentException($"State dimension must be ≥ 1, got {d}.", nameof(state));
        if (state.Count < 0) throw new ArgumentException($"State count must be ≥ 0, got {state.Count}.", nameof(state));
        if (state.Mean is null || state.Mean.Length != d)
            throw new ArgumentException($"State mean must have {d} values, got {state.Mean?.Length ?? 0}.", nameof(state));
        if (state.CoMomentUpper is null || state.CoMomentUpper.Length != d * (d + 1) / 2)
            throw new ArgumentException(
                $"State co-moment must have d(d+1)/2 = {d * (d + 1) / 2} values, got {state.CoMomentUpper?.Length ?? 0}.", nameof(state));
        if (state.Mean.Any(v => !double.IsFinite(v)) || state.CoMomentUpper.Any(v => !double.IsFinite(v)))
            throw new ArgumentException("State holds NaN or infinite values.", nameof(state));
        var acc = new CovarianceAccumulator(d, maxDegreeOfParallelism) { _count = state.Count, _received = state.Count };
        state.Mean.CopyTo(acc._mean, 0);
        int k = 0;
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
                acc._coMoment[i * acc._paddedDimension + j] = state.CoMomentUpper[k++];
        return acc;
    }

    private void AddCore<T>(ReadOnlySpan<T> row) where T : struct, IFloatingPointIeee754<T>
    {
        if (row.Length != _dimension)
            throw new ArgumentException($"Row {Count} has {row.Length} values; expected {_dimension}.", "row");
        var target = _filling == 0 ? this : _partitions![_filling - 1];
        target.PackRow(row, _received);
        _received++;
        if (++target._pending < BlockRows) return;
        if (_maxDegreeOfParallelism == 1)
        {
            FoldPending();
            return;
        }
        _partitions ??= Enumerable.Range(1, _maxDegreeOfParallelism - 1)
            .Select(_ => new CovarianceAccumulator(_dimension, 1, _path)).ToArray();
        if (++_filling == _maxDegreeOfParallelism) FoldPartitions();
    }

    /// <summary>
    /// Writes one row (widened to double) into the next free row of the packed block and adds it to the block sum, in
    /// one pass. A row with a NaN or infinity is rejected with nothing committed (the block sum is rebuilt without it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PackRow<T>(ReadOnlySpan<T> row, long rowIndex) where T : struct, IFloatingPointIeee754<T>
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
        if (ok) return;

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

    private static ArgumentException NonFinite(long row, int dimension, double value) =>
        new($"Row {row} holds a non-finite value ({value}) at dimension {dimension}.", "row");

    /// <summary>Folds every pending row of this accumulator and its partitions, then merges the partitions into this one.</summary>
    private void Consolidate()
    {
        if (_partitions is null)
        {
            FoldPending();
            return;
        }
        FoldPartitions();
        foreach (var part in _partitions)
        {
            if (part._count == 0) continue;
            Combine(part._mean, part._count, part._coMoment, part._paddedDimension);
            part.Reset();
        }
    }

    /// <summary>Folds the pending block of every partition, one thread per partition that has rows.</summary>
    private void FoldPartitions()
    {
        _filling = 0;
        var parts = _partitions!;
        int busy = _pending > 0 ? 1 : 0;
        foreach (var part in parts) busy += part._pending > 0 ? 1 : 0;
        if (busy <= 1)
        {
            FoldPending();
            foreach (var part in parts) part.FoldPending();
            return;
        }
        Parallel.For(0, parts.Length + 1, new ParallelOptions { MaxDegreeOfParallelism = _maxDegreeOfParallelism },
            s => (s == 0 ? this : parts[s - 1]).FoldPending());
    }

    /// <summary>Folds the pending rows into (count, mean, co-moment).</summary>
    private void FoldPending()
    {
        int nb = _pending;
        if (nb == 0) return;
        int w = _width;
        var packed = _packed!;
        var blockMean = new double[_paddedDimension];
        for (int j = 0; j < _paddedDimension; j++) blockMean[j] = _blockSum[j] / nb;

        // The kernel centres the block on its own mean in place (padding columns stay zero). When earlier rows exist,
        // one extra row √(n_A·n_B/n)·(μ_B − μ_A) is appended, so the kernel adds the Chan cross term δδᵀ·n_A n_B/n too.
        bool cross = _count > 0;
        double nA = _count, nB = nb, n = nA + nB;
        if (cross)
        {
            double root = Math.Sqrt(nA * nB / n);
            for (int j = 0; j < _paddedDimension; j++)
                packed[j / w * _panelStride + nb * w + j % w] = j < _dimension ? root * (blockMean[j] - _mean[j]) : 0.0;
        }

        SymmetricRankKUpdate.AddUpperGram(_path, packed, _panelStride, cross ? nb + 1 : nb, _panels, _coMoment, blockMean, nb);
        for (int j = 0; j < _dimension; j++) _mean[j] += (blockMean[j] - _mean[j]) * (nB / n);
        _count += nb;
        _pending = 0;
        Array.Clear(_blockSum);
    }

    /// <summary>Empties a partition after it has been merged into its owner.</summary>
    private void Reset()
    {
        _count = 0;
        Array.Clear(_mean);
        Array.Clear(_coMoment);
    }

    /// <summary>Adds another state (co-moment with row stride <paramref name="otherStride"/>): co-moments add, then the
    /// Chan cross term <c>δδᵀ·n_A n_B/n</c> and the mean update.</summary>
    private void Combine(double[] otherMean, long otherCount, double[] otherCoMoment, int otherStride)
    {
        int d = _dimension;
        for (int i = 0; i < d; i++)
        {
            int rowStart = i * _paddedDimension, otherStart = i * otherStride;
            for (int j = i; j < d; j++) _coMoment[rowStart + j] += otherCoMoment[otherStart + j];
        }
        if (_count == 0)
        {
            otherMean.CopyTo(_mean, 0);
            _count = otherCount;
            return;
        }
        double nA = _count, nB = otherCount, n = nA + nB;
        double factor = nA * nB / n;
        var delta = new double[d];
        for (int j = 0; j < d; j++) delta[j] = otherMean[j] - _mean[j];
        for (int i = 0; i < d; i++)
        {
            double fi = factor * delta[i];
            int rowStart = i * _paddedDimension;
            for (int j = i; j < d; j++) _coMoment[rowStart + j] += fi * delta[j];
        }
        for (int j = 0; j < d; j++) _mean[j] += delta[j] * (nB / n);
        _count += otherCount;
    }

    private double[,] Symmetric(double scale)
    {
        Consolidate();
        int d = _dimension;
        var m = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            int rowStart = i * _paddedDimension;
            for (int j = i; j < d; j++)
            {
                double v = _coMoment[rowStart + j] * scale;
                m[i, j] = v;
                m[j, i] = v;
            }
        }
        return m;
    }
}
