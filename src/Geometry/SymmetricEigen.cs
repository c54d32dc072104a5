using MathNet.Numerics.LinearAlgebra;

namespace MlNetIso.Geometry;

/// <summary>
/// Eigen-decomposition of a real symmetric matrix <c>A = V·diag(λ)·Vᵀ</c> via MathNet.Numerics (Householder
/// tridiagonalisation + implicit QL, the managed provider). Eigenvalues are returned in descending order and
/// clipped at 0, the convention for the PSD covariance spectra of docs/algorithms.md, "Conventions".
/// </summary>
/// <remarks>Cost O(n³): about 0.75 s of CPU for a 768×768 covariance on one core of the development machine, about 5.5
/// times the whole 20,000-row covariance (0.136 s; see docs/benchmarks.md); the IsoScore trace form needs no eigensolver at all.</remarks>
public static class SymmetricEigen
{
    /// <summary>Eigenvalues of a symmetric matrix, descending, negatives (rounding) clipped to 0.</summary>
    /// <param name="symmetric">n×n symmetric matrix (only symmetric input is meaningful; it is not checked beyond shape).</param>
    /// <returns>n eigenvalues, largest first.</returns>
    /// <exception cref="ArgumentException">Not square, empty, or non-finite entries.</exception>
    public static double[] Eigenvalues(double[,] symmetric) => Decompose(symmetric).Eigenvalues;

    /// <summary>Eigenvalues (descending, clipped at 0) and matching unit eigenvectors (columns).</summary>
    /// <param name="symmetric">n×n symmetric matrix.</param>
    /// <returns>The decomposition.</returns>
    /// <exception cref="ArgumentException">Not square, empty, or non-finite entries.</exception>
    public static SymmetricEigenResult Decompose(double[,] symmetric)
    {
        int n = CovarianceScores.CheckSquare(symmetric, nameof(symmetric), minimum: 1);
        var evd = Matrix<double>.Build.DenseOfArray(symmetric).Evd(Symmetricity.Symmetric);
        var values = evd.EigenValues;
        var vectors = evd.EigenVectors;
        var order = Enumerable.Range(0, n).OrderByDescending(i => values[i].Real).ToArray();
        var lambda = new double[n];
        var v = new double[n, n];
        for (int k = 0; k < n; k++)
        {
            int src = order[k];
            lambda[k] = Math.Max(values[src].Real, 0.0);
            for (int i = 0; i < n; i++) v[i, k] = vectors[i, src];
        }
        return new SymmetricEigenResult(lambda, v);
    }
}
