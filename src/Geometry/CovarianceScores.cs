using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MlNetIso.Geometry;

/// <summary>
/// Isotropy scores of a covariance matrix C (n × n): IsoScore (Rudman, Gillman, Rayne &amp; Eickhoff, "IsoScore:
/// Measuring the Uniformity of Embedding Space Utilization", arXiv 2108.07344), IsoScore* (Rudman &amp; Eickhoff,
/// "Stable Anisotropic Regularization", arXiv 2305.19358), the participation ratio and the top-dimension variance share.
/// </summary>
/// <remarks>
/// All scores depend on C only through its spectrum λ (rotation invariant) and are scale invariant.
/// Zero-variance convention (C = 0, e.g. all points equal): IsoScore = 0, IsoScore* of a zero blend = 0,
/// participation ratio = 0 and top-dimension share = 0 — defined values, never NaN.
/// </remarks>
public static class CovarianceScores
{
    /// <summary>
    /// IsoScore by the closed (trace) form: <c>T = tr C</c>, <c>F = ‖C‖²_F = Σᵢⱼ Cᵢⱼ²</c>,
    /// <c>ι = (T²/F − 1)/(n − 1)</c>, i.e. the normalised participation ratio <c>(PR − 1)/(n − 1)</c>
    /// (docs/algorithms.md, "IsoScore"; equal to the authors' δ/k/φ algorithm, see <see cref="IsoScoreFromEigenvalues"/>).
    /// O(n²), no eigensolver. Range [0, 1]: 0 = all variance on one axis, 1 = equal variance in all n directions.
    /// </summary>
    /// <param name="covariance">Symmetric positive semi-definite n×n matrix, n ≥ 2, finite.</param>
    /// <returns>ι ∈ [0, 1] (clamped against rounding); 0 for the zero matrix.</returns>
    /// <exception cref="ArgumentException">Not square, n &lt; 2, or non-finite entries.</exception>
    public static double IsoScore(double[,] covariance)
    {
        int n = CheckSquare(covariance, nameof(covariance));
        var (t, f) = TraceAndFrobenius(covariance);
        if (f == 0) return 0.0;
        return Math.Clamp((t * t / f - 1.0) / (n - 1), 0.0, 1.0);
    }

    /// <summary>
    /// IsoScore from eigenvalues, the authors' seven steps (IsoScore.py): clip λ at 0;
    /// <c>λ̂ = √n·λ/‖λ‖₂</c>; defect <c>δ = ‖λ̂ − 1‖₂ / √(2(n − √n))</c>; dimensions used
    /// <c>k = (n − δ²(n − √n))²/n</c>; fraction <c>φ = k/n</c>; <c>ι = (nφ − 1)/(n − 1)</c>.
    /// </summary>
    /// <param name="eigenvalues">The n ≥ 2 eigenvalues of the covariance (any order; negatives are clipped to 0).</param>
    /// <returns>ι ∈ [0, 1]; 0 when all eigenvalues are 0.</returns>
    /// <exception cref="ArgumentException">Fewer than 2 values or non-finite values.</exception>
    public static double IsoScoreFromEigenvalues(ReadOnlySpan<double> eigenvalues)
    {
        int n = eigenvalues.Length;
        if (n < 2) throw new ArgumentException($"IsoScore needs at least 2 eigenvalues, got {n}.", nameof(eigenvalues));
        double norm2 = 0;
        foreach (double v in eigenvalues)
        {
            if (!double.IsFinite(v)) throw new ArgumentException("Eigenvalues must be finite.", nameof(eigenvalues));
            double c = Math.Max(v, 0.0);
            norm2 += c * c;
        }
        if (norm2 == 0) return 0.0;
        double norm = Math.Sqrt(norm2), sqrtN = Math.Sqrt(n);
        double defect2 = 0;
        foreach (double v in eigenvalues)
        {
            double diff = sqrtN * Math.Max(v, 0.0) / norm - 1.0;
            defect2 += diff * diff;
        }
        double delta = Math.Sqrt(defect2) / Math.Sqrt(2.0 * (n - sqrtN));
        double inner = n - delta * delta * (n - sqrtN);
        double k = inner * inner / n;
        double phi = k / n;
        return Math.Clamp((n * phi - 1.0) / (n - 1), 0.0, 1.0);
    }

