namespace MlNetIso.Geometry;

/// <summary>Result of <see cref="SymmetricEigen.Decompose"/>.</summary>
/// <param name="Eigenvalues">λ₁ ≥ … ≥ λₙ ≥ 0.</param>
/// <param name="Eigenvectors">n×n; column k is the unit eigenvector of λ_k (sign arbitrary).</param>
public sealed record SymmetricEigenResult(double[] Eigenvalues, double[,] Eigenvectors);
