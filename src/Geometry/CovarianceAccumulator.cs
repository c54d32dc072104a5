using System.Numerics;
using System.Numerics.Tensors;

namespace MlNetIso.Geometry;

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
    private readonly int _maxDegreeOfParallelism;
    private readonly SymmetricRankKUpdate.KernelPath _path;
    private readonly CovariancePartition[] _partitions; // [0] holds the merged state; the others exist once used
    private int _filling;                               // partition whose block takes the next row
    private long _received;                             // rows received, pending ones included

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
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
        _path = path;
        _partitions = new CovariancePartition[maxDegreeOfParallelism];
        _partitions[0] = new CovariancePartition(dimension, path);
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
            if (_maxDegreeOfParallelism > 1 && _filling == 0 && _partitions[0].Pending == 0 && rowCount - r >= round
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
        var source = other._partitions[0];
        if (source.Count == 0) return;
        bool self = ReferenceEquals(other, this);
        long received = other._received;
        _partitions[0].Combine(self ? (double[])source.Mean.Clone() : source.Mean, source.Count,
            self ? (double[])source.CoMoment.Clone() : source.CoMoment, source.PaddedDimension);
        _received += received;
    }

    /// <summary>Column means μ (a copy). All zero when <see cref="Count"/> is 0.</summary>
    /// <returns>d means.</returns>
    public double[] GetMean()
    {
        return (double[])Consolidate().Mean.Clone();
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
    /// (W = rows), which the partition-function isotropy of Mu, Bhat &amp; Viswanath (2018) uses.
    /// </summary>
    /// <returns>A new d×d matrix.</returns>
    /// <exception cref="InvalidOperationException">No rows accumulated.</exception>
    public double[,] GetSecondMoment()
    {
        if (Count < 1)
            throw new InvalidOperationException("The second moment needs at least 1 row; none accumulated.");
        var s = Symmetric(1.0 / Count);
        var mean = _partitions[0].Mean;
        for (int i = 0; i < _dimension; i++)
            for (int j = 0; j < _dimension; j++)
                s[i, j] += mean[i] * mean[j];
        return s;
    }

    /// <summary>Exports count, mean and co-moment (upper triangle) for storage or cross-process merging.</summary>
    /// <returns>A self-contained copy of the state.</returns>
    public CovarianceAccumulatorState ExportState()
    {
        var state = Consolidate();
        int d = _dimension, stride = state.PaddedDimension;
        var upper = new double[d * (d + 1) / 2];
        int k = 0;
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
                upper[k++] = state.CoMoment[i * stride + j];
        return new CovarianceAccumulatorState(d, state.Count, (double[])state.Mean.Clone(), upper);
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
        var coMoment = new double[d * d];
        int k = 0;
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
                coMoment[i * d + j] = state.CoMomentUpper[k++];
        var acc = new CovarianceAccumulator(d, maxDegreeOfParallelism) { _received = state.Count };
        if (state.Count > 0) acc._partitions[0].Combine(state.Mean, state.Count, coMoment, d); // into the empty state: a copy
        return acc;
    }

    private void AddCore<T>(ReadOnlySpan<T> row) where T : struct, IFloatingPointIeee754<T>
    {
        if (row.Length != _dimension)
            throw new ArgumentException($"Row {Count} has {row.Length} values; expected {_dimension}.", "row");
        var target = Partition(_filling);
        target.PackRow(row, _received);
        _received++;
        if (target.Pending < BlockRows) return;
        if (_maxDegreeOfParallelism == 1)
            target.FoldPending();
        else if (++_filling == _maxDegreeOfParallelism)
            FoldPartitions();
    }

    /// <summary>Partition s, created on first use.</summary>
    private CovariancePartition Partition(int s) => _partitions[s] ??= new CovariancePartition(_dimension, _path);

    /// <summary>Packs and folds P·<see cref="BlockRows"/> finite rows, one block per partition, in parallel.</summary>
    private unsafe void AddRound(ReadOnlySpan<float> rows)
    {
        int d = _dimension;
        for (int s = 0; s < _partitions.Length; s++) Partition(s);
        long first = _received;
        fixed (float* start = rows)
        {
            nint address = (nint)start;
            Parallel.For(0, _partitions.Length, new ParallelOptions { MaxDegreeOfParallelism = _maxDegreeOfParallelism }, s =>
            {
                var part = _partitions[s];
                var block = new ReadOnlySpan<float>((float*)address + (long)s * BlockRows * d, BlockRows * d);
                for (int i = 0; i < BlockRows; i++)
                    part.PackRow(block.Slice(i * d, d), first + s * BlockRows + i);
                part.FoldPending();
            });
        }
        _received += rows.Length / d;
    }

    /// <summary>Folds the pending block of every partition, one thread per partition that has rows.</summary>
    private void FoldPartitions()
    {
        _filling = 0;
        var busy = _partitions.Where(p => p is not null && p.Pending > 0).ToArray();
        if (busy.Length <= 1)
        {
            foreach (var part in busy) part.FoldPending();
            return;
        }
        Parallel.ForEach(busy, new ParallelOptions { MaxDegreeOfParallelism = _maxDegreeOfParallelism }, part => part.FoldPending());
    }

    /// <summary>Folds every pending row, merges the other partitions into partition 0 and returns it.</summary>
    private CovariancePartition Consolidate()
    {
        FoldPartitions();
        var root = _partitions[0];
        foreach (var part in _partitions.Skip(1))
        {
            if (part is null || part.Count == 0) continue;
            root.Combine(part.Mean, part.Count, part.CoMoment, part.PaddedDimension);
            part.Reset();
        }
        return root;
    }

    private double[,] Symmetric(double scale)
    {
        var state = Consolidate();
        int d = _dimension, stride = state.PaddedDimension;
        var m = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            int rowStart = i * stride;
            for (int j = i; j < d; j++)
            {
                double v = state.CoMoment[rowStart + j] * scale;
                m[i, j] = v;
                m[j, i] = v;
            }
        }
        return m;
    }
}
