using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar;

/// <summary>
/// Streams representation points into a float64 covariance (the C0 "shrinkage" bank of I-STAR, algorithms.md §3.3)
/// without stacking them: each batch contributes its count, mean and centred scatter, merged with Chan et al.'s
/// pairwise update <c>M2 = M2a + M2b + δδᵀ·na·nb/(na+nb)</c>. Stops accepting points once <see cref="Capacity"/> is reached.
/// </summary>
internal sealed class ReferenceCovarianceBank : IDisposable
{
    private Tensor? _mean;
    private Tensor? _scatter;

    /// <summary>Creates an empty bank for <paramref name="dimension"/>-dimensional points holding at most <paramref name="capacity"/> points.</summary>
    public ReferenceCovarianceBank(int dimension, long capacity)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension));
        if (capacity < 2) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The bank needs room for at least 2 points.");
        Dimension = dimension;
        Capacity = capacity;
    }

    /// <summary>Point dimension n.</summary>
    public int Dimension { get; }

    /// <summary>Most points the bank accepts.</summary>
    public long Capacity { get; }

    /// <summary>Points accumulated so far.</summary>
    public long Count { get; private set; }

    /// <summary>True once <see cref="Count"/> has reached <see cref="Capacity"/>.</summary>
    public bool IsFull => Count >= Capacity;

    /// <summary>Adds the rows of <paramref name="points"/> ([m, n]); rows beyond the capacity are ignored.</summary>
    public void Add(Tensor points)
    {
        if (points.dim() != 2 || points.shape[1] != Dimension)
            throw new ArgumentException($"Points must be [m, {Dimension}], got [{string.Join(", ", points.shape)}].", nameof(points));
        long take = Math.Min(points.shape[0], Capacity - Count);
        if (take <= 0) return;
        using var scope = NewDisposeScope();
        var x = points.narrow(0, 0, take).detach().to_type(ScalarType.Float64).cpu();
        var meanB = x.mean([0L]);
        var centred = x - meanB;
        var scatterB = centred.t().matmul(centred);
        if (_mean is null || _scatter is null)
        {
            _mean = meanB.DetachFromDisposeScope();
            _scatter = scatterB.DetachFromDisposeScope();
        }
        else
        {
            double na = Count, nb = take, total = na + nb;
            var delta = meanB - _mean;
            var scatter = _scatter + scatterB + delta.outer(delta) * (na * nb / total);
            var mean = _mean + delta * (nb / total);
            _scatter.Dispose();
            _mean.Dispose();
            _scatter = scatter.DetachFromDisposeScope();
            _mean = mean.DetachFromDisposeScope();
        }
        Count += take;
    }

    /// <summary>The sample covariance (ddof 1) of the accumulated points, a new float64 [n, n] tensor on the CPU.</summary>
    public Tensor Covariance()
    {
        if (_scatter is null || Count < 2)
            throw new InvalidOperationException($"The reference bank holds {Count} point(s); at least 2 are needed for a covariance.");
        return _scatter / (Count - 1);
    }

    /// <summary>Frees the native tensors.</summary>
    public void Dispose()
    {
        _mean?.Dispose();
        _scatter?.Dispose();
    }
}
