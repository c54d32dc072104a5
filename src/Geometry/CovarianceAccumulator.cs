using System.Numerics;

namespace MlNetIso.Geometry;

/// <summary>
/// Streaming, mergeable sample covariance of d-dimensional rows, accumulated in double precision:
/// <c>C = (1/(n−1)) Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ</c> (ddof 1, as numpy <c>np.cov</c> / <c>torch.cov</c>, the covariance the
/// IsoScore (Rudman et al., arXiv 2108.07344) and IsoScore* (Rudman &amp; Eickhoff, arXiv 2305.19358) reference code uses).
/// One pass over the data, O(d²) memory, so a column of any length is a single scan, and partitions merge exactly.
/// </summary>
/// <remarks>
/// <para>State: count n, mean μ and co-moment M₂ = Σ(x−μ)(x−μ)ᵀ. Rows are buffered in blocks of
/// <see cref="BlockRows"/>; each block B (size n_B, mean μ_B) is centred on its own mean, its co-moment
/// <c>M₂,B = X_cᵀX_c</c> is added with a cache-blocked SIMD rank-k kernel (upper triangle only), and the block is folded
/// in with the pairwise update of Chan, Golub &amp; LeVeque (1979):
/// <c>δ = μ_B − μ_A</c>, <c>M₂ ← M₂,A + M₂,B + δδᵀ·n_A n_B/n</c>, <c>μ ← μ_A + δ·n_B/n</c>.
/// <see cref="Merge"/> applies the same formula to two accumulators, so merge(A, B) equals accumulating A ∪ B up to
/// rounding. Every read (<see cref="GetMean"/>, <see cref="GetCovariance"/>, …) first folds in the pending block.</para>
/// <para>Not thread-safe: use one accumulator per thread or partition and <see cref="Merge"/> them.</para>
/// </remarks>
public sealed class CovarianceAccumulator
{
    /// <summary>Rows buffered before a block is folded into the co-moment.</summary>
    public const int BlockRows = 256;

    private readonly int _dimension;
    private readonly int _panels;
    private readonly int _paddedDimension;
    private readonly int _maxDegreeOfParallelism;
    private readonly double[] _mean;
    private readonly double[] _coMoment;   // padded d×d row-major; only the upper triangle (j ≥ i) is meaningful
    private readonly double[] _buffer;     // BlockRows × d raw rows (double)
    private double[]? _packed;             // column-panel scratch for the kernel
    private readonly double[] _blockMean;
    private int _pending;
    private long _count;