    /// <summary>
    /// IsoScore* (arXiv 2305.19358, I-STAR/regularizers.py): IsoScore of the RDA-style shrunk covariance
    /// <c>C_ζ = (1 − ζ)·C + ζ·C₀</c>, computed in trace form <c>(T²/F − 1)/(n − 1)</c> with T = tr C_ζ, F = ‖C_ζ‖²_F
    /// (docs/algorithms.md, "IsoScore*"). ζ = 0 gives IsoScore(C); ζ = 1 gives IsoScore(C₀).
    /// </summary>
    /// <param name="covariance">Sample covariance C (n×n, n ≥ 2).</param>
    /// <param name="referenceCovariance">Shrinkage target C₀ (n×n), e.g. a covariance from a large bank, or I.</param>
    /// <param name="zeta">Shrinkage ζ ∈ [0, 1].</param>
    /// <returns>IsoScore* ∈ [0, 1]; 0 when C_ζ = 0.</returns>
    /// <exception cref="ArgumentException">Shapes differ, not square, non-finite entries, or ζ outside [0, 1].</exception>
    public static double IsoScoreStar(double[,] covariance, double[,] referenceCovariance, double zeta)
    {
        var blended = Shrink(covariance, referenceCovariance, zeta);
        return IsoScore(blended);
    }

