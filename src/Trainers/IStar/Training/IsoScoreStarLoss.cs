using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Training;

/// <summary>
/// Differentiable IsoScore* (Rudman &amp; Eickhoff, arXiv 2305.19358) in trace form (docs/algorithms.md, "IsoScore*"):
/// <c>C = cov(X)</c> (ddof 1), <c>Cz = (1−ζ)C + ζC0</c>, <c>T = tr Cz</c>, <c>F = ‖Cz‖²_F</c>,
/// <c>ι = (T²/F − 1)/(n − 1)</c>. It equals the reference's spectral definition (√n·λ/‖λ‖, defect δ, dimensions used)
/// exactly, because Σλ = tr Cz and Σλ² = ‖Cz‖²_F for a symmetric PSD matrix; no SVD or eigendecomposition enters the
/// backward pass, so the gradient stays finite when eigenvalues become degenerate (the regime I-STAR drives towards).
/// </summary>
internal static class IsoScoreStarLoss
{
    /// <summary>Sample covariance (ddof 1) of the rows of <paramref name="points"/> ([m, n], m ≥ 2), in the points' dtype.</summary>
    public static Tensor Covariance(Tensor points)
    {
        if (points.dim() != 2) throw new ArgumentException($"Points must be a [m, n] matrix, got {points.dim()} dimensions.", nameof(points));
        long m = points.shape[0];
        if (m < 2) throw new ArgumentException($"A covariance needs at least 2 points, got {m}.", nameof(points));
        using var scope = NewDisposeScope();
        var centred = points - points.mean([0L], keepdim: true);
        using var scale = ((double)(m - 1)).ToScalar();
        var c = centred.t().matmul(centred).div(scale);
        return c.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// IsoScore* of the points' covariance shrunk towards <paramref name="referenceCovariance"/> ([n, n]);
    /// returns a scalar in the points' dtype that carries gradients back to <paramref name="points"/>.
    /// </summary>
    public static Tensor IsoScoreStar(Tensor points, Tensor referenceCovariance, double zeta)
    {
        using var scope = NewDisposeScope();
        var c = Covariance(points);
        return OfCovariance(c, referenceCovariance, zeta).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// IsoScore* of a given covariance <paramref name="covariance"/> shrunk by ζ towards <paramref name="referenceCovariance"/>:
    /// <c>(T²/F − 1)/(n − 1)</c> of <c>Cz = (1−ζ)C + ζC0</c>, computed in the covariance's dtype (C0 is cast to it).
    /// ζ = 0 gives IsoScore of C.
    /// </summary>
    /// <remarks>
    /// Training passes float32 covariances: libtorch's CPU float64 element-wise kernels cost about ten times the
    /// float32 ones here, and float32 keeps the score's relative error near 1e-6, far below its mini-batch noise.
    /// </remarks>
    public static Tensor OfCovariance(Tensor covariance, Tensor referenceCovariance, double zeta)
    {
        if (zeta is < 0 or > 1 || double.IsNaN(zeta)) throw new ArgumentOutOfRangeException(nameof(zeta), zeta, "ζ must lie in [0, 1].");
        long n = covariance.shape[0];
        if (covariance.dim() != 2 || covariance.shape[1] != n)
            throw new ArgumentException("The covariance must be a square matrix.", nameof(covariance));
        if (referenceCovariance.dim() != 2 || referenceCovariance.shape[0] != n || referenceCovariance.shape[1] != n)
            throw new ArgumentException(
                $"The reference covariance must be [{n}, {n}], got [{string.Join(", ", referenceCovariance.shape)}].",
                nameof(referenceCovariance));
        if (n < 2) throw new ArgumentException("IsoScore* needs at least 2 dimensions.", nameof(covariance));
        using var scope = NewDisposeScope();
        var c = covariance;
        var c0 = referenceCovariance.to(c.dtype, c.device);
        // Explicit, kept-alive Scalars: an implicit number→Scalar temporary can be finalised by the GC while libtorch
        // still reads it (seen as a sporadic "Unknown scalar type" error in long runs).
        using var keep = (1 - zeta).ToScalar();
        using var shrink = zeta.ToScalar();
        using var one = 1.0.ToScalar();
        using var nMinus1 = ((double)(n - 1)).ToScalar();
        var cz = zeta == 0 ? c : c.mul(keep) + c0.mul(shrink);
        var t = cz.trace();
        // x·x, not square(): TorchSharp's square() is pow(2) with an implicit Scalar temporary, which the GC can
        // finalise during the native call (a long study run died in pow with "INTERNAL ASSERT FAILED at Scalar.h").
        var f = cz.mul(cz).sum();
        var score = t.mul(t).div(f).sub(one).div(nMinus1);
        return score.MoveToOuterDisposeScope();
    }
}
