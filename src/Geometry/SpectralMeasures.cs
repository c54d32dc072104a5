namespace MlNetIso.Geometry;

/// <summary>
/// Entropy-type measures of a spectrum: effective rank (Roy &amp; Vetterli, "The effective rank: a measure of effective
/// dimensionality", EUSIPCO 2007), its covariance variant used by Diff-eRank (Wei et al.; Tan et al., arXiv 2402.03471),
/// and the singular entropy of an LM head (Godey et al., arXiv 2404.07647). See docs/algorithms.md, "Effective rank",
/// "Matrix entropy" and "Representation entropy and the softmax bottleneck".
/// </summary>
/// <remarks>Natural logarithms; 0·log 0 = 0. Negative inputs (rounding) are clipped to 0. An all-zero spectrum has
/// entropy 0 and effective rank 0 (defined, never NaN).</remarks>
public static class SpectralMeasures
{
    /// <summary>
    /// Roy &amp; Vetterli effective rank of a data matrix from its singular values:
    /// <c>p_k = σ_k/Σ_j σ_j</c>, <c>erank = exp(−Σ p_k log p_k)</c> ∈ [1, rank].
    /// </summary>
    /// <param name="singularValues">σ of the (data) matrix.</param>
    /// <returns>erank; 0 when all σ are 0.</returns>
    public static double EffectiveRankSingular(ReadOnlySpan<double> singularValues) =>
        ExpEntropy(singularValues, nameof(singularValues));

    /// <summary>
    /// Effective rank of a covariance from its eigenvalues, the Diff-eRank variant: <c>p_k = λ_k/Σ_j λ_j</c>
    /// (so p ∝ σ² of the centred data), <c>erank = exp(−Σ p_k log p_k)</c>. Differs from
    /// <see cref="EffectiveRankSingular"/> on the same data. A cloud using k of n axes uniformly gives exactly k.
    /// </summary>
    /// <param name="eigenvalues">λ of the covariance.</param>
    /// <returns>erank; 0 when all λ are 0.</returns>
    public static double EffectiveRankCovariance(ReadOnlySpan<double> eigenvalues) =>
        ExpEntropy(eigenvalues, nameof(eigenvalues));

