namespace MlNetIso.Geometry;

/// <summary>
/// Partition-function isotropy (Mu, Bhat &amp; Viswanath, "All-but-the-Top", ICLR 2018; after Arora et al. 2016;
/// docs/algorithms.md, "Partition isotropy"): <c>Z(c) = Σ_w exp(cᵀv_w)</c>,
/// <c>I(W) = min_{‖c‖=1} Z(c) / max_{‖c‖=1} Z(c)</c> ∈ (0, 1], 1 = isotropic, approximated with c ranging over the
/// eigenvectors u_k of the uncentred <c>WᵀW</c> (W = rows).
/// </summary>
/// <remarks>
/// Since an eigenvector's sign is arbitrary, both +u_k and −u_k are evaluated (2d directions), which makes the result
/// independent of the eigensolver's sign choice. <c>log Z(c)</c> is computed with a streaming log-sum-exp, so large
/// projections do not overflow; <c>I = exp(min_c log Z(c) − max_c log Z(c))</c>. Not centred, by definition: sensitive
/// to the mean and the norms of the vectors.
/// </remarks>
public static class PartitionIsotropy
{
    /// <summary>Computes I(W).</summary>
    /// <param name="points">The vectors v_w as rows (at least 1, equal length, finite).</param>
    /// <returns>I ∈ (0, 1].</returns>
    /// <exception cref="ArgumentException">Null, empty, ragged or non-finite rows (names the row).</exception>
    public static double Compute(IReadOnlyList<float[]> points)
    {
        int d = PointValidation.Check(points, nameof(points), 1);
        var acc = PointValidation.Accumulate(points, d);
        var eig = SymmetricEigen.Decompose(acc.GetSecondMoment());

        // Directions as contiguous rows: u[k·d + j] = U[j, k].
        var u = new double[d * d];
        for (int k = 0; k < d; k++)
            for (int j = 0; j < d; j++) u[k * d + j] = eig.Eigenvectors[j, k];

        var maxPos = new double[d];
        var sumPos = new double[d];
        var maxNeg = new double[d];
        var sumNeg = new double[d];
        Array.Fill(maxPos, double.NegativeInfinity);
        Array.Fill(maxNeg, double.NegativeInfinity);
        var v = new double[d];
        foreach (var row in points)
        {
            for (int j = 0; j < d; j++) v[j] = row[j];
            for (int k = 0; k < d; k++)
            {
                double p = System.Numerics.Tensors.TensorPrimitives.Dot<double>(v, u.AsSpan(k * d, d));
                Accumulate(p, ref maxPos[k], ref sumPos[k]);
                Accumulate(-p, ref maxNeg[k], ref sumNeg[k]);
            }
        }

        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (int k = 0; k < d; k++)
        {
            double a = maxPos[k] + Math.Log(sumPos[k]);
            double b = maxNeg[k] + Math.Log(sumNeg[k]);
            lo = Math.Min(lo, Math.Min(a, b));
            hi = Math.Max(hi, Math.Max(a, b));
        }
        return Math.Exp(lo - hi);
    }

    /// <summary>Online log-sum-exp: keeps (max, Σ exp(x − max)).</summary>
    private static void Accumulate(double x, ref double max, ref double sum)
    {
        if (x > max)
        {
            sum = sum * Math.Exp(max - x) + 1.0;
            max = x;
        }
        else
        {
            sum += Math.Exp(x - max);
        }
    }
}
