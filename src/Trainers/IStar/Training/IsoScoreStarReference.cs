using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Training;

/// <summary>
/// The reference covariance C0 of I-STAR (the bank of stored representation points, rebuilt once per epoch) together
/// with the two numbers of it that every step of the closed-form IsoScore* needs: <c>tr C0</c> and <c>‖C0‖²_F</c>
/// (docs/algorithms.md, "The closed-form gradient"). Owns the C0 tensor.
/// </summary>
internal sealed class IsoScoreStarReference : IDisposable
{
    private readonly Dictionary<long, Tensor> centring = new();

    /// <summary>
    /// Takes ownership of <paramref name="covariance"/> ([n, n]); computes its trace and squared Frobenius norm in
    /// float64 and keeps the matrix in <paramref name="dtype"/> (the training points' dtype) so steps never convert it.
    /// </summary>
    public IsoScoreStarReference(Tensor covariance, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(covariance);
        if (covariance.dim() != 2 || covariance.shape[0] != covariance.shape[1])
            throw new ArgumentException($"C0 must be a square matrix, got [{string.Join(", ", covariance.shape)}].", nameof(covariance));
        Dimension = covariance.shape[0];
        using (var c64 = covariance.to_type(ScalarType.Float64))
        using (var trace = c64.trace())
        using (var squares = c64.mul(c64)) // not square(): pow(2) with an implicit Scalar temporary (see IsoScoreStarLoss)
        using (var sum = squares.sum())
        {
            Trace = trace.item<double>();
            SquaredFrobeniusNorm = sum.item<double>();
        }
        if (covariance.dtype == dtype)
        {
            Covariance = covariance;
        }
        else
        {
            Covariance = covariance.to_type(dtype);
            covariance.Dispose();
        }
    }

    /// <summary>C0 ([n, n]) in the training dtype.</summary>
    public Tensor Covariance { get; }

    /// <summary>n.</summary>
    public long Dimension { get; }

    /// <summary><c>tr C0</c>.</summary>
    public double Trace { get; }

    /// <summary><c>‖C0‖²_F</c>.</summary>
    public double SquaredFrobeniusNorm { get; }

    /// <summary>
    /// The centring matrix <c>H = I − 11ᵀ/m</c> ([m, m], C0's dtype and device), so that <c>X_c = H X</c> costs one
    /// TorchSharp call instead of a mean and a subtraction; made once per batch size and kept with C0.
    /// </summary>
    public Tensor CentringMatrix(long m)
    {
        if (!centring.TryGetValue(m, out var h))
        {
            using var identity = eye(m, dtype: Covariance.dtype, device: Covariance.device);
            using var value = (1.0 / m).ToScalar();
            using var share = full(m, m, value, dtype: Covariance.dtype, device: Covariance.device);
            h = identity.sub(share).DetachFromDisposeScope();
            centring[m] = h;
        }
        return h;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Covariance.Dispose();
        foreach (var h in centring.Values) h.Dispose();
        centring.Clear();
    }

}
