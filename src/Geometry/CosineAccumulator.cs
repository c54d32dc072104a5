namespace MlNetIso.Geometry;

/// <summary>
/// Streaming, mergeable exact average pairwise cosine similarity and its exact per-dimension decomposition
/// (rogue dimensions, Timkey &amp; van Schijndel, "All Bark and No Bite: Rogue Dimensions in Transformer Language
/// Models Obscure Representational Quality", EMNLP 2021).
/// </summary>
/// <remarks>
/// <para>For the m non-zero points, unit vectors x̂ᵢ = xᵢ/‖xᵢ‖; it keeps <c>s_k = Σᵢ x̂ᵢₖ</c> and <c>q_k = Σᵢ x̂ᵢₖ²</c>
/// (double). Then, exactly (docs/algorithms.md, "Average cosine similarity" and "Rogue dimensions"):</para>
/// <para><c>AvgCos = (1/(m(m−1))) Σ_{i≠j} cos(xᵢ, xⱼ) = (‖s‖² − m)/(m(m−1))</c>, and the contribution of dimension k,
/// <c>CC_k = E_{i≠j}[x̂ᵢₖ x̂ⱼₖ] = (s_k² − q_k)/(m(m−1))</c>, with <c>Σ_k CC_k = AvgCos</c> (since Σ_k q_k = m).</para>
/// <para>Zero vectors have no direction: they are skipped and counted in <see cref="ZeroVectorCount"/>; with fewer
/// than 2 non-zero points the average cosine and all contributions are 0 (defined, never NaN).</para>
/// </remarks>
public sealed class CosineAccumulator
{
    private readonly double[] _sum;
    private readonly double[] _sumSquares;
    private long _count;
    private long _zeroCount;

    /// <summary>Creates an empty accumulator for vectors of <paramref name="dimension"/> values.</summary>
    /// <param name="dimension">d ≥ 1.</param>
    public CosineAccumulator(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _sum = new double[dimension];
        _sumSquares = new double[dimension];
    }

    /// <summary>Vector length d.</summary>
    public int Dimension => _sum.Length;

    /// <summary>Non-zero vectors accumulated (m).</summary>
    public long Count => _count;

    /// <summary>Zero vectors seen and skipped.</summary>
    public long ZeroVectorCount => _zeroCount;

    /// <summary>Adds one vector (normalised internally).</summary>
    /// <param name="vector">d finite values.</param>
    /// <exception cref="ArgumentException">Wrong length or non-finite values (names the vector index).</exception>
    public void Add(ReadOnlySpan<float> vector)
    {
        Span<double> tmp = vector.Length <= 1024 ? stackalloc double[vector.Length] : new double[vector.Length];
        for (int j = 0; j < vector.Length; j++) tmp[j] = vector[j];
        Add(tmp);
    }

    /// <summary>Adds one vector (normalised internally).</summary>
    /// <param name="vector">d finite values.</param>
    /// <exception cref="ArgumentException">Wrong length or non-finite values (names the vector index).</exception>
    public void Add(ReadOnlySpan<double> vector)
    {
        long index = _count + _zeroCount;
        if (vector.Length != _sum.Length)
            throw new ArgumentException($"Vector {index} has {vector.Length} values; expected {_sum.Length}.", nameof(vector));
        double norm2 = 0;
        for (int j = 0; j < vector.Length; j++)
        {
            double v = vector[j];
            if (!double.IsFinite(v))
                throw new ArgumentException($"Vector {index} holds a non-finite value ({v}) at dimension {j}.", nameof(vector));
            norm2 += v * v;
        }
        if (norm2 == 0)
        {
            _zeroCount++;
            return;
        }
        double inv = 1.0 / Math.Sqrt(norm2);
        for (int j = 0; j < vector.Length; j++)
        {
            double u = vector[j] * inv;
            _sum[j] += u;
            _sumSquares[j] += u * u;
        }
        _count++;
    }

