namespace MlNetIso.Geometry;

/// <summary>
/// TwoNN intrinsic dimension (Facco, d'Errico, Rodriguez &amp; Laio, "Estimating the intrinsic dimension of datasets by a
/// minimal neighborhood information", Sci. Rep. 2017), exactly as scikit-dimension's <c>skdim.id.TwoNN</c>, which the
/// I-STAR analysis uses (docs/algorithms.md, "TwoNN intrinsic dimension").
/// </summary>
/// <remarks>
/// <para>1. Exact duplicate rows are removed (r₁ = 0 would make μ infinite); N = unique points.
/// 2. For each point, <c>μᵢ = r₂/r₁</c> from its first and second nearest neighbours (exact, all pairs).
/// 3. Sort μ ascending; keep the smallest <c>⌊N(1 − f)⌋</c> (f = discard fraction, default 0.1).
/// 4. Empirical CDF <c>Fᵢ = i/N</c>, i = 0, 1, … (divides by the full N, starts at 0).
/// 5. Least squares through the origin of <c>yᵢ = −log(1 − Fᵢ)</c> on <c>xᵢ = log μᵢ</c>: <c>d = Σxᵢyᵢ / Σxᵢ²</c>
/// (model: μ ~ Pareto, F(μ) = 1 − μ^(−d)).</para>
/// <para>Distances are computed in double precision throughout, so the estimate does not depend on the cloud's scale
/// (1e-20, 1 and 1e20 give the same dimension). Cost O(N²·D) for N points in R^D (exact all-pairs scan, no approximate
/// index): meant for up to ~10⁴ points.</para>
/// </remarks>
public static class TwoNN
{
    /// <summary>The scikit-dimension default discard fraction.</summary>
    public const double DefaultDiscardFraction = 0.1;

    /// <summary>Estimates the intrinsic dimension.</summary>
    /// <param name="points">Rows of equal length, finite; at least 3 distinct rows.</param>
    /// <param name="discardFraction">Fraction f ∈ [0, 1) of the largest ratios μ to drop.</param>
    /// <returns>The TwoNN dimension estimate d.</returns>
    /// <exception cref="ArgumentException">Bad rows (names the row), fewer than 3 distinct points, f outside [0, 1),
    /// or a degenerate cloud (every neighbour ratio is 1, e.g. a regular lattice) where the fit is undefined.</exception>
    public static double Estimate(IReadOnlyList<float[]> points, double discardFraction = DefaultDiscardFraction) =>
        Fit(points, discardFraction).Dimension;

    /// <summary>Estimates the intrinsic dimension and reports how many points entered the fit.</summary>
    /// <param name="points">Rows of equal length, finite; at least 3 distinct rows.</param>
    /// <param name="discardFraction">Fraction f ∈ [0, 1) of the largest ratios μ to drop.</param>
    /// <returns>The estimate with its bookkeeping.</returns>
    /// <exception cref="ArgumentException">As <see cref="Estimate"/>.</exception>
    public static TwoNNResult Fit(IReadOnlyList<float[]> points, double discardFraction = DefaultDiscardFraction)
    {
        int d = PointValidation.Check(points, nameof(points), 1);
        if (!(discardFraction >= 0.0 && discardFraction < 1.0))
            throw new ArgumentOutOfRangeException(nameof(discardFraction), discardFraction, "Discard fraction must lie in [0, 1).");

        var unique = new HashSet<float[]>(RowComparer.Instance);
        var rows = new List<float[]>(points.Count);
        foreach (var p in points)
            if (unique.Add(p)) rows.Add(p);
        int n = rows.Count;
        if (n < 3)
            throw new ArgumentException($"TwoNN needs at least 3 distinct points; got {n} (of {points.Count} rows).", nameof(points));

        // Double precision throughout (coordinates, differences, squared distances, sums): a float cloud scaled by
        // 1e-20 or 1e20 gives the same ratios as at scale 1 (float squares would underflow to subnormals or overflow).
        const int multiple = NearestNeighbourPair.RowMultiple;
        int stride = (d + multiple - 1) / multiple * multiple;
        var data = new double[(long)n * stride];
        for (int i = 0; i < n; i++)
        {
            var row = rows[i];
            for (int j = 0; j < d; j++) data[(long)i * stride + j] = row[j];
        }
        var (r1, r2) = NearestNeighbourPair.Compute(data, n, stride);

        var mu = new double[n];
        for (int i = 0; i < n; i++)
        {
            // Distinct float rows are at a positive double distance (the smallest float difference squared is far
            // above double's smallest number), so r₁ > 0; the guard only keeps μ finite on pathological input.
            double a = Math.Max(r1[i], double.Epsilon);
            mu[i] = Math.Sqrt(r2[i] / a);
        }
        Array.Sort(mu);
        int kept = (int)Math.Floor(n * (1.0 - discardFraction));
        double sxy = 0, sxx = 0;
        for (int i = 0; i < kept; i++)
        {
            double x = Math.Log(mu[i]);
            double y = -Math.Log(1.0 - (double)i / n);
            sxy += x * y;
            sxx += x * x;
        }
        if (sxx == 0)
            throw new ArgumentException(
                "TwoNN is undefined for this cloud: every kept neighbour ratio r2/r1 is 1 (e.g. a regular lattice).", nameof(points));
        return new TwoNNResult(sxy / sxx, n, points.Count - n, kept);
    }

    private sealed class RowComparer : IEqualityComparer<float[]>
    {
        public static readonly RowComparer Instance = new();

        public bool Equals(float[]? x, float[]? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode(float[] row)
        {
            var h = new HashCode();
            foreach (float v in row) h.Add(v == 0f ? 0f : v);
            return h.ToHashCode();
        }
    }
}