    /// <summary>
    /// The eigenvalues of an n×n symmetric matrix as far as double precision resolves them: a backward-stable
    /// eigensolver returns each λ with an absolute error of about n·ε·λ_max (ε = 2⁻⁵² ≈ 2.2e-16), so every value below
    /// <c>n·ε·λ_max</c> (negatives included) is rounding noise and is set to 0. The effective ranks of a covariance
    /// need this: a singular covariance (rows ≪ dimensions, e.g. 64 × 1024) has hundreds of noise eigenvalues of order
    /// ε·λ_max whose square roots (order √ε·σ_max each) would otherwise add a spurious share to the singular spectrum.
    /// </summary>
    /// <param name="eigenvalues">The n eigenvalues (any order), finite.</param>
    /// <returns>A new array, same order, with the unresolved values set to 0.</returns>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public static double[] FloorRoundingNoise(ReadOnlySpan<double> eigenvalues)
    {
        double max = 0;
        foreach (double v in eigenvalues)
        {
            if (!double.IsFinite(v)) throw new ArgumentException("Eigenvalues must be finite.", nameof(eigenvalues));
            max = Math.Max(max, v);
        }
        double machineEpsilon = Math.BitIncrement(1.0) - 1.0; // 2⁻⁵² (double.Epsilon is the smallest subnormal instead)
        double floor = eigenvalues.Length * machineEpsilon * max;
        var result = new double[eigenvalues.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = eigenvalues[i] < floor || eigenvalues[i] <= 0 ? 0.0 : eigenvalues[i];
        return result;
    }

    /// <summary>
    /// Shannon singular entropy <c>H(p) = −Σ p_i log p_i</c>, <c>p_i = σ_i/Σ_j σ_j</c> (higher = flatter spectrum).
    /// </summary>
    /// <param name="singularValues">σ, e.g. of an LM-head matrix.</param>
    /// <returns>H ∈ [0, log d]; 0 when all σ are 0.</returns>
    public static double SingularEntropyShannon(ReadOnlySpan<double> singularValues) =>
        ShannonEntropy(singularValues, nameof(singularValues));

    /// <summary>
    /// Singular entropy as Kullback–Leibler divergence to uniform, <c>Σ p_i log(d·p_i) = log d − H(p)</c>
    /// (the form recalled for Godey et al. 2024; higher = more collapsed spectrum), d = number of values.
    /// </summary>
    /// <param name="singularValues">σ (d values, d ≥ 1).</param>
    /// <returns>KL ∈ [0, log d]; 0 when all σ are 0 (no spectrum, no divergence).</returns>
    public static double SingularEntropyKlToUniform(ReadOnlySpan<double> singularValues)
    {
        if (singularValues.Length == 0) throw new ArgumentException("Need at least one value.", nameof(singularValues));
        if (Sum(singularValues, nameof(singularValues)) == 0) return 0.0;
        return Math.Max(0.0, Math.Log(singularValues.Length) - ShannonEntropy(singularValues, nameof(singularValues)));
    }

    /// <summary>Shannon entropy −Σ p log p of the normalised non-negative weights <c>p = w/Σw</c>.</summary>
    /// <param name="weights">Non-negative weights (negatives clipped to 0).</param>
    /// <returns>H in nats; 0 when all weights are 0.</returns>
    public static double ShannonEntropy(ReadOnlySpan<double> weights) => ShannonEntropy(weights, nameof(weights));

    /// <summary>
    /// Matrix (von Neumann) entropy of one text's token representations, exactly as the Diff-eRank code
    /// (docs/algorithms.md, "Matrix entropy"; arXiv 2402.03471): centre the rows, L2-normalise each row <c>z_i = r_i/‖r_i‖</c>,
    /// <c>Σ = ZᵀZ/N</c>, λ = eigenvalues of <c>Σ/tr Σ</c>, <c>H = −Σ λ log λ</c>.
    /// </summary>
    /// <param name="rows">N ≥ 1 token vectors of equal length d, finite.</param>
    /// <returns>H in nats, ∈ [0, log min(N, d)].</returns>
    /// <remarks>A row equal to the mean (zero after centring) stays a zero row (the reference divides 0/0);
    /// if every row is, the entropy is 0. The non-zero spectrum is taken from the smaller of ZᵀZ (d×d) and ZZᵀ (N×N).</remarks>
    /// <exception cref="ArgumentException">Empty, ragged or non-finite rows (the message names the row).</exception>
    public static double MatrixEntropy(IReadOnlyList<float[]> rows)
    {
        var z = PointValidation.ToCentredUnitRows(rows, nameof(rows));
        int n = z.GetLength(0), d = z.GetLength(1);
        double[,] gram;
        if (d <= n)
        {
            // Σ = ZᵀZ/N is the uncentred second moment of the rows of Z (blocked SIMD kernel).
            var acc = new CovarianceAccumulator(d);
            var row = new double[d];
            for (int r = 0; r < n; r++)
            {
                for (int j = 0; j < d; j++) row[j] = z[r, j];
                acc.Add(row);
            }
            gram = acc.GetSecondMoment();
        }
        else
        {
            // Same non-zero spectrum from the N×N Gram matrix ZZᵀ/N.
            gram = new double[n, n];
            for (int a = 0; a < n; a++)
                for (int b = a; b < n; b++)
                {
                    double s = 0;
                    for (int i = 0; i < d; i++) s += z[a, i] * z[b, i];
                    gram[a, b] = gram[b, a] = s / n;
                }
        }
        double trace = 0;
        for (int i = 0; i < gram.GetLength(0); i++) trace += gram[i, i];
        if (trace == 0) return 0.0;
        var lambda = SymmetricEigen.Eigenvalues(gram);
        return ShannonEntropy(lambda);
    }

    /// <summary>Diff-eRank effective rank of one text: <c>exp(</c><see cref="MatrixEntropy"/><c>)</c>.</summary>
    /// <param name="rows">N token vectors of length d.</param>
    /// <returns>erank ∈ [1, min(N, d)] (1 when every centred row is zero).</returns>
    public static double MatrixEffectiveRank(IReadOnlyList<float[]> rows) => Math.Exp(MatrixEntropy(rows));

    private static double ExpEntropy(ReadOnlySpan<double> values, string name)
    {
        double total = Sum(values, name);
        return total == 0 ? 0.0 : Math.Exp(ShannonEntropy(values, name));
    }

    private static double ShannonEntropy(ReadOnlySpan<double> values, string name)
    {
        double total = Sum(values, name);
        if (total == 0) return 0.0;
        double h = 0;
        foreach (double v in values)
        {
            double p = Math.Max(v, 0.0) / total;
            if (p > 0) h -= p * Math.Log(p);
        }
        return h;
    }

    private static double Sum(ReadOnlySpan<double> values, string name)
    {
        double total = 0;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) throw new ArgumentException("Spectrum values must be finite.", name);
            total += Math.Max(v, 0.0);
        }
        return total;
    }
}