    /// <summary>Folds another accumulator in (sums add); other is unchanged.</summary>
    /// <param name="other">Same dimension.</param>
    public void Merge(CosineAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Dimension != Dimension)
            throw new ArgumentException($"Cannot merge dimension {other.Dimension} into dimension {Dimension}.", nameof(other));
        var s = (double[])other._sum.Clone();
        var q = (double[])other._sumSquares.Clone();
        for (int j = 0; j < s.Length; j++)
        {
            _sum[j] += s[j];
            _sumSquares[j] += q[j];
        }
        _count += other._count;
        _zeroCount += other._zeroCount;
    }

    /// <summary>Exact mean cosine over ordered pairs i ≠ j of non-zero vectors: <c>(‖s‖² − m)/(m(m−1))</c>.</summary>
    /// <returns>AvgCos ∈ [−1/(m−1), 1]; 0 with fewer than 2 non-zero vectors.</returns>
    public double AverageCosine()
    {
        if (_count < 2) return 0.0;
        double s2 = 0;
        foreach (double v in _sum) s2 += v * v;
        double m = _count;
        return (s2 - m) / (m * (m - 1));
    }

    /// <summary>
    /// Mean cosine of the non-zero vectors to <paramref name="mean"/>, exactly, from the sum of unit vectors:
    /// <c>(1/m) Σᵢ cos(xᵢ, μ) = (Σᵢ x̂ᵢ)ᵀμ / (m‖μ‖)</c>. μ is normally the mean of every vector added, zero ones included
    /// (<see cref="Geometry.CosineToMean"/>; docs/algorithms.md, "Cosine measures").
    /// </summary>
    /// <param name="mean">μ, of length d.</param>
    /// <returns>CosMean ∈ [−1, 1]; 0 when μ = 0 or no non-zero vector was added.</returns>
    /// <exception cref="ArgumentException"><paramref name="mean"/> has the wrong length.</exception>
    public double CosineToMean(ReadOnlySpan<double> mean)
    {
        if (mean.Length != Dimension)
            throw new ArgumentException($"The mean has {mean.Length} values; expected {Dimension}.", nameof(mean));
        double dot = 0, meanNorm2 = 0;
        for (int j = 0; j < mean.Length; j++)
        {
            dot += _sum[j] * mean[j];
            meanNorm2 += mean[j] * mean[j];
        }
        return meanNorm2 == 0 || _count == 0 ? 0.0 : dot / (_count * Math.Sqrt(meanNorm2));
    }

    /// <summary>Per-dimension contributions <c>CC_k = (s_k² − q_k)/(m(m−1))</c>; they sum to <see cref="AverageCosine"/>.</summary>
    /// <returns>d contributions (all 0 with fewer than 2 non-zero vectors).</returns>
    public double[] DimensionContributions()
    {
        var cc = new double[Dimension];
        if (_count < 2) return cc;
        double m = _count, denom = m * (m - 1);
        for (int k = 0; k < cc.Length; k++) cc[k] = (_sum[k] * _sum[k] - _sumSquares[k]) / denom;
        return cc;
    }

    /// <summary>
    /// The <paramref name="count"/> dimensions with the largest contribution CC_k, largest first, each with its share
    /// <c>CC_k / Σ_j CC_j</c> (share 0 when Σ_j CC_j = 0). Timkey &amp; van Schijndel report the top few (often 1–3 dominate).
    /// </summary>
    /// <param name="count">How many to return (≥ 0; capped at d).</param>
    /// <returns>Rogue dimensions, largest contribution first (ties by index).</returns>
    public IReadOnlyList<RogueDimension> RogueDimensions(int count = 10)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var cc = DimensionContributions();
        double total = cc.Sum();
        return Enumerable.Range(0, cc.Length)
            .OrderByDescending(k => cc[k]).ThenBy(k => k)
            .Take(count)
            .Select(k => new RogueDimension(k, cc[k], total == 0 ? 0.0 : cc[k] / total))
            .ToArray();
    }
}