    /// <summary>Creates an empty accumulator for rows of <paramref name="dimension"/> values.</summary>
    /// <param name="dimension">Number of columns d (≥ 1).</param>
    /// <param name="maxDegreeOfParallelism">Threads the block kernel may use (default 1: the calling thread only).</param>
    /// <exception cref="ArgumentOutOfRangeException">dimension &lt; 1 or maxDegreeOfParallelism &lt; 1.</exception>
    public CovarianceAccumulator(int dimension, int maxDegreeOfParallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDegreeOfParallelism, 1);
        _dimension = dimension;
        _panels = (dimension + SymmetricRankKUpdate.PanelWidth - 1) / SymmetricRankKUpdate.PanelWidth;
        _paddedDimension = _panels * SymmetricRankKUpdate.PanelWidth;
        _maxDegreeOfParallelism = maxDegreeOfParallelism;
        _mean = new double[dimension];
        _blockMean = new double[dimension];
        _coMoment = new double[_paddedDimension * _paddedDimension];
        _buffer = new double[BlockRows * dimension];
    }

    /// <summary>Number of columns d.</summary>
    public int Dimension => _dimension;

    /// <summary>Number of rows accumulated so far (including rows still buffered).</summary>
    public long Count => _count + _pending;

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
        for (int r = 0; r < rowCount; r++)
            Add(rowMajor.Slice(r * _dimension, _dimension));
    }

    /// <summary>Folds <paramref name="other"/> into this accumulator (Chan et al. pairwise update); other is unchanged.</summary>
    /// <param name="other">An accumulator of the same dimension (may be this one: the data then counts twice).</param>
    /// <exception cref="ArgumentException">Different dimension.</exception>
    public void Merge(CovarianceAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._dimension != _dimension)
            throw new ArgumentException($"Cannot merge dimension {other._dimension} into dimension {_dimension}.", nameof(other));
        Flush();
        other.Flush();
        if (other._count == 0) return;
        double[] otherMean = (double[])other._mean.Clone();
        double[] otherM2 = ReferenceEquals(other, this) ? (double[])_coMoment.Clone() : other._coMoment;
        Combine(otherMean, other._count, otherM2);
    }

    /// <summary>Column means μ (a copy). All zero when <see cref="Count"/> is 0.</summary>
    /// <returns>d means.</returns>
    public double[] GetMean()
    {
        Flush();
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
        Flush();
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
    /// <param name="maxDegreeOfParallelism">Threads the block kernel may use.</param>
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
        var acc = new CovarianceAccumulator(d, maxDegreeOfParallelism) { _count = state.Count };
        state.Mean.CopyTo(acc._mean, 0);
        int k = 0;
        for (int i = 0; i < d; i++)
            for (int j = i; j < d; j++)
                acc._coMoment[i * acc._paddedDimension + j] = state.CoMomentUpper[k++];
        return acc;
    }

    private void AddCore<T>(ReadOnlySpan<T> row) where T : struct, IFloatingPointIeee754<T>
    {
        CheckLength(row.Length);
        var dest = _buffer.AsSpan(_pending * _dimension, _dimension);
        for (int j = 0; j < row.Length; j++)
        {
            double v = double.CreateTruncating(row[j]);
            if (!double.IsFinite(v)) throw NonFinite(Count, j, v);
            dest[j] = v;
        }
        if (++_pending == BlockRows) Flush();
    }

    private void CheckLength(int length)
    {
        if (length != _dimension)
            throw new ArgumentException($"Row {Count} has {length} values; expected {_dimension}.", "row");
    }

    private static ArgumentException NonFinite(long row, int dimension, double value) =>
        new($"Row {row} holds a non-finite value ({value}) at dimension {dimension}.", "row");

    /// <summary>Folds the buffered rows into (count, mean, co-moment).</summary>
    private void Flush()
    {
        int nb = _pending;
        if (nb == 0) return;
        int d = _dimension;
        Array.Clear(_blockMean);
        for (int r = 0; r < nb; r++)
        {
            var row = _buffer.AsSpan(r * d, d);
            for (int j = 0; j < d; j++) _blockMean[j] += row[j];
        }
        for (int j = 0; j < d; j++) _blockMean[j] /= nb;

        // Pack the centred block into column panels of 4 (zero padding past column d). When earlier rows exist, one
        // extra row √(n_A·n_B/n)·(μ_B − μ_A) is appended, so the kernel adds the Chan cross term δδᵀ·n_A n_B/n too.
        const int w = SymmetricRankKUpdate.PanelWidth;
        bool cross = _count > 0;
        int rows = cross ? nb + 1 : nb;
        int needed = _panels * rows * w;
        if (_packed is null || _packed.Length < needed) _packed = new double[_panels * (BlockRows + 1) * w];
        var packed = _packed;
        for (int r = 0; r < nb; r++)
        {
            int src = r * d;
            for (int j = 0; j < d; j++)
                packed[(j / w) * rows * w + r * w + (j % w)] = _buffer[src + j] - _blockMean[j];
            for (int j = d; j < _paddedDimension; j++)
                packed[(j / w) * rows * w + r * w + (j % w)] = 0.0;
        }
        double nA = _count, nB = nb, n = nA + nB;
        if (cross)
        {
            double root = Math.Sqrt(nA * nB / n);
            for (int j = 0; j < _paddedDimension; j++)
                packed[(j / w) * rows * w + nb * w + (j % w)] = j < d ? root * (_blockMean[j] - _mean[j]) : 0.0;
        }

        SymmetricRankKUpdate.AddUpperGram(packed, rows, _panels, _coMoment, _maxDegreeOfParallelism);
        for (int j = 0; j < d; j++) _mean[j] += (_blockMean[j] - _mean[j]) * (nB / n);
        _count += nb;
        _pending = 0;
    }

    /// <summary>Chan cross term for a group (mean μ_B, size n_B) whose own co-moment is already in M₂.</summary>
    private void AddCrossTerm(double[] groupMean, long groupCount)
    {
        int d = _dimension;
        double nA = _count, nB = groupCount, n = nA + nB;
        double factor = nA * nB / n;
        var delta = new double[d];
        for (int j = 0; j < d; j++) delta[j] = groupMean[j] - _mean[j];
        for (int i = 0; i < d; i++)
        {
            double fi = factor * delta[i];
            int rowStart = i * _paddedDimension;
            for (int j = i; j < d; j++) _coMoment[rowStart + j] += fi * delta[j];
        }
        for (int j = 0; j < d; j++) _mean[j] += delta[j] * (nB / n);
        _count += groupCount;
    }

    /// <summary>Adds another accumulator's state (same padded layout): co-moments add, then the Chan cross term.</summary>
    private void Combine(double[] otherMean, long otherCount, double[] otherCoMoment)
    {
        int d = _dimension;
        for (int i = 0; i < d; i++)
        {
            int rowStart = i * _paddedDimension;
            for (int j = i; j < d; j++) _coMoment[rowStart + j] += otherCoMoment[rowStart + j];
        }
        if (_count == 0)
        {
            otherMean.CopyTo(_mean, 0);
            _count = otherCount;
            return;
        }
        AddCrossTerm(otherMean, otherCount);
    }

    private double[,] Symmetric(double scale)
    {
        Flush();
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