    /// <summary>The shrunk covariance <c>C_ζ = (1 − ζ)·C + ζ·C₀</c> used by IsoScore*.</summary>
    /// <param name="covariance">C (n×n).</param>
    /// <param name="referenceCovariance">C₀ (n×n).</param>
    /// <param name="zeta">ζ ∈ [0, 1].</param>
    /// <returns>A new n×n matrix.</returns>
    /// <exception cref="ArgumentException">Shapes differ, not square, non-finite entries, or ζ outside [0, 1].</exception>
    public static double[,] Shrink(double[,] covariance, double[,] referenceCovariance, double zeta)
    {
        int n = CheckSquare(covariance, nameof(covariance));
        ArgumentNullException.ThrowIfNull(referenceCovariance);
        if (referenceCovariance.GetLength(0) != n || referenceCovariance.GetLength(1) != n)
            throw new ArgumentException(
                $"Reference covariance is {referenceCovariance.GetLength(0)}×{referenceCovariance.GetLength(1)}; expected {n}×{n}.",
                nameof(referenceCovariance));
        if (!(zeta >= 0.0 && zeta <= 1.0))
            throw new ArgumentOutOfRangeException(nameof(zeta), zeta, "Shrinkage ζ must lie in [0, 1].");
        var blended = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double r = referenceCovariance[i, j];
                if (!double.IsFinite(r))
                    throw new ArgumentException($"Reference covariance entry ({i}, {j}) is not finite.", nameof(referenceCovariance));
                blended[i, j] = (1.0 - zeta) * covariance[i, j] + zeta * r;
            }
        return blended;
    }

    /// <summary>
    /// Participation ratio <c>PR = (Σλ)²/Σλ² = (tr C)²/‖C‖²_F</c> ∈ [1, n]: the effective number of dimensions the
    /// variance uses; IsoScore = (PR − 1)/(n − 1) (docs/algorithms.md, "Participation ratio").
    /// </summary>
    /// <param name="covariance">Symmetric PSD n×n matrix, n ≥ 1.</param>
    /// <returns>PR; 0 for the zero matrix (no variance, no dimension used).</returns>
    /// <exception cref="ArgumentException">Not square or non-finite entries.</exception>
    public static double ParticipationRatio(double[,] covariance)
    {
        CheckSquare(covariance, nameof(covariance), minimum: 1);
        var (t, f) = TraceAndFrobenius(covariance);
        return f == 0 ? 0.0 : t * t / f;
    }

    /// <summary>Participation ratio from eigenvalues: <c>(Σλ)²/Σλ²</c>, negatives clipped at 0; 0 if all are 0.</summary>
    /// <param name="eigenvalues">Eigenvalues (any order).</param>
    /// <returns>PR.</returns>
    public static double ParticipationRatioFromEigenvalues(ReadOnlySpan<double> eigenvalues)
    {
        double s = 0, s2 = 0;
        foreach (double v in eigenvalues)
        {
            if (!double.IsFinite(v)) throw new ArgumentException("Eigenvalues must be finite.", nameof(eigenvalues));
            double c = Math.Max(v, 0.0);
            s += c;
            s2 += c * c;
        }
        return s2 == 0 ? 0.0 : s * s / s2;
    }

    /// <summary>
    /// Share of the total variance carried by the single largest coordinate axis: <c>max_k C_kk / Σ_k C_kk</c>
    /// (large values flag an outlier / rogue dimension; docs/algorithms.md, "Top-dimension variance share and outlier
    /// dimensions"). Not rotation invariant by design.
    /// </summary>
    /// <param name="covariance">n×n covariance.</param>
    /// <returns>Share ∈ [1/n, 1]; 0 when the trace is 0.</returns>
    public static double TopDimensionVarianceShare(double[,] covariance)
    {
        int n = CheckSquare(covariance, nameof(covariance), minimum: 1);
        double total = 0, max = 0;
        for (int k = 0; k < n; k++)
        {
            double v = Math.Max(covariance[k, k], 0.0);
            total += v;
            max = Math.Max(max, v);
        }
        return total == 0 ? 0.0 : max / total;
    }

    /// <summary>
    /// Outlier dimensions: the axes whose variance exceeds <paramref name="factor"/> × the mean axis variance
    /// (<c>C_kk &gt; factor · tr C / n</c>; factor 3 is the usual rule), largest first (docs/algorithms.md, "Top-dimension
    /// variance share and outlier dimensions").
    /// </summary>
    /// <param name="covariance">n×n covariance.</param>
    /// <param name="factor">Threshold multiple of the mean variance (&gt; 0).</param>
    /// <returns>Dimension indices sorted by decreasing variance.</returns>
    public static int[] OutlierDimensions(double[,] covariance, double factor = 3.0)
    {
        int n = CheckSquare(covariance, nameof(covariance), minimum: 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        double mean = 0;
        for (int k = 0; k < n; k++) mean += covariance[k, k];
        mean /= n;
        return Enumerable.Range(0, n)
            .Where(k => covariance[k, k] > factor * mean && mean > 0)
            .OrderByDescending(k => covariance[k, k])
            .ToArray();
    }

    internal static int CheckSquare(double[,] matrix, string name, int minimum = 2)
    {
        ArgumentNullException.ThrowIfNull(matrix, name);
        int n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n)
            throw new ArgumentException($"Matrix must be square, got {n}×{matrix.GetLength(1)}.", name);
        if (n < minimum)
            throw new ArgumentException($"Matrix must be at least {minimum}×{minimum}, got {n}×{n}.", name);
        if (!TensorPrimitives.IsFiniteAll(Entries(matrix)))
            throw new ArgumentException("Matrix holds NaN or infinite entries.", name);
        return n;
    }

    /// <summary>The entries of a 2-D array in row-major order, without copying.</summary>
    private static ReadOnlySpan<double> Entries(double[,] matrix) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<byte, double>(ref MemoryMarshal.GetArrayDataReference(matrix)), matrix.Length);

    private static (double Trace, double Frobenius2) TraceAndFrobenius(double[,] c)
    {
        int n = c.GetLength(0);
        double t = 0;
        for (int i = 0; i < n; i++) t += c[i, i];
        return (t, TensorPrimitives.SumOfSquares(Entries(c)));
    }
}
