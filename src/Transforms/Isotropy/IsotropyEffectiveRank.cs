namespace MlNetIso.Transforms.Isotropy;

/// <summary>
/// The two effective ranks of a column, named apart because they differ on the same data (docs/algorithms.md, "Effective rank").
/// </summary>
/// <param name="Singular">
/// Roy &amp; Vetterli (EUSIPCO 2007) on the singular values σ of the centred data matrix:
/// <c>p_k = σ_k/Σσ</c>, <c>erank = exp(−Σ p_k log p_k)</c>; σ_k ∝ √λ_k of the covariance.
/// </param>
/// <param name="Covariance">
/// The Diff-eRank variant on the covariance eigenvalues: <c>p_k = λ_k/Σλ</c>, <c>erank = exp(−Σ p_k log p_k)</c>; equals k
/// for a cloud that uses k axes uniformly.
/// </param>
public sealed record IsotropyEffectiveRank(double Singular, double Covariance);
