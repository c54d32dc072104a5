using MlNetIso.Geometry;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Training;

/// <summary>
/// The C0 "shrinkage" bank of I-STAR (docs/algorithms.md, "The reference covariance C₀"): representation points are streamed, batch by batch, into
/// the geometry core's <see cref="CovarianceAccumulator"/> (double precision, Chan et al. merge) instead of being
/// stacked, and accumulation stops once <see cref="Capacity"/> points have been seen.
/// </summary>
internal sealed class ReferenceCovarianceBank
{
    private readonly CovarianceAccumulator accumulator;

    /// <summary>Creates an empty bank for <paramref name="dimension"/>-dimensional points holding at most <paramref name="capacity"/> points.</summary>
    public ReferenceCovarianceBank(int dimension, long capacity)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension));
        if (capacity < 2) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The bank needs room for at least 2 points.");
        accumulator = new CovarianceAccumulator(dimension);
        Capacity = capacity;
    }

    /// <summary>Point dimension n.</summary>
    public int Dimension => accumulator.Dimension;

    /// <summary>Most points the bank accepts.</summary>
    public long Capacity { get; }

    /// <summary>Points accumulated so far.</summary>
    public long Count => accumulator.Count;

    /// <summary>True once <see cref="Count"/> has reached <see cref="Capacity"/>.</summary>
    public bool IsFull => Count >= Capacity;

    /// <summary>Adds the rows of <paramref name="points"/> ([m, n]); rows beyond the capacity are ignored.</summary>
    public void Add(Tensor points)
    {
        if (points.dim() != 2 || points.shape[1] != Dimension)
            throw new ArgumentException($"Points must be [m, {Dimension}], got [{string.Join(", ", points.shape)}].", nameof(points));
        int take = (int)Math.Min(points.shape[0], Capacity - Count);
        if (take <= 0) return;
        using var rows = points.narrow(0, 0, take).detach().to_type(ScalarType.Float32).cpu().contiguous();
        accumulator.AddRows(rows.data<float>().ToArray(), take);
    }

    /// <summary>The sample covariance (ddof 1) of the accumulated points as a float64 [n, n] tensor on the CPU.</summary>
    public Tensor Covariance()
    {
        if (Count < 2)
            throw new InvalidOperationException($"The reference bank holds {Count} point(s); at least 2 are needed for a covariance.");
        return tensor(accumulator.GetCovariance());
    }
}
