using TorchSharp;
using static TorchSharp.torch;

namespace MlNetIso.Trainers.IStar.Training;

/// <summary>
/// IsoScore* of a mini-batch and the gradient of the I-STAR penalty <c>λ(1 − IsoScore*)</c> with respect to the
/// points, in closed form (docs/algorithms.md, "The closed-form gradient"), so a training step needs no autograd through the regulariser and
/// only a handful of TorchSharp calls.
/// </summary>
/// <remarks>
/// <para>With <c>X_c</c> the centred points ([m, n], k = m − 1), <c>K = X_c X_cᵀ</c> (m × m), <c>A = X_c C0</c>,
/// w = 1 − ζ, and <c>C = X_cᵀX_c / k</c> (written below in the Gram form used when m &lt; n/2; with more points Cz is
/// formed directly and <c>∂ι/∂X = X_c(αI + (−2cT²/F²)·Cz)</c>):</para>
/// <para><c>T = tr Cz = w·tr K/k + ζ·tr C0</c>,
/// <c>F = ‖Cz‖²_F = w²‖K‖²_F/k² + 2wζ⟨A, X_c⟩/k + ζ²‖C0‖²_F</c> (since ‖X_cᵀX_c‖_F = ‖X_c X_cᵀ‖_F),
/// <c>ι = (T²/F − 1)/(n − 1)</c>.</para>
/// <para><c>∂ι/∂Cz = (2T/F·I − 2T²/F²·Cz)/(n − 1)</c>, <c>∂ι/∂X = 2w/k · X_c · ∂ι/∂Cz</c> (the centring projection
/// drops out because the columns of <c>X_c M</c> already sum to zero), and <c>X_c Cz = (w/k)·K X_c + ζA</c>, so
/// <c>∂ι/∂X = (βK + αI) X_c + γA</c> with <c>c = 2w/(k(n − 1))</c>, <c>α = 2cT/F</c>, <c>β = −2cT²w/(F²k)</c>,
/// <c>γ = −2cT²ζ/F²</c>. The penalty's gradient is −λ times that.</para>
/// <para>The value equals <see cref="IsoScoreStarLoss.IsoScoreStar"/> and the gradient equals autograd through it
/// (tested). It needs 6–9 TorchSharp calls where autograd through the trace form needed about 40, which matters on
/// head-only steps that take well under a millisecond.</para>
/// </remarks>
internal static class IsoScoreStarGradient
{
    /// <summary>Largest point count centred by a product with the m × m centring matrix.</summary>
    internal const long CentringProductLimit = 256;

    /// <summary>
    /// Returns IsoScore* of <paramref name="points"/> ([m, n], m ≥ 2; read without gradients) shrunk by
    /// <paramref name="zeta"/> towards the reference, and <c>∂[λ(1 − IsoScore*)]/∂points</c> in the points' dtype,
    /// or a null gradient when it is identically zero (λ = 0, ζ = 1) or undefined (all points and C0 zero; the score is then NaN).
    /// </summary>
    public static (double Score, Tensor? Gradient) Compute(Tensor points, IsoScoreStarReference reference, double zeta, double lambda)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(reference);
        if (zeta is < 0 or > 1 || double.IsNaN(zeta)) throw new ArgumentOutOfRangeException(nameof(zeta), zeta, "ζ must lie in [0, 1].");
        if (points.dim() != 2 || points.shape[1] != reference.Dimension)
            throw new ArgumentException(
                $"Points must be [m, {reference.Dimension}] to match C0, got [{string.Join(", ", points.shape)}].", nameof(points));
        long m = points.shape[0], n = reference.Dimension;
        if (m < 2) throw new ArgumentException($"IsoScore* of a batch needs at least 2 points, got {m}.", nameof(points));
        if (n < 2) throw new ArgumentException("IsoScore* needs at least 2 dimensions.", nameof(points));

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        double k = m - 1, w = 1 - zeta;
        // X − 1μᵀ: one product with the cached centring matrix for mini-batch sized m (one call instead of two),
        // a mean and a subtraction for the thousands of token points of fine-tuning (where H would be m × m).
        var centred = m <= CentringProductLimit ? reference.CentringMatrix(m).mm(points) : points - points.mean([0L], keepdim: true);
        double t, f;
        Tensor? gramOrShrunk, product = null;
        // Few points (m < n/2): work with the m × m Gram matrix K = X_c X_cᵀ (2m²n + mn² multiply-adds); otherwise form
        // Cz itself with one fused product (2mn²). Both give the same T and F; the choice only changes the cost.
        bool gramForm = 2 * m < n;
        if (gramForm)
        {
            gramOrShrunk = centred.mm(centred.t());
            double norm = gramOrShrunk.norm().ToDouble();
            double cross = 0;
            if (zeta > 0)
            {
                product = centred.mm(reference.Covariance);
                cross = product.mul(centred).sum().ToDouble();
            }
            t = w * gramOrShrunk.trace().ToDouble() / k + zeta * reference.Trace;
            f = w * w * norm * norm / (k * k) + 2 * w * zeta * cross / k + zeta * zeta * reference.SquaredFrobeniusNorm;
        }
        else
        {
            gramOrShrunk = reference.Covariance.addmm(centred.t(), centred, (float)zeta, (float)(w / k)); // Cz = ζC0 + (w/k)X_cᵀX_c
            double norm = gramOrShrunk.norm().ToDouble();
            t = gramOrShrunk.trace().ToDouble();
            f = norm * norm;
        }
        if (!(f > 0)) return (double.NaN, null);
        double score = (t * t / f - 1) / (n - 1);
        if (lambda == 0 || w == 0) return (score, null);

        double c = 2 * w / (k * (n - 1));
        double scale = -lambda; // ∂[λ(1 − ι)] = −λ ∂ι
        double alpha = scale * c * 2 * t / f;
        double curvature = scale * c * -2 * t * t / (f * f);
        Tensor gradient;
        if (gramForm)
        {
            // (βK + αI) X_c + γ X_c C0 with β = curvature·w/k, γ = curvature·ζ.
            float beta = (float)(curvature * w / k);
            gradient = centred.addmm(gramOrShrunk, centred, (float)alpha, beta); // αX_c + βK X_c
            if (product is not null)
            {
                // Explicit, kept-alive Scalar: an implicit number→Scalar temporary can be finalised while libtorch reads it.
                using var gamma = (curvature * zeta).ToScalar();
                gradient.add_(product, gamma);
            }
        }
        else
        {
            gradient = centred.addmm(centred, gramOrShrunk, (float)alpha, (float)curvature); // αX_c + curvature·X_c Cz
        }
        return (score, gradient.MoveToOuterDisposeScope());
    }
}
